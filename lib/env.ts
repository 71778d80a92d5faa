import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/**
 * Every setting the portal reads, validated once. Nobody else reads process.env.
 *
 * PORTAL_MODE=demo runs on embedded parts (embedded PostgreSQL, dev mailbox, generated secrets);
 * PORTAL_MODE=live requires every real setting. Production defaults to live and never falls
 * back to demo parts silently: demo must be asked for by name.
 */

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

const rawSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORTAL_MODE: z.enum(["demo", "live"]).optional(),
  DATA_DIR: optionalString,
  DATABASE_URL: optionalString.pipe(z.url({ protocol: /^postgres(ql)?$/ }).optional()),
  AUTH_SECRET: optionalString.pipe(z.string().min(32).optional()),
  AUTH_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  EMAIL_SERVER: optionalString,
  EMAIL_FROM: optionalString.pipe(z.string().min(3).optional()),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
});

/** Settings that live mode cannot run without, with what each one is for. */
export const LIVE_REQUIRED = {
  DATABASE_URL: "PostgreSQL connection string (postgres://user:pass@host:5432/db)",
  AUTH_SECRET: "random secret of at least 32 characters for signing sessions (openssl rand -base64 32)",
  AUTH_URL: "public base URL of the portal, e.g. https://portal.example.jp",
  EMAIL_SERVER: "SMTP URL for sign-in and notification mail, e.g. smtp://user:pass@smtp.example.jp:587",
  EMAIL_FROM: "sender address for portal mail, e.g. 村ポータル <no-reply@example.jp>",
} as const;

export type Env = {
  nodeEnv: "development" | "production" | "test";
  mode: "demo" | "live";
  isDemo: boolean;
  dataDir: string;
  databaseUrl: string;
  /** True when the database is the embedded one the dev stack starts. */
  databaseIsEmbedded: boolean;
  authSecret: string;
  authUrl: string;
  emailServer: string | undefined;
  emailFrom: string;
  embeddedPgPort: number;
};

export class EnvError extends Error {
  constructor(public readonly problems: string[]) {
    super(
      "The portal cannot start: its configuration is incomplete.\n" +
        problems.map((problem) => `  - ${problem}`).join("\n") +
        "\nSet these environment variables (see the settings table in README.md), " +
        "or set PORTAL_MODE=demo to run on embedded demo parts on purpose.",
    );
    this.name = "EnvError";
  }
}

type DevSecrets = { authSecret: string; pgPassword: string };

/** Development secrets are generated once under the data directory, which git ignores. */
export function loadDevSecrets(dataDir: string): DevSecrets {
  const file = path.join(dataDir, "dev-secrets.json");
  if (existsSync(file)) {
    return JSON.parse(readFileSync(file, "utf8")) as DevSecrets;
  }
  const secrets: DevSecrets = {
    authSecret: randomBytes(32).toString("base64url"),
    pgPassword: randomBytes(18).toString("base64url"),
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

export function embeddedDatabaseUrl(password: string, port: number, database = "village"): string {
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = rawSchema.safeParse(source);
  if (!parsed.success) {
    throw new EnvError(
      parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`),
    );
  }
  const raw = parsed.data;
  const mode = raw.PORTAL_MODE ?? (raw.NODE_ENV === "production" ? "live" : "demo");
  const dataDir = path.resolve(/*turbopackIgnore: true*/ raw.DATA_DIR ?? ".data");

  if (mode === "live") {
    const missing = (Object.keys(LIVE_REQUIRED) as (keyof typeof LIVE_REQUIRED)[]).filter(
      (name) => raw[name] === undefined,
    );
    if (missing.length > 0) {
      throw new EnvError(missing.map((name) => `${name} is missing: ${LIVE_REQUIRED[name]}`));
    }
  }

  const devSecrets =
    mode === "demo" && (!raw.AUTH_SECRET || !raw.DATABASE_URL) ? loadDevSecrets(dataDir) : null;

  return {
    nodeEnv: raw.NODE_ENV,
    mode,
    isDemo: mode === "demo",
    dataDir,
    databaseUrl:
      raw.DATABASE_URL ?? embeddedDatabaseUrl(devSecrets!.pgPassword, raw.EMBEDDED_PG_PORT),
    databaseIsEmbedded: raw.DATABASE_URL === undefined,
    authSecret: raw.AUTH_SECRET ?? devSecrets!.authSecret,
    authUrl: raw.AUTH_URL ?? "http://localhost:3000",
    emailServer: raw.EMAIL_SERVER,
    emailFrom: raw.EMAIL_FROM ?? "西森村オファリング <no-reply@village.localhost>",
    embeddedPgPort: raw.EMBEDDED_PG_PORT,
  };
}

let cached: Env | undefined;

/** The validated settings; parsed on first use so that `next build` needs no runtime settings. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** For the server's start (instrumentation.ts): a missing setting stops the process at once. */
export function exitUnlessConfigured(): void {
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  try {
    env();
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    console.error(`\n${error.message}\n`);
    process.exit(1);
  }
}

import { readFileSync } from "node:fs";
import path from "node:path";
import type { z } from "zod";
import { ensureDevMasterKeys, loadDevSecrets } from "@/lib/dev-secrets";
import { rawSchema } from "@/lib/env-schema";
import { liveSafetyProblems } from "@/lib/live-checks";
import { type S3StorageSettings, StorageSettingsError, storageSettings } from "@/lib/storage-settings";

export type { S3StorageSettings } from "@/lib/storage-settings";

/**
 * Every setting the portal reads, validated once. Nobody else reads process.env.
 *
 * PORTAL_MODE=demo runs on embedded parts (embedded PostgreSQL, dev mailbox, generated secrets);
 * PORTAL_MODE=live requires every real setting. Production defaults to live and never falls
 * back to demo parts silently: demo must be asked for by name.
 */

/** Settings that live mode cannot run without, with what each one is for. */
export const LIVE_REQUIRED = {
  DATABASE_URL: "PostgreSQL connection string (postgres://user:pass@host:5432/db)",
  AUTH_SECRET: "random secret of at least 32 characters for signing sessions (openssl rand -base64 32)",
  AUTH_URL: "public base URL of the portal, e.g. https://portal.example.jp",
  EMAIL_SERVER: "SMTP URL for sign-in and notification mail, e.g. smtp://user:pass@smtp.example.jp:587",
  EMAIL_FROM: "sender address for portal mail, e.g. 村ポータル <no-reply@example.jp>",
  CUSTODY_MASTER_KEYS: 'custody master keys by version, JSON {"1":"<32 bytes base64>"}; the highest version wraps new keys',
  UPLOAD_DIR: "directory for identity documents and images, outside public/, e.g. /var/lib/village-portal/uploads (or STORAGE_URL for object storage)",
  STRIPE_SECRET_KEY: "Stripe secret key (sk_live_…; sk_test_… only on a staging site with PORTAL_STAGING=true)",
  STRIPE_WEBHOOK_SECRET: "signing secret of the webhook endpoint /api/stripe/webhook (whsec_…)",
  CHAIN_RPC_URL: "JSON-RPC URL of the EVM chain",
  CHAIN_ID: "chain id of that chain",
  CHAIN_ISSUER_KEY_SEALED: "the issuer's signing key sealed with the custody master key (npm run chain:seal-issuer-key)",
} as const;

export type Env = {
  nodeEnv: "development" | "production" | "test";
  mode: "demo" | "live";
  isDemo: boolean;
  /** Live mode on a staging site (PORTAL_STAGING=true): Stripe test mode only, labelled as such. */
  staging: boolean;
  dataDir: string;
  databaseUrl: string;
  /** True when the database is the embedded one the dev stack starts. */
  databaseIsEmbedded: boolean;
  /** Connections per process (web instance or worker). */
  databasePoolSize: number;
  authSecret: string;
  authUrl: string;
  /** Port of the web server (`npm run dev`); AUTH_URL defaults to localhost on it. */
  port: number;
  emailServer: string | undefined;
  emailFrom: string;
  embeddedPgPort: number;
  /** Master keys by version, never logged; the highest version wraps new data keys. */
  custodyMasterKeys: Map<number, Buffer>;
  uploadDir: string;
  /** Where uploads are kept: the local directory, or S3-compatible object storage when STORAGE_URL is set. */
  storage: { kind: "local"; dir: string } | S3StorageSettings;
  /** Requests per minute and client to the open data API (/api/v1). */
  apiLimitPerMinute: number;
  kycAutoApprove: boolean;
  sessionIdleSeconds: number;
  sessionAbsoluteSeconds: number;
  signInLimits: { perEmail: number; perIp: number; windowSeconds: number };
  /** Reverse proxies in front of the portal whose X-Forwarded-For entries are trusted (lib/auth/client-ip.ts). */
  trustedProxyHops: number;
  /** Base URL of a block explorer; in demo mode the portal's own /explorer pages. */
  explorerUrl: string;
  stripe: {
    secretKey: string;
    webhookSecret: string;
    /** Set in demo mode: the SDK talks to the local emulator on this port instead of Stripe. */
    emulatorPort: number | null;
  };
  chain: {
    /** Null in demo mode until the dev stack has started its local node (then CHAIN_RPC_URL is set for children). */
    rpcUrl: string;
    chainId: number;
    /** Sealed issuer key (live); null in demo mode, which signs with the public Hardhat dev account 0. */
    issuerKeySealed: string | null;
    confirmations: number;
    devPort: number;
    allocationBatchSize: number;
  };
  /**
   * A yen stablecoin (EIP-3009/EIP-2612, as JPYC) and the settlement contract that takes it and
   * allocates in one transaction. Null: live mode without them (no stablecoin payment), or demo
   * mode, where the dev chain deploys both and lib/stablecoin/contracts.ts reads them from the database.
   */
  stablecoin: { address: `0x${string}`; settlement: `0x${string}`; decimals: number; eip712Name: string; eip712Version: string } | null;
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

function embeddedDatabaseUrl(password: string, port: number, database = "village"): string {
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = rawSchema.safeParse(source);
  if (!parsed.success) {
    throw new EnvError(parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`));
  }
  const raw = parsed.data;
  const mode = raw.PORTAL_MODE ?? (raw.NODE_ENV === "production" ? "live" : "demo");
  const dataDir = path.resolve(/*turbopackIgnore: true*/ raw.DATA_DIR ?? ".data");

  if (mode === "live" && raw.KYC_AUTO_APPROVE === "true") {
    throw new EnvError(["KYC_AUTO_APPROVE=true is a demo setting: identity checks are never auto-approved in live mode"]);
  }

  if (mode === "live") {
    // Uploads need a directory only when they do not go to object storage.
    const missing = (Object.keys(LIVE_REQUIRED) as (keyof typeof LIVE_REQUIRED)[]).filter((name) => raw[name] === undefined && !(name === "UPLOAD_DIR" && raw.STORAGE_URL));
    if (missing.length > 0) {
      throw new EnvError(missing.map((name) => `${name} is missing: ${LIVE_REQUIRED[name]}`));
    }
    const unsafe = liveSafetyProblems({
      stripeSecretKey: raw.STRIPE_SECRET_KEY!,
      staging: raw.PORTAL_STAGING === "true",
      issuerKeySealed: raw.CHAIN_ISSUER_KEY_SEALED!,
      masterKeyVersions: [...parseMasterKeys(raw.CUSTODY_MASTER_KEYS!).keys()],
    });
    if (unsafe.length > 0) throw new EnvError(unsafe);
  }

  const uploadDir = path.resolve(/*turbopackIgnore: true*/ raw.UPLOAD_DIR ?? path.join(dataDir, "uploads"));
  const storage = storageOrProblems(raw, mode) ?? { kind: "local" as const, dir: uploadDir };

  const devSecrets = mode === "demo" && (!raw.AUTH_SECRET || !raw.DATABASE_URL) ? loadDevSecrets(dataDir) : null;

  return {
    nodeEnv: raw.NODE_ENV,
    mode,
    isDemo: mode === "demo",
    staging: mode === "live" && raw.PORTAL_STAGING === "true",
    dataDir,
    databaseUrl: raw.DATABASE_URL ?? embeddedDatabaseUrl(devSecrets!.pgPassword, raw.EMBEDDED_PG_PORT),
    databaseIsEmbedded: raw.DATABASE_URL === undefined,
    databasePoolSize: raw.DATABASE_POOL_SIZE,
    authSecret: raw.AUTH_SECRET ?? devSecrets!.authSecret,
    authUrl: raw.AUTH_URL ?? `http://localhost:${raw.PORT}`,
    port: raw.PORT,
    emailServer: raw.EMAIL_SERVER,
    emailFrom: raw.EMAIL_FROM ?? "西森村オファリング <no-reply@village.localhost>",
    embeddedPgPort: raw.EMBEDDED_PG_PORT,
    custodyMasterKeys: raw.CUSTODY_MASTER_KEYS ? parseMasterKeys(raw.CUSTODY_MASTER_KEYS) : parseMasterKeys(readFileSync(ensureDevMasterKeys(dataDir), "utf8")),
    uploadDir,
    storage,
    apiLimitPerMinute: raw.API_LIMIT_PER_MINUTE,
    kycAutoApprove: mode === "demo" && raw.KYC_AUTO_APPROVE === "true",
    sessionIdleSeconds: raw.SESSION_IDLE_MINUTES * 60,
    sessionAbsoluteSeconds: raw.SESSION_ABSOLUTE_HOURS * 3600,
    signInLimits: {
      perEmail: raw.SIGN_IN_LIMIT_PER_EMAIL,
      perIp: raw.SIGN_IN_LIMIT_PER_IP,
      windowSeconds: raw.SIGN_IN_LIMIT_WINDOW_MINUTES * 60,
    },
    trustedProxyHops: raw.TRUSTED_PROXY_HOPS,
    explorerUrl: raw.CHAIN_EXPLORER_URL ?? "/explorer",
    stripe: {
      secretKey: raw.STRIPE_SECRET_KEY ?? "sk_test_local_emulator",
      webhookSecret: raw.STRIPE_WEBHOOK_SECRET ?? loadDevSecrets(dataDir).stripeWebhookSecret,
      emulatorPort: mode === "demo" && !raw.STRIPE_SECRET_KEY ? raw.STRIPE_EMULATOR_PORT : null,
    },
    chain: {
      rpcUrl: raw.CHAIN_RPC_URL ?? `http://127.0.0.1:${raw.CHAIN_DEV_PORT}`,
      chainId: raw.CHAIN_ID ?? 31337,
      issuerKeySealed: raw.CHAIN_ISSUER_KEY_SEALED ?? null,
      confirmations: raw.CHAIN_CONFIRMATIONS,
      devPort: raw.CHAIN_DEV_PORT,
      allocationBatchSize: raw.ALLOCATION_BATCH_SIZE,
    },
    stablecoin: stablecoinSettings(raw),
  };
}

/** Both addresses or neither: a stablecoin without its settlement contract cannot be used. */
function stablecoinSettings(raw: z.infer<typeof rawSchema>): Env["stablecoin"] {
  if (!raw.STABLECOIN_ADDRESS && !raw.STABLECOIN_SETTLEMENT_ADDRESS) return null;
  if (!raw.STABLECOIN_ADDRESS || !raw.STABLECOIN_SETTLEMENT_ADDRESS) {
    throw new EnvError(["STABLECOIN_ADDRESS and STABLECOIN_SETTLEMENT_ADDRESS go together: set both (stablecoin payments on) or neither (off)"]);
  }
  return {
    address: raw.STABLECOIN_ADDRESS as `0x${string}`,
    settlement: raw.STABLECOIN_SETTLEMENT_ADDRESS as `0x${string}`,
    decimals: raw.STABLECOIN_DECIMALS,
    eip712Name: raw.STABLECOIN_EIP712_NAME ?? "JPY Coin",
    eip712Version: raw.STABLECOIN_EIP712_VERSION ?? "1",
  };
}

/** `{"1":"base64","2":"base64"}`: each key must be exactly 32 bytes (AES-256). */
export function parseMasterKeys(json: string): Map<number, Buffer> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new EnvError(["CUSTODY_MASTER_KEYS is not valid JSON"]);
  }
  const keys = new Map<number, Buffer>();
  for (const [version, value] of Object.entries(parsed as Record<string, unknown>)) {
    const key = typeof value === "string" ? Buffer.from(value, "base64") : Buffer.alloc(0);
    if (!/^[1-9]\d*$/.test(version) || key.length !== 32) {
      throw new EnvError([`CUSTODY_MASTER_KEYS: version "${version}" must be a positive integer with a 32-byte base64 key`]);
    }
    keys.set(Number(version), key);
  }
  if (keys.size === 0) throw new EnvError(["CUSTODY_MASTER_KEYS has no key"]);
  return keys;
}

function storageOrProblems(raw: z.infer<typeof rawSchema>, mode: "demo" | "live"): S3StorageSettings | null {
  try {
    return storageSettings(raw, mode);
  } catch (error) {
    if (error instanceof StorageSettingsError) throw new EnvError(error.problems);
    throw error;
  }
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
    if (env().staging) console.warn("PORTAL_STAGING=true: a staging site; payments use Stripe's test mode");
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    console.error(`\n${error.message}\n`);
    process.exit(1);
  }
}

/** The production build of the portal (`next build` into its own folder) on a fresh demo stack, for the page benchmarks. */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { makeTempDir } from "../scripts/lib/embedded-pg";
import { freePort } from "../scripts/lib/ports";
import { nextCommand } from "../scripts/lib/processes";
import { startStack, type Stack } from "../scripts/lib/stack";

export const PUBLIC_PAGES: Record<string, string> = {
  home: "/",
  offering: "/offerings/nishimori-forest-token",
  project: "/projects/forest-thinning",
  transparency: "/transparency",
};

/**
 * Builds into `dist` unless `--no-build` (then its build must exist). `next build` writes its folder
 * into tsconfig.json and next-env.d.ts: the returned function puts them back, and may be called
 * again at the end in case another bench's build put back a copy taken while this one ran.
 */
export function prepareBuild(dist: string, log: (line: string) => void): () => void {
  const snapshot = new Map(["tsconfig.json", "next-env.d.ts"].map((file) => [file, existsSync(file) ? readFileSync(file, "utf8") : null]));
  const restoreRepoFiles = () => {
    for (const [file, text] of snapshot) {
      const now = existsSync(file) ? readFileSync(file, "utf8") : null;
      if (!now?.includes(`${dist}/`) || text?.includes(`${dist}/`)) continue;
      if (text === null) rmSync(file);
      else writeFileSync(file, text);
    }
  };
  if (process.argv.includes("--no-build")) {
    if (!existsSync(path.join(dist, "BUILD_ID"))) throw new Error(`--no-build, but there is no build in ${dist}`);
    log(`--no-build: using the build of ${statSync(path.join(dist, "BUILD_ID")).mtime.toISOString()} in ${dist}`);
    return restoreRepoFiles;
  }
  const started = performance.now();
  log(`next build into ${dist}…`);
  const [command, args] = nextCommand(["build"]);
  const result = spawnSync(command, args, { stdio: ["ignore", process.stderr, process.stderr], env: { ...process.env, NEXT_DIST_DIR: dist, NEXT_TELEMETRY_DISABLED: "1" } });
  restoreRepoFiles();
  if (result.status !== 0) throw new Error(`next build failed (${result.status ?? result.signal})`);
  log(`built in ${Math.round((performance.now() - started) / 1000)} s`);
  return restoreRepoFiles;
}

/** `next start` of the build in `dist` on 127.0.0.1 with a fresh embedded PostgreSQL, dev chain, Stripe emulator and demo data. */
export async function startProductionStack(options: { dist: string; tempPrefix: string; log: (line: string) => void; nextArgs?: string[] }) {
  const dir = makeTempDir(options.tempPrefix);
  Object.assign(process.env, { PORTAL_MODE: "demo", DATA_DIR: dir });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let stack: Stack | undefined;
  const stop = async () => {
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    stack = await startStack({
      embedded: { dir: path.join(dir, "pg"), port: await freePort(), password: randomBytes(12).toString("hex"), database: "village" },
      seed: true,
      stripeEmulator: { port: await freePort(), webhookSecret: `whsec_${randomBytes(24).toString("base64url")}` },
      devChainPort: 0,
      next: ["start", "--hostname", "127.0.0.1", "--port", String(port), ...(options.nextArgs ?? [])],
      publicUrl: base,
      env: { ...process.env, NEXT_DIST_DIR: options.dist, AUTH_SECRET: randomBytes(32).toString("base64url"), AUTH_URL: `http://localhost:${port}`, EMAIL_SERVER: "" },
      log: options.log,
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { base, stop };
}

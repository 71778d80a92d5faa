import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import path from "node:path";
import { makeTempDir, withDatabase } from "./lib/embedded-pg";
import { freePort } from "./lib/ports";
import { startStack } from "./lib/stack";

/**
 * The app under Playwright: the production build (`next start`) on 127.0.0.1 with a fresh
 * database, in demo mode asked for by name. Everything it starts it stops on SIGTERM.
 */
const port = Number(process.env.E2E_PORT ?? 3100);
const log = (line: string) => console.log(`[e2e-server] ${line}`);
const dir = makeTempDir("village-e2e-");
const externalUrl = process.env.DATABASE_URL;
const database = `village_e2e_${process.pid}`;
// The seed runs in this process and seals the demo wallets with the master keys the app's processes read.
Object.assign(process.env, { PORTAL_MODE: "demo", DATA_DIR: dir });

const stack = await startStack({
  databaseUrl: externalUrl ? withDatabase(externalUrl, database) : undefined,
  embedded: { dir: path.join(dir, "pg"), port: await freePort(), password: randomBytes(12).toString("hex"), database: "village" },
  seed: true,
  stripeEmulator: { port: await freePort(), webhookSecret: `whsec_${randomBytes(24).toString("base64url")}` },
  devChainPort: 0,
  // Idle sockets kept past any pause in a spec, so a request never lands on one the server is closing.
  next: ["start", "--hostname", "127.0.0.1", "--port", String(port), "--keepAliveTimeout", "75000"],
  publicUrl: `http://127.0.0.1:${port}`,
  env: {
    ...process.env,
    PORTAL_MODE: "demo",
    DATA_DIR: dir,
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    AUTH_URL: `http://localhost:${port}`, // Next.js reports 127.0.0.1 as localhost
    EMAIL_SERVER: "",
    // Every test signs in from 127.0.0.1, and staff sign in many times: the limits are tested in vitest.
    SIGN_IN_LIMIT_PER_EMAIL: "1000",
    SIGN_IN_LIMIT_PER_IP: "1000",
  },
  log,
});
log(`ready on http://localhost:${port}`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
}

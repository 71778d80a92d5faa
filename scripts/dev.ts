import path from "node:path";
import { loadDevSecrets } from "@/lib/dev-secrets";
import { env } from "@/lib/env";
import { isPortFree, portTakenMessage } from "./lib/ports";
import { startStack, stopOnSignals } from "./lib/stack";

const log = (line: string) => console.log(`\x1b[32m[dev]\x1b[0m ${line}`);
const started = performance.now();
const settings = env();
const secrets = settings.databaseIsEmbedded ? loadDevSecrets(settings.dataDir) : undefined;
// PORT (3000 by default); AUTH_URL defaults to http://localhost:PORT (lib/env.ts).
const port = settings.port;
if (!(await isPortFree(port))) {
  console.error(portTakenMessage(port));
  process.exit(1);
}
if (new URL(settings.authUrl).port !== String(port)) log(`note: AUTH_URL is ${settings.authUrl}, not on port ${port}: sign-in links use it`);

log(`mode ${settings.mode}; data under ${settings.dataDir}`);
const stack = await startStack({
  databaseUrl: settings.databaseIsEmbedded ? undefined : settings.databaseUrl,
  embedded: secrets && {
    dir: path.join(settings.dataDir, "pg"),
    port: settings.embeddedPgPort,
    password: secrets.pgPassword,
    database: "village",
  },
  seed: settings.isDemo, // never demo accounts in a live database
  stripeEmulator: settings.stripe.emulatorPort
    ? { port: settings.stripe.emulatorPort, webhookSecret: settings.stripe.webhookSecret, stateFile: path.join(settings.dataDir, "stripe-emulator.json") }
    : undefined,
  devChainPort: process.env.CHAIN_RPC_URL ? undefined : settings.chain.devPort,
  next: ["dev", "--hostname", "127.0.0.1", "--port", String(port)],
  publicUrl: `http://127.0.0.1:${port}`,
  env: { ...process.env, AUTH_SECRET: settings.authSecret, AUTH_URL: settings.authUrl, PORTAL_MODE: settings.mode },
  log,
});
stopOnSignals(stack, log);

log(`ready in ${((performance.now() - started) / 1000).toFixed(1)} s → ${settings.authUrl}`);
log("sign in as staff with staff@village.example; sign-in links are printed here and shown at /dev/mailbox");
log("press Ctrl-C to stop everything");

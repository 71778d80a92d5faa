/**
 * `npm run bench -- worker-kill [--orders 500] [--kills 20] [--seed N]`: card orders are
 * paid through signed `checkout.session.completed` webhooks (the real route handler in its own
 * process, as in bench/settlement.ts) while the real worker (scripts/worker.ts) allocates them and
 * is killed with SIGKILL at random moments, `--kills` times, and started again each time. At the
 * end every paid order must be allocated exactly once: one Allocated event per order on chain, one
 * ledger entry, the chain's balances equal to the database's, none left behind.
 * Progress goes to stderr; the figures are the last line on stdout, as JSON.
 */
import { flag, percentile } from "./_harness";
import {
  deliverWebhook,
  doubleAllocations,
  openDrillStack,
  ordersInFlight,
  ordersWaitingAtCheckout,
  paymentsBookedTwice,
  runDrill,
  seededRandom,
  sleep,
  startService,
  startWebhookServer,
} from "./_drill";
import { freePort } from "../scripts/lib/ports";

const ORDERS = flag("orders", 500);
const KILLS = flag("kills", 20);
const SEED = flag("seed", Math.floor(Math.random() * 2 ** 31) + 1);
/** A kill comes this long (at most) after a round's payments were answered: during a claim, a send, a receipt wait or a record. */
const KILL_WITHIN_MS = 1_000;
/** How long the last worker may take to finish after the last kill before what is left counts as lost. */
const RECOVER_MS = 180_000;
const say = (line: string) => process.stderr.write(`[worker-kill] ${line}\n`);
const random = seededRandom(SEED);

const stack = await openDrillStack();
const { children } = stack;
await runDrill(say, stack, async () => {
  // Imported after the settings are in place: env() reads them once, on first use.
  const { sql } = await import("drizzle-orm");
  const { closeDb, getDb } = await import("../db/client");
  const { env } = await import("../lib/env");
  const { chainContext } = await import("../lib/chain/context");
  const { deployOfferingToken } = await import("../lib/chain/deploy-offering");
  const { reconcileOffering } = await import("../lib/chain/reconcile");
  const { totalSupplyOf } = await import("../lib/chain/token-reads");
  const { makeOffering } = await import("../test/chain-support");
  const { paidCheckoutWebhook } = await import("../test/chain-checkout");
  stack.onClose(closeDb);
  const db = getDb();
  const ctx = chainContext();

  const offering = await makeOffering(db, "bench-worker-kill-token");
  const { tokenAddress } = await deployOfferingToken(ctx, offering.id);
  say(`token ${tokenAddress}; ${ORDERS} investors with allowlisted wallets and orders waiting at Checkout (seed ${SEED})`);
  const waiting = await ordersWaitingAtCheckout(db, ctx, offering.id, ORDERS);

  const webhookUrl = await startWebhookServer(children, await freePort());
  const startWorker = () => startService("worker", "scripts/worker.ts", [], "worker started", children);
  let worker = await startWorker();
  const started = performance.now();

  // Stripe re-sends until it gets a 2xx; the web process is not the one being killed.
  let refusedWebhooks = 0;
  const pay = (slice: typeof waiting) =>
    Promise.all(
      slice.map(async (order) => {
        for (let attempt = 0; attempt < 5; attempt++) {
          const webhook = paidCheckoutWebhook(order, env().stripe.webhookSecret);
          const { status } = await deliverWebhook(webhookUrl, webhook.payload, webhook.signature);
          if (status >= 200 && status < 300) return;
          await sleep(500 * 2 ** attempt);
        }
        refusedWebhooks += 1;
      }),
    );

  // Each round: a slice of the orders paid while the worker lives, then a kill at a random moment
  // after (while it claims, sends, waits for a receipt or records), and a fresh worker.
  say(`paying ${ORDERS} orders in ${KILLS} rounds, the worker killed with SIGKILL in each`);
  const perRound = Math.ceil(ORDERS / KILLS);
  let killsWithWorkInFlight = 0;
  const restartMs: number[] = [];
  let lastKillAt = performance.now();
  for (let kill = 1; kill <= KILLS; kill++) {
    await pay(waiting.slice((kill - 1) * perRound, kill * perRound));
    await sleep(random() * KILL_WITHIN_MS);
    if ((await ordersInFlight(db, offering.id)) > 0) killsWithWorkInFlight += 1;
    const exited = new Promise((resolve) => worker.once("exit", resolve));
    worker.kill("SIGKILL");
    lastKillAt = performance.now();
    await exited;
    if (kill % 5 === 0) say(`${kill} kills; ${(await db.execute<{ n: string }>(sql`select count(*) as n from orders where status = 'allocated'`))[0]!.n} allocated so far`);
    const restarting = performance.now();
    worker = await startWorker();
    restartMs.push(performance.now() - restarting);
  }
  say(`all paid; ${KILLS} kills done (${killsWithWorkInFlight} with orders between payment and tokens); waiting for the last worker`);

  const countAllocated = async () => Number((await db.execute<{ n: string }>(sql`select count(*) as n from orders where offering_id = ${offering.id} and status = 'allocated'`))[0]!.n);
  let allocatedNow = await countAllocated();
  while (allocatedNow < ORDERS - refusedWebhooks && performance.now() - lastKillAt < RECOVER_MS) {
    await sleep(250);
    allocatedNow = await countAllocated();
  }
  const recoverS = (performance.now() - lastKillAt) / 1000;
  const seconds = (performance.now() - started) / 1000;

  const { double: doubleMints, perSeq } = await doubleAllocations(db, ctx.client, tokenAddress);
  const double = doubleMints + (await paymentsBookedTwice(db, offering.id));
  const unpaid = await db.execute<{ n: string }>(sql`select count(*) as n from orders where offering_id = ${offering.id} and status in ('reserved', 'awaiting_payment')`);
  // Lost: paid and never allocated, or paid at Stripe and never seen paid by the portal.
  const lost = (await ordersInFlight(db, offering.id)) + Number(unpaid[0]!.n);
  const allocated = waiting.filter((order) => perSeq.get(BigInt(order.seq)) === 1).length;
  const reconcile = await reconcileOffering(ctx, { id: offering.id, slug: offering.slug, token: tokenAddress });
  const supply = Number(await totalSupplyOf(ctx.client, tokenAddress));
  const unitsPaid = waiting.reduce((sum, order) => sum + order.units, 0);
  const transactions = await db.execute<{ status: string; n: string }>(sql`select status, count(*) as n from chain_transactions where kind = 'allocate' group by status`);
  const met = allocated === ORDERS && allocatedNow === ORDERS && lost === 0 && double === 0 && refusedWebhooks === 0 && reconcile.status === "ok" && supply === unitsPaid;
  console.log(
    JSON.stringify({
      bench: "worker-kill",
      orders: ORDERS,
      kills: KILLS,
      kills_with_work_in_flight: killsWithWorkInFlight,
      allocated,
      lost,
      double,
      webhook_refused: refusedWebhooks,
      reconcile: reconcile.status,
      supply_chain: supply,
      units_paid: unitsPaid,
      allocate_transactions: Object.fromEntries(transactions.map((row) => [row.status, Number(row.n)])),
      worker_restart_p50_ms: Math.round(
        percentile(
          restartMs.sort((a, b) => a - b),
          50,
        ),
      ),
      seconds: Number(seconds.toFixed(1)),
      recover_after_last_kill_s: Number(recoverS.toFixed(1)),
      seed: SEED,
      met,
    }),
  );
  return met;
});

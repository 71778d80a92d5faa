/**
 * `npm run bench -- settlement [--rate 20] [--seconds 30]`: delivery versus payment. Card orders
 * are paid through signed `checkout.session.completed` webhooks (the real Stripe SDK signs, the
 * portal's route handler answers) arriving at a steady rate, while the real worker runs in its own
 * process (scripts/worker.ts), as in production. Per order: the time from the webhook's 2xx to
 * the order seen `allocated` (its tokens minted on the dev chain, its ledger entry recorded),
 * polled every 20 ms. Baseline, same run: a plain transfer sent and mined on the same node.
 * Progress goes to stderr; the figures are the last line on stdout, as JSON.
 */
import { flag, percentile } from "./_harness";
import { doubleAllocations, openDrillStack, ordersWaitingAtCheckout, sleep, startWebhookServer, startService } from "./_drill";
import { HARDHAT_DEV_PRIVATE_KEYS } from "../scripts/lib/hardhat-node";
import { freePort } from "../scripts/lib/ports";

const RATE = flag("rate", 20);
const SECONDS = flag("seconds", 30);
const N = RATE * SECONDS;
const TARGET_P50_MS = 2_000;
const TARGET_P99_MS = 5_000;
/** Paid orders not allocated this long after the last webhook count as lost. */
const LOST_AFTER_MS = 60_000;
const say = (line: string) => process.stderr.write(`[settlement] ${line}\n`);

const stack = await openDrillStack();
const { node, children } = stack;
try {
  // Imported after the settings are in place: env() reads them once, on first use.
  const { and, eq, inArray, sql } = await import("drizzle-orm");
  const { createWalletClient, http, keccak256, toHex } = await import("viem");
  const { privateKeyToAccount } = await import("viem/accounts");
  const { closeDb, createDb, getDb } = await import("../db/client");
  const { chainTransactions, orderEvents, orders } = await import("../db/schema");
  const { env } = await import("../lib/env");
  const { chainContext } = await import("../lib/chain/context");
  const { deployOfferingToken } = await import("../lib/chain/deploy-offering");
  const { makeOffering } = await import("../test/chain-support");
  const { paidCheckoutWebhook } = await import("../test/chain-checkout");
  const watch = createDb(stack.databaseUrl, { max: 1 });
  stack.onClose(async () => {
    await watch.client.end({ timeout: 5 });
    await closeDb();
  });
  const db = getDb();
  const ctx = chainContext();

  const offering = await makeOffering(db, "bench-settlement-token");
  const { tokenAddress } = await deployOfferingToken(ctx, offering.id);
  say(`token ${tokenAddress}; ${N} investors with allowlisted wallets and orders waiting at Checkout`);
  // Identity checks passed before the sale: the wallets are on the allowlist already.
  const waiting = await ordersWaitingAtCheckout(db, ctx, offering.id, N);

  // Baseline: how long the node takes for a plain transfer, sent and mined, under the same load.
  const other = createWalletClient({ account: privateKeyToAccount(HARDHAT_DEV_PRIVATE_KEYS[1]), transport: http(node.rpcUrl, { retryCount: 0 }) });
  const baseline: number[] = [];
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    const hash = await other.sendTransaction({ chain: null, to: `0x${keccak256(toHex(`baseline-${i}`)).slice(26)}`, value: 1n });
    await ctx.client.waitForTransactionReceipt({ hash, pollingInterval: 10 });
    baseline.push(performance.now() - started);
  }
  baseline.sort((a, b) => a - b);

  say("starting the worker and the web process");
  await startService("worker", "scripts/worker.ts", [], "worker started", children);
  const webhookUrl = await startWebhookServer(children, await freePort());
  await sleep(1_000);

  say(`delivering ${N} paid Checkout webhooks at ${RATE}/s`);
  const answeredAt = new Map<string, number>();
  const allocatedAt = new Map<string, number>();
  const failures: string[] = [];
  const webhookMs: number[] = [];
  const deliveries: Promise<void>[] = [];
  const firstAt = performance.now();
  let lastAt = firstAt;
  let delivering = true;
  const watcher = (async () => {
    // Polls the orders answered and not yet seen allocated.
    while (delivering || allocatedAt.size < answeredAt.size) {
      const open = [...answeredAt.keys()].filter((id) => !allocatedAt.has(id));
      if (open.length > 0) {
        const rows = await watch.db
          .select({ id: orders.id })
          .from(orders)
          .where(and(inArray(orders.id, open), eq(orders.status, "allocated")));
        const now = performance.now();
        for (const row of rows) allocatedAt.set(row.id, now);
      }
      if (!delivering && performance.now() - lastAt > LOST_AFTER_MS) break;
      await sleep(20);
    }
  })();
  for (const [i, order] of waiting.entries()) {
    const due = firstAt + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    deliveries.push(
      (async () => {
        const sent = performance.now();
        const webhook = paidCheckoutWebhook(order, env().stripe.webhookSecret);
        const response = await fetch(webhookUrl, { method: "POST", headers: { "content-type": "application/json", "stripe-signature": webhook.signature }, body: webhook.payload });
        const at = performance.now();
        webhookMs.push(at - sent);
        const body = (await response.json()) as { outcome?: string };
        if (response.status >= 200 && response.status < 300 && body.outcome === "applied") answeredAt.set(order.id, at);
        else failures.push(`${order.id}: ${response.status} ${JSON.stringify(body)}`);
        lastAt = Math.max(lastAt, at);
      })(),
    );
    if ((i + 1) % (RATE * 5) === 0) say(`${i + 1} delivered, ${allocatedAt.size} allocated`);
  }
  await Promise.all(deliveries);
  delivering = false;
  say(`all delivered in ${((lastAt - firstAt) / 1000).toFixed(1)} s; waiting for the last allocations`);
  await watcher;
  for (const failure of failures.slice(0, 5)) say(`webhook refused: ${failure}`);

  const latencies = [...allocatedAt.entries()].map(([id, at]) => at - answeredAt.get(id)!).sort((a, b) => a - b);
  const lost = answeredAt.size - allocatedAt.size;

  // Where the time went, from the database's clock: paid → claimed → sent (mined, on an automining
  // node) → confirmed → recorded.
  const steps = await db.execute<{ claim: number; send: number; mine: number; record: number }>(sql`
    select extract(epoch from claimed.at - paid.at) * 1000 as claim,
           extract(epoch from tx.sent_at - claimed.at) * 1000 as send,
           extract(epoch from tx.confirmed_at - tx.sent_at) * 1000 as mine,
           extract(epoch from recorded.at - tx.confirmed_at) * 1000 as record
    from ${orders} o
    join ${orderEvents} paid on paid.order_id = o.id and paid.to_status = 'paid'
    join ${orderEvents} claimed on claimed.order_id = o.id and claimed.to_status = 'allocating'
    join ${orderEvents} recorded on recorded.order_id = o.id and recorded.to_status = 'allocated'
    join allocations a on a.order_id = o.id
    join ${chainTransactions} tx on tx.id = a.chain_transaction_id
    where o.offering_id = ${offering.id}`);
  const median = (key: "claim" | "send" | "mine" | "record") =>
    Math.round(
      percentile(
        steps.map((row) => Number(row[key])).sort((a, b) => a - b),
        50,
      ),
    );
  const batches = await db.execute<{ n: string; transactions: string }>(sql`
    select count(*) as n, count(distinct a.chain_transaction_id) as transactions from allocations a join ${orders} o on o.id = a.order_id where o.offering_id = ${offering.id}`);

  // Double mints: an order with more than one Allocated event on chain, or more than one ledger entry.
  const { double, perSeq } = await doubleAllocations(db, ctx.client, tokenAddress);
  const bySeq = new Set(waiting.filter((order) => allocatedAt.has(order.id) && perSeq.get(BigInt(order.seq)) === 1).map((order) => order.id));

  const p50 = Math.round(percentile(latencies, 50));
  const p99 = Math.round(percentile(latencies, 99));
  const allocated = bySeq.size;
  webhookMs.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      bench: "settlement",
      orders: N,
      rate_per_s: RATE,
      seconds: SECONDS,
      p50_ms: p50,
      p99_ms: p99,
      max_ms: Math.round(latencies.at(-1) ?? 0),
      allocated,
      double,
      lost,
      webhook_errors: failures.length,
      webhook_p50_ms: Math.round(percentile(webhookMs, 50)),
      allocate_transactions: Number(batches[0]!.transactions),
      orders_per_transaction: Number((Number(batches[0]!.n) / Math.max(1, Number(batches[0]!.transactions))).toFixed(1)),
      steps_p50_ms: { paid_to_claimed: median("claim"), claimed_to_sent: median("send"), sent_to_confirmed: median("mine"), confirmed_to_recorded: median("record") },
      baseline_tx_p50_ms: Math.round(percentile(baseline, 50)),
      p50_over_baseline: Number((p50 / Math.max(1, percentile(baseline, 50))).toFixed(1)),
      target_p50_ms: TARGET_P50_MS,
      target_p99_ms: TARGET_P99_MS,
      met: p50 <= TARGET_P50_MS && p99 <= TARGET_P99_MS && allocated === N && double === 0 && lost === 0 && failures.length === 0,
    }),
  );
} finally {
  await stack.close();
}

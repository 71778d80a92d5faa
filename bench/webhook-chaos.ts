/**
 * `npm run bench -- webhook-chaos [--purchases 200] [--seconds 20] [--seed N]`: the whole purchase
 * (placeOrder, a Checkout Session at the local Stripe emulator) for N investors, then at the
 * emulator: most pay, some are refunded in full or in part, some disputed (some of those disputes
 * closed, won or lost), some let expire. Every
 * event the emulator produced is then delivered to the portal's real webhook route (its own
 * process), each 2–3 times, shuffled and spread over `--seconds`, the refunds and disputes of half
 * of the orders concerned before their payment, re-sent on 5xx as Stripe does, while the real
 * worker allocates. Forged events (no, bad or another secret's signature, a tampered body) and
 * stale-signed ones go in among them. Once the dust settles, each order must be in the state its
 * events call for, with its yen in the ledger, its tokens on chain and its wallet frozen only while
 * disputed; nothing forged recorded.
 * Progress goes to stderr; the figures are the last line on stdout, as JSON.
 */
import { sql } from "drizzle-orm";
import Stripe from "stripe";
import { flag } from "./_harness";
import {
  allowlistEveryWallet,
  deliverWebhook,
  doubleAllocations,
  openDrillStack,
  orderOutcomes,
  ordersInFlight,
  paymentsBookedTwice,
  runDrill,
  seededRandom,
  shuffle,
  sleep,
  startService,
  startWebhookServer,
} from "./_drill";
import { expectedOutcome, FATES, type Fate, fateOf, forgeries, type Forgery, hasChargeEvents, PARTIAL_REFUND_YEN } from "./_chaos-events";
import { freePort } from "../scripts/lib/ports";

const PURCHASES = flag("purchases", 200);
const SPREAD_MS = flag("seconds", 20) * 1000;
const SEED = flag("seed", Math.floor(Math.random() * 2 ** 31) + 1);
/** How long the orders may take to settle after the last delivery before what is left counts as lost. */
const SETTLE_MS = 120_000;
/** Stripe's retries of an event answered 5xx or not at all, compressed: 0.5 s, 1 s, 2 s, … */
const RETRIES = 8;
const say = (line: string) => process.stderr.write(`[webhook-chaos] ${line}\n`);
const random = seededRandom(SEED);

const emulatorPort = await freePort();
delete process.env.STRIPE_SECRET_KEY;
const stack = await openDrillStack({ STRIPE_EMULATOR_PORT: String(emulatorPort) });
const { children } = stack;
await runDrill(say, stack, async () => {
  // Imported after the settings are in place: env() reads them once, on first use.
  const { startStripeEmulator } = await import("@village/stripe-emulator");
  const { closeDb, getDb } = await import("../db/client");
  const { seedIfEmpty } = await import("../db/seed");
  const { env } = await import("../lib/env");
  const { chainContext } = await import("../lib/chain/context");
  const { deployOfferingToken } = await import("../lib/chain/deploy-offering");
  const { reconcileOffering } = await import("../lib/chain/reconcile");
  const { balancesOf, readWalletFlags } = await import("../lib/chain/token-reads");
  const { createWalletFor } = await import("../lib/custody/wallets");
  const { currentDisclosure, placeOrder } = await import("../lib/orders/reserve");
  const { paymentProvider } = await import("../lib/payments/stripe");
  const { makeOffering } = await import("../test/chain-support");
  const { approvedInvestor, orderById } = await import("../test/orders/harness");
  stack.onClose(closeDb);
  const db = getDb();
  const ctx = chainContext();
  const secret = env().stripe.webhookSecret;
  // Stripe itself, out of the portal's reach: events are listed here and delivered by this drill.
  const emulator = await startStripeEmulator({ port: emulatorPort, webhookSecret: secret });
  stack.onClose(() => emulator.stop());
  const stripe = new Stripe("sk_test_chaos", { host: "127.0.0.1", port: emulatorPort, protocol: "http", maxNetworkRetries: 0, telemetry: false });

  await seedIfEmpty(db);
  const offering = await makeOffering(db, "bench-webhook-chaos-token");
  // Its terms approved as staff would, so that the sale takes orders.
  await db.execute(sql`update offerings set approved_revision = terms_revision where id = ${offering.id}`);
  const { tokenAddress } = await deployOfferingToken(ctx, offering.id);
  const disclosureId = (await currentDisclosure(offering.id))!.id;
  say(`token ${tokenAddress}; ${PURCHASES} approved investors with wallets buy through placeOrder (seed ${SEED})`);
  type Purchase = { orderId: string; sessionId: string; units: number; amountYen: number; fate: Fate; address: `0x${string}`; early: boolean; paymentIntentId?: string };
  const purchases: Purchase[] = [];
  for (let start = 0; start < PURCHASES; start += 25) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(25, PURCHASES - start) }, async (_, k) => {
        const i = start + k;
        const investor = await approvedInvestor();
        const wallet = await createWalletFor(db, investor.id, env().custodyMasterKeys);
        const units = 1 + (i % 5);
        const placed = await placeOrder(investor, { offeringId: offering.id, units, disclosureId });
        if (!placed.ok) throw new Error(`purchase ${i} refused: ${JSON.stringify(placed)}`);
        const fate = fateOf(i);
        const { stripeCheckoutSessionId } = await orderById(placed.orderId);
        return { orderId: placed.orderId, sessionId: stripeCheckoutSessionId!, units, amountYen: units * 1_000, fate, address: wallet.address as `0x${string}`, early: false };
      }),
    );
    purchases.push(...batch);
  }
  await allowlistEveryWallet(ctx);

  say("at Stripe: payments, refunds (full and partial), disputes and expiries");
  for (const purchase of purchases) {
    // In order, from the seed: which refunds and disputes will arrive before their payment.
    purchase.early = hasChargeEvents(purchase.fate) && random() < 0.5;
    if (purchase.fate === "expired") {
      emulator.expireNow(purchase.sessionId);
      continue;
    }
    const session = emulator.completeSession(purchase.sessionId, { outcome: "paid" });
    purchase.paymentIntentId = session.payment_intent as string;
    if (purchase.fate === "refunded") await paymentProvider().refund(purchase.paymentIntentId, `chaos-refund-${purchase.orderId}`);
    if (purchase.fate === "partial") await stripe.refunds.create({ payment_intent: purchase.paymentIntentId, amount: PARTIAL_REFUND_YEN });
    if (purchase.fate === "disputed") emulator.createDispute(purchase.paymentIntentId);
    // Closed at once: its two events may reach the portal in either order.
    if (purchase.fate === "dispute_won" || purchase.fate === "dispute_lost")
      emulator.closeDispute(emulator.createDispute(purchase.paymentIntentId).id, purchase.fate === "dispute_won" ? "won" : "lost");
  }
  const events = emulator.events();
  const byPaymentIntent = new Map(purchases.filter((p) => p.paymentIntentId).map((p) => [p.paymentIntentId!, p]));

  // Every event 2–3 times at a random moment; for the "early" orders the refund or dispute first.
  type Send = { at: number; payload: string; forgery?: Forgery };
  const sends: Send[] = [];
  for (const event of events) {
    const object = event.data.object as { payment_intent?: string | null };
    const purchase = object.payment_intent ? byPaymentIntent.get(object.payment_intent) : undefined;
    const isCharge = event.type.startsWith("charge.") || event.type.startsWith("refund.");
    const window = purchase?.early ? (isCharge ? [0, 0.3] : [0.5, 1]) : [0, 1];
    const copies = 2 + (random() < 0.5 ? 1 : 0);
    const payload = JSON.stringify(event);
    for (let c = 0; c < copies; c++) sends.push({ at: (window[0]! + random() * (window[1]! - window[0]!)) * SPREAD_MS, payload });
  }
  const forged = forgeries(purchases, secret, random);
  for (const forgery of forged) sends.push({ at: random() * SPREAD_MS, payload: forgery.payload, forgery });
  shuffle(sends, random);

  say("starting the worker and the web process");
  await startService("worker", "scripts/worker.ts", [], "worker started", children);
  const webhookUrl = await startWebhookServer(children, await freePort());
  await sleep(1_000);

  say(`delivering ${events.length} events as ${sends.length - forged.length} deliveries, with ${forged.length} forged or stale, over ${SPREAD_MS / 1000} s`);
  let retried = 0;
  /** What the portal answered to the genuine deliveries it did not take at once, by status (0: no answer). */
  const retryStatuses: Record<string, number> = {};
  let undelivered = 0;
  const refused = Object.fromEntries(forged.map((forgery) => [forgery.kind, { total: 0, refused: 0 }]));
  const started = performance.now();
  await Promise.all(
    sends.map(async (send) => {
      await sleep(send.at);
      if (send.forgery) {
        const { status } = await deliverWebhook(webhookUrl, send.payload, send.forgery.signature());
        const tally = refused[send.forgery.kind]!;
        tally.total += 1;
        if (status >= 400 && status < 500) tally.refused += 1;
        return;
      }
      for (let attempt = 0; attempt <= RETRIES; attempt++) {
        if (attempt > 0) {
          retried += 1;
          await sleep(500 * 2 ** (attempt - 1));
        }
        // Signed at each attempt, as Stripe does: a retry carries a fresh timestamp.
        const { status } = await deliverWebhook(webhookUrl, send.payload, Stripe.webhooks.generateTestHeaderString({ payload: send.payload, secret }));
        if (status >= 200 && status < 300) return;
        retryStatuses[status] = (retryStatuses[status] ?? 0) + 1;
      }
      undelivered += 1;
    }),
  );
  const deliveredS = (performance.now() - started) / 1000;
  say(`delivered in ${deliveredS.toFixed(1)} s (${retried} retries); waiting for the worker to settle`);

  // Settled: every order where its events lead, and nothing left in flight on chain.
  const check = async () => {
    const outcomes = await orderOutcomes(db, offering.id);
    const addresses = purchases.map((p) => p.address);
    const [balances, frozen] = await Promise.all([balancesOf(ctx.client, tokenAddress, addresses), readWalletFlags(ctx, tokenAddress, "isFrozen", addresses)]);
    const wrong = purchases.filter((purchase, i) => {
      const outcome = outcomes.get(purchase.orderId)!;
      const expected = expectedOutcome(purchase, outcome.allocated);
      return outcome.status !== expected.status || outcome.ledgerYen !== expected.ledgerYen || Number(balances[i]) !== expected.units || frozen[i] !== expected.frozen;
    });
    return { outcomes, wrong };
  };
  const settleStarted = performance.now();
  let result = await check();
  while (result.wrong.length > 0 && performance.now() - settleStarted < SETTLE_MS) {
    await sleep(1_000);
    result = await check();
  }
  const settleS = (performance.now() - settleStarted) / 1000;
  for (const purchase of result.wrong.slice(0, 5)) {
    const outcome = result.outcomes.get(purchase.orderId)!;
    say(
      `wrong: ${purchase.fate}${purchase.early ? " (charge event first)" : ""} order ${purchase.orderId} is ${outcome.status}, ledger ¥${outcome.ledgerYen}, expected ${JSON.stringify(expectedOutcome(purchase, outcome.allocated))}`,
    );
  }

  // Nothing forged was recorded as processed (its id, or the payment id a charge event would add).
  const forgedRecorded = await db.execute<{ n: string }>(sql`select count(*) as n from stripe_events where id like 'evt_forged_%'`);
  // Lost: paid at Stripe and never seen paid by the portal, or paid and stuck before its tokens.
  const unpaidAtPortal = purchases.filter((p) => p.fate !== "expired" && ["reserved", "awaiting_payment"].includes(result.outcomes.get(p.orderId)!.status)).length;
  const lost = (await ordersInFlight(db, offering.id)) + unpaidAtPortal;
  const { double: doubleMints } = await doubleAllocations(db, ctx.client, tokenAddress);
  const double = doubleMints + (await paymentsBookedTwice(db, offering.id));
  const reconcile = await reconcileOffering(ctx, { id: offering.id, slug: offering.slug, token: tokenAddress });
  const forgedTotal = Object.values(refused).reduce((sum, tally) => sum + tally.total, 0);
  const forgedRefused = Object.values(refused).reduce((sum, tally) => sum + tally.refused, 0);
  const fates = Object.fromEntries(FATES.map((fate) => [fate, purchases.filter((p) => p.fate === fate).length]));
  const wrongState = result.wrong.length;
  const met = wrongState === 0 && lost === 0 && double === 0 && undelivered === 0 && forgedRefused === forgedTotal && Number(forgedRecorded[0]!.n) === 0 && reconcile.status === "ok";
  console.log(
    JSON.stringify({
      bench: "webhook-chaos",
      purchases: PURCHASES,
      fates,
      charge_events_first: purchases.filter((p) => p.early).length,
      events: events.length,
      deliveries: sends.length - forged.length,
      retried,
      retry_statuses: retryStatuses,
      undelivered,
      forged_refused: forgedRefused,
      forged_total: forgedTotal,
      forged_by_kind: refused,
      forged_recorded: Number(forgedRecorded[0]!.n),
      wrong_state: wrongState,
      lost,
      double,
      reconcile: reconcile.status,
      delivery_s: Number(deliveredS.toFixed(1)),
      settle_s: Number(settleS.toFixed(1)),
      seed: SEED,
      met,
    }),
  );
  return met;
});

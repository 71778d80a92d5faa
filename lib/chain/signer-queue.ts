import "server-only";
import { createHash } from "node:crypto";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { chainTransactions, type ChainTransaction } from "@/db/schema";
import type { ChainContext } from "./context";
import { ChainRetryableError, classifyChainError, isRetryable } from "./errors";
import type { TxIntent } from "./intents";
import { checkSent, prepareAndSend } from "./signer-send";

/**
 * The durable queue of one signer. Every transaction is first a chain_transactions row; one
 * process at a time (a PostgreSQL advisory lock per signer and chain) assigns nonces, signs,
 * stores the signed bytes and only then broadcasts, then follows each one to its receipt.
 * At most one transaction is unmined at a time, so the next one is simulated on the state the
 * previous one left and a refused simulation never leaves a nonce gap.
 */

const FINAL = new Set<ChainTransaction["status"]>(["confirmed", "failed"]);

/** Adds a transaction to the signer's queue (inside the caller's transaction, if given). */
export async function submitTransaction(db: DbOrTx, ctx: { account: Pick<ChainContext["account"], "address">; chainId: number }, intent: TxIntent): Promise<ChainTransaction> {
  const [row] = await db
    .insert(chainTransactions)
    .values({
      signer: ctx.account.address,
      chainId: ctx.chainId,
      kind: intent.kind,
      payload: intent.payload,
      // clock_timestamp, not now(): rows added in one transaction keep their order.
      createdAt: sql`clock_timestamp()`,
      updatedAt: sql`clock_timestamp()`,
    })
    .returning();
  return row!;
}

function lockKey(ctx: ChainContext): string {
  const digest = createHash("sha256").update(`chain-signer:${ctx.chainId}:${ctx.account.address.toLowerCase()}`).digest();
  return digest.readBigInt64BE(0).toString();
}

type Pumped = "idle" | "waiting" | "busy";

// The pump in progress and the one queued behind it, per context: callers in this process wait
// their turn instead of finding the lock taken and sleeping.
const pumps = new WeakMap<ChainContext, { running?: Promise<Pumped>; next?: Promise<Pumped> }>();

/**
 * Moves the signer's queue as far as it can go now. Returns "busy" when another process holds
 * the signer (it will do the work), "waiting" when a transaction awaits mining or confirmations.
 * Concurrent calls in this process share one pump after the one in progress.
 */
function pumpSigner(ctx: ChainContext): Promise<Pumped> {
  const slot = pumps.get(ctx) ?? {};
  pumps.set(ctx, slot);
  if (slot.next) return slot.next;
  const start = (): Promise<Pumped> => {
    const run = pumpOnce(ctx).finally(() => {
      if (slot.running === run) slot.running = undefined;
    });
    slot.running = run;
    return run;
  };
  if (!slot.running) return start();
  const next = slot.running
    .catch(() => undefined)
    .then(() => {
      slot.next = undefined;
      return start();
    });
  slot.next = next;
  return next;
}

async function pumpOnce(ctx: ChainContext): Promise<Pumped> {
  const connection = await ctx.db.$client.reserve();
  const key = lockKey(ctx);
  try {
    const [lock] = await connection`select pg_try_advisory_lock(${key}::bigint) as locked`;
    if (!lock?.locked) return "busy";
    try {
      return await drive(ctx);
    } finally {
      await connection`select pg_advisory_unlock(${key}::bigint)`.catch(() => undefined);
    }
  } finally {
    connection.release();
  }
}

async function drive(ctx: ChainContext): Promise<"idle" | "waiting"> {
  for (let pass = 0; pass < 10_000; pass++) {
    const open = await ctx.db
      .select()
      .from(chainTransactions)
      .where(and(eq(chainTransactions.signer, ctx.account.address), eq(chainTransactions.chainId, ctx.chainId), inArray(chainTransactions.status, ["pending", "sent"])))
      .orderBy(sql`${chainTransactions.nonce} asc nulls last`, asc(chainTransactions.createdAt), asc(chainTransactions.id));
    if (open.length === 0) return "idle";
    let head: bigint | undefined;
    const latestBlock = async () => (head ??= await ctx.client.getBlockNumber({ cacheTime: 0 }));
    for (const row of open.filter((candidate) => candidate.status === "sent")) {
      const state = await checkSent(ctx, row, latestBlock);
      if (state === "in_flight") return "waiting";
      if (state === "done") progressed(ctx);
    }
    const next = open.find((candidate) => candidate.status === "pending");
    if (!next) return "waiting";
    await prepareAndSend(ctx, next);
    progressed(ctx); // it may have been refused in simulation
  }
  return "waiting";
}

// Callers waiting in this process are told when a row may have become final, so that each
// records its own transaction without waiting for the pump to finish everything queued.
const watchers = new WeakMap<ChainContext, Set<() => void>>();

function progressed(ctx: ChainContext): void {
  for (const wake of watchers.get(ctx) ?? []) wake();
}

function nextProgress(ctx: ChainContext): { promise: Promise<void>; cancel(): void } {
  const own = watchers.get(ctx) ?? new Set();
  watchers.set(ctx, own);
  let wake = () => undefined as void;
  const promise = new Promise<void>((resolve) => (wake = resolve));
  const once = () => {
    own.delete(once);
    wake();
  };
  own.add(once);
  return { promise, cancel: () => own.delete(once) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Drives the queue until every given transaction is confirmed or failed. An unreachable node is
 * waited out up to `timeoutMs`; then a ChainRetryableError lets the job run again later.
 */
export async function waitForTransactions(ctx: ChainContext, ids: string[], timeoutMs = ctx.waitTimeoutMs): Promise<ChainTransaction[]> {
  const deadline = Date.now() + timeoutMs;
  let problem = "";
  for (;;) {
    const pump = pumpSigner(ctx);
    pump.catch(() => undefined); // when the race below is won by progress, the next round sees its failure
    const progress = nextProgress(ctx);
    let woken = false;
    try {
      woken = await Promise.race([pump.then(() => false), progress.promise.then(() => true)]);
      if (!woken) problem = "";
    } catch (error) {
      if (!isRetryable(error)) throw error;
      problem = error instanceof ChainRetryableError ? error.message : classifyChainError(error).message;
    } finally {
      progress.cancel();
    }
    const rows = await ctx.db.select().from(chainTransactions).where(inArray(chainTransactions.id, ids));
    if (rows.length === ids.length && rows.every((row) => FINAL.has(row.status))) return ids.map((id) => rows.find((row) => row.id === id)!);
    if (Date.now() > deadline) {
      throw new ChainRetryableError(`chain transactions not final after ${timeoutMs} ms${problem ? `: ${problem}` : ""}`);
    }
    if (!woken) await sleep(ctx.pollMs);
  }
}

/** Runs a chain read, waiting out an unreachable node for up to the context's wait time. */
export async function retrying<T>(ctx: ChainContext, read: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + ctx.waitTimeoutMs;
  for (;;) {
    try {
      return await read();
    } catch (error) {
      if (!isRetryable(error)) throw error;
      if (Date.now() > deadline) throw new ChainRetryableError(classifyChainError(error).message);
      await sleep(Math.min(1_000, ctx.pollMs * 5));
    }
  }
}

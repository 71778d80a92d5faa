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

/**
 * Moves the signer's queue as far as it can go now. Returns "busy" when another process holds
 * the signer (it will do the work), "waiting" when a transaction awaits mining or confirmations.
 */
async function pumpSigner(ctx: ChainContext): Promise<"idle" | "waiting" | "busy"> {
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
      if ((await checkSent(ctx, row, latestBlock)) === "in_flight") return "waiting";
    }
    const next = open.find((candidate) => candidate.status === "pending");
    if (!next) return "waiting";
    await prepareAndSend(ctx, next);
  }
  return "waiting";
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
    try {
      await pumpSigner(ctx);
      problem = "";
    } catch (error) {
      if (!isRetryable(error)) throw error;
      problem = error instanceof ChainRetryableError ? error.message : classifyChainError(error).message;
    }
    const rows = await ctx.db.select().from(chainTransactions).where(inArray(chainTransactions.id, ids));
    if (rows.length === ids.length && rows.every((row) => FINAL.has(row.status))) return ids.map((id) => rows.find((row) => row.id === id)!);
    if (Date.now() > deadline) {
      throw new ChainRetryableError(`chain transactions not final after ${timeoutMs} ms${problem ? `: ${problem}` : ""}`);
    }
    await sleep(ctx.pollMs);
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

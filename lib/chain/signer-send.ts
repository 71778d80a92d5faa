import "server-only";
import { and, eq, sql, type SQL } from "drizzle-orm";
import { keccak256, parseTransaction, type Address, type Hex, type TransactionReceipt } from "viem";
import { chainTransactions, type ChainTransaction } from "@/db/schema";
import type { ChainContext } from "./context";
import { ChainRetryableError, classifyChainError } from "./errors";

// The per-row steps of the signer queue; signer-queue.ts calls them while it holds the signer's lock.

type Fees = { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint };
type Unsigned = Fees & { to: Address | null; data: Hex; value: bigint; gas: bigint; nonce: number };

const MAX_RESENDS_IN_A_ROW = 12;

function sign(ctx: ChainContext, tx: Unsigned): Promise<Hex> {
  return ctx.account.signTransaction({
    type: "eip1559",
    chainId: ctx.chainId,
    nonce: tx.nonce,
    to: tx.to,
    data: tx.data,
    gas: tx.gas,
    value: tx.value,
    maxFeePerGas: tx.maxFeePerGas,
    maxPriorityFeePerGas: tx.maxPriorityFeePerGas,
  });
}

function mine(ctx: ChainContext) {
  return and(eq(chainTransactions.signer, ctx.account.address), eq(chainTransactions.chainId, ctx.chainId));
}

/** The next nonce: past every nonce this queue has used, and past every one the chain has seen. */
async function nextNonce(ctx: ChainContext): Promise<number> {
  const [[stored], onChain] = await Promise.all([
    ctx.db
      .select({ max: sql<string | null>`max(${chainTransactions.nonce})` })
      .from(chainTransactions)
      .where(mine(ctx)),
    ctx.client.getTransactionCount({ address: ctx.account.address, blockTag: "pending" }),
  ]);
  return Math.max(stored?.max == null ? 0 : Number(stored.max) + 1, onChain);
}

async function noteError(ctx: ChainContext, id: string, message: string): Promise<void> {
  await ctx.db.update(chainTransactions).set({ error: message, updatedAt: sql`now()` }).where(eq(chainTransactions.id, id));
}

async function markFailed(ctx: ChainContext, row: ChainTransaction, message: string, releaseNonce: boolean): Promise<void> {
  await ctx.db
    .update(chainTransactions)
    .set({ status: "failed", error: message, ...(releaseNonce ? { nonce: null } : {}), updatedAt: sql`now()` })
    .where(and(eq(chainTransactions.id, row.id), eq(chainTransactions.status, row.status)));
}

async function receiptOf(ctx: ChainContext, hash: Hex): Promise<TransactionReceipt | null> {
  try {
    return await ctx.client.getTransactionReceipt({ hash });
  } catch (error) {
    if (classifyChainError(error).kind === "unavailable") throw error;
    return null;
  }
}

function versions(row: ChainTransaction): { hash: Hex; raw: Hex }[] {
  const payload = row.payload!;
  return [{ hash: row.txHash as Hex, raw: row.rawTransaction as Hex }, ...(payload.replaced ?? [])];
}

async function minedVersion(ctx: ChainContext, row: ChainTransaction) {
  for (const version of versions(row)) {
    const receipt = await receiptOf(ctx, version.hash);
    if (receipt) return { version, receipt };
  }
  return null;
}

/** Simulates a pending row (a refusal fails it without using a nonce), then signs, stores and sends it. */
export async function prepareAndSend(ctx: ChainContext, row: ChainTransaction): Promise<void> {
  const payload = row.payload!;
  const value = BigInt(payload.value ?? "0");
  // The reads go out together (one HTTP batch); each is judged in the order it used to be made.
  const [code, estimate, fees, nonce] = await Promise.allSettled([
    // A plain value transfer (a gas top-up) has no contract to wait for.
    payload.to && payload.contract !== "none" ? ctx.client.getCode({ address: payload.to }) : Promise.resolve(undefined),
    ctx.client.estimateGas({ account: ctx.account.address, to: payload.to ?? undefined, data: payload.data, value }),
    ctx.client.estimateFeesPerGas(),
    nextNonce(ctx),
  ]);
  // A call to an address without code would "succeed" in simulation and run out of gas when mined
  // (a dev chain still replaying its journal, say): wait for the contract instead.
  if (code.status === "rejected") throw code.reason;
  if (payload.to && payload.contract !== "none" && (code.value ?? "0x") === "0x") {
    await noteError(ctx, row.id, `no contract at ${payload.to} yet`);
    throw new ChainRetryableError(`no contract at ${payload.to} yet`);
  }
  if (estimate.status === "rejected") {
    const failure = classifyChainError(estimate.reason);
    if (failure.kind === "revert" || failure.kind === "fatal") return markFailed(ctx, row, `refused in simulation: ${failure.message}`, true);
    await noteError(ctx, row.id, failure.message);
    throw new ChainRetryableError(failure.message);
  }
  if (fees.status === "rejected") throw fees.reason;
  if (nonce.status === "rejected") throw nonce.reason;
  const raw = await sign(ctx, { to: payload.to, data: payload.data, value, gas: (estimate.value * 6n) / 5n, nonce: nonce.value, ...fees.value });
  // Stored before it is sent: after a crash the queue finds these bytes and sends them again.
  const stored = await storeSigned(ctx, { nonce: nonce.value, raw, fees: fees.value, status: "sent", error: null }, and(eq(chainTransactions.id, row.id), eq(chainTransactions.status, "pending")));
  if (stored) await broadcast(ctx, stored, 0);
}

/** Keeps signed bytes before they are sent (a crash re-sends exactly these), if the row is still as expected. */
async function storeSigned(
  ctx: ChainContext,
  signed: { nonce: number; raw: Hex; fees: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }; error: string | null; status?: "sent"; payload?: ChainTransaction["payload"] },
  expected: SQL | undefined,
): Promise<ChainTransaction | undefined> {
  const [stored] = await ctx.db
    .update(chainTransactions)
    .set({
      nonce: signed.nonce,
      rawTransaction: signed.raw,
      txHash: keccak256(signed.raw),
      ...(signed.status ? { status: signed.status } : {}),
      ...(signed.payload ? { payload: signed.payload } : {}),
      maxFeePerGas: signed.fees.maxFeePerGas.toString(),
      maxPriorityFeePerGas: signed.fees.maxPriorityFeePerGas.toString(),
      attempts: sql`${chainTransactions.attempts} + 1`,
      error: signed.error,
      sentAt: null,
      updatedAt: sql`now()`,
    })
    .where(expected)
    .returning();
  return stored;
}

async function broadcast(ctx: ChainContext, row: ChainTransaction, depth: number): Promise<void> {
  await ctx.hooks?.beforeBroadcast?.(row.id);
  try {
    await ctx.client.request({ method: "eth_sendRawTransaction", params: [row.rawTransaction as Hex] });
  } catch (error) {
    const failure = classifyChainError(error);
    if (failure.kind === "nonce_too_low") {
      // Either this very transaction is already mined (the next check records it), or another
      // transaction took the nonce: then re-sign with a nonce resynchronised from the chain.
      if (!(await minedVersion(ctx, row))) return resend(ctx, row, true, failure.message, depth);
    } else if (failure.kind === "underpriced") {
      return resend(ctx, row, false, failure.message, depth);
    } else if (failure.kind === "revert" || failure.kind === "fatal") {
      // Hardhat mines a reverting transaction and still reports the revert: the receipt decides.
      // An earlier version may still be pending, so a refused replacement keeps the row open.
      if (!(await minedVersion(ctx, row))) {
        if (!row.payload!.replaced?.length) return markFailed(ctx, row, failure.message, true);
        await noteError(ctx, row.id, failure.message);
        throw new ChainRetryableError(failure.message);
      }
    } else if (failure.kind !== "already_known") {
      await noteError(ctx, row.id, failure.message);
      throw new ChainRetryableError(failure.message);
    }
  }
  await ctx.db
    .update(chainTransactions)
    .set({ sentAt: sql`now()`, error: null, updatedAt: sql`now()` })
    .where(and(eq(chainTransactions.id, row.id), eq(chainTransactions.txHash, row.txHash!)));
  await ctx.hooks?.afterBroadcast?.(row.id);
}

const bump = (value: bigint) => (value * 11n) / 10n + 1n;
const max = (a: bigint, b: bigint) => (a > b ? a : b);

/**
 * Signs the row again: with the same nonce and at least +10% fees (stuck or underpriced), or with
 * a fresh nonce when its own was taken. Every earlier version stays listed, since any of them may
 * still be the one that is mined.
 */
async function resend(ctx: ChainContext, row: ChainTransaction, newNonce: boolean, reason: string, depth: number): Promise<void> {
  if (depth >= MAX_RESENDS_IN_A_ROW) throw new ChainRetryableError(`gave up re-sending for now: ${reason}`);
  const previous = parseTransaction(row.rawTransaction as Hex);
  const current = await ctx.client.estimateFeesPerGas();
  const priority = newNonce ? current.maxPriorityFeePerGas : max(bump(previous.maxPriorityFeePerGas ?? 0n), current.maxPriorityFeePerGas);
  const fee = max(newNonce ? current.maxFeePerGas : max(bump(previous.maxFeePerGas ?? 0n), current.maxFeePerGas), priority);
  const nonce = newNonce ? await nextNonce(ctx) : row.nonce!;
  const raw = await sign(ctx, { to: previous.to ?? null, data: previous.data ?? "0x", value: previous.value ?? 0n, gas: previous.gas!, nonce, maxFeePerGas: fee, maxPriorityFeePerGas: priority });
  const payload = row.payload!;
  const stored = await storeSigned(
    ctx,
    {
      nonce,
      raw,
      fees: { maxFeePerGas: fee, maxPriorityFeePerGas: priority },
      error: `re-sent: ${reason}`,
      payload: { ...payload, replaced: [...(payload.replaced ?? []), { hash: row.txHash as Hex, raw: row.rawTransaction as Hex }] },
    },
    and(eq(chainTransactions.id, row.id), eq(chainTransactions.txHash, row.txHash!), eq(chainTransactions.status, "sent")),
  );
  if (stored) await broadcast(ctx, stored, depth + 1);
}

/** Why a mined transaction reverted: the same call replayed on the state just before its block. */
async function revertReason(ctx: ChainContext, raw: Hex, receipt: TransactionReceipt): Promise<string> {
  const tx = parseTransaction(raw);
  try {
    await ctx.client.call({ account: ctx.account.address, to: tx.to ?? undefined, data: tx.data, gas: tx.gas, blockNumber: receipt.blockNumber - 1n });
    return `reverted on chain in block ${receipt.blockNumber} (out of gas?)`;
  } catch (error) {
    return `reverted on chain in block ${receipt.blockNumber}: ${classifyChainError(error).message}`;
  }
}

/**
 * Follows a sent row: records its receipt (whichever version was mined) once deep enough, or
 * re-broadcasts it (lost by a restarted node, or never sent before a crash), or bumps its fees
 * when stuck, or resynchronises its nonce when another transaction used it.
 */
export async function checkSent(ctx: ChainContext, row: ChainTransaction, latestBlock: () => Promise<bigint>): Promise<"done" | "included" | "in_flight"> {
  let mined = await minedVersion(ctx, row);
  if (!mined) {
    const used = await ctx.client.getTransactionCount({ address: ctx.account.address, blockTag: "latest" });
    if (used <= row.nonce!) {
      const known =
        row.sentAt !== null &&
        (await ctx.client.getTransaction({ hash: row.txHash as Hex }).then(
          () => true,
          (error) => {
            if (classifyChainError(error).kind === "unavailable") throw error;
            return false;
          },
        ));
      if (!known) await broadcast(ctx, row, 0);
      else if (Date.now() - row.sentAt!.getTime() > ctx.stuckAfterMs) await resend(ctx, row, false, `no receipt after ${ctx.stuckAfterMs} ms`, 0);
      return "in_flight";
    }
    mined = await minedVersion(ctx, row); // mined between the two calls?
    if (!mined) {
      // Give a lagging node time to show the receipt before concluding another transaction took the nonce.
      if (Date.now() - row.updatedAt.getTime() > Math.min(ctx.stuckAfterMs, 10_000)) {
        await resend(ctx, row, true, `nonce ${row.nonce} was used by another transaction`, 0);
      }
      return "in_flight";
    }
  }
  const { version, receipt } = mined;
  const payload = row.payload!;
  const swapped = version.hash !== row.txHash;
  const identity = swapped
    ? {
        txHash: version.hash,
        rawTransaction: version.raw,
        // Oldest first, as resend() lists them.
        payload: { ...payload, replaced: [...(payload.replaced ?? []), { hash: row.txHash as Hex, raw: row.rawTransaction as Hex }].filter((other) => other.hash !== version.hash) },
      }
    : {};
  // The block (for its time) is read with the head, in case the receipt is deep enough.
  const blockRead = ctx.client.getBlock({ blockNumber: receipt.blockNumber });
  blockRead.catch(() => undefined);
  const depth = (await latestBlock()) - receipt.blockNumber + 1n;
  const where = and(eq(chainTransactions.id, row.id), eq(chainTransactions.status, "sent"));
  if (depth < BigInt(ctx.confirmations)) {
    await ctx.db
      .update(chainTransactions)
      .set({ ...identity, blockNumber: Number(receipt.blockNumber), updatedAt: sql`now()` })
      .where(where);
    return "included";
  }
  const succeeded = receipt.status === "success";
  // Kept so that a replay into a fresh dev chain mines it at the same time (lib/chain/journal.ts).
  const block = await blockRead;
  const finalPayload = { ...payload, ...(identity.payload ?? {}), ...(receipt.contractAddress ? { createdAddress: receipt.contractAddress } : {}) };
  await ctx.db
    .update(chainTransactions)
    .set({
      ...identity,
      payload: finalPayload,
      status: succeeded ? "confirmed" : "failed",
      error: succeeded ? null : await revertReason(ctx, version.raw, receipt),
      blockNumber: Number(receipt.blockNumber),
      blockTime: new Date(Number(block.timestamp) * 1000),
      confirmedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(where);
  return "done";
}

import "server-only";
import { and, asc, count, eq, isNotNull, min } from "drizzle-orm";
import { getAddress, numberToHex, parseTransaction, type Hex } from "viem";
import type { Db } from "@/db/client";
import { chainTransactions, offerings } from "@/db/schema";
import type { ChainContext } from "./context";
import { classifyChainError } from "./errors";

const DAY_MS = 86_400_000;

/**
 * The journal: every signed transaction the queue stored, with the block it was mined in and that
 * block's time. Replaying the mined ones in their original order into a fresh node (same chain id,
 * same signer, same nonces, same block times) rebuilds the same state: same contract addresses,
 * same transaction hashes, same dates. That is how the in-memory dev chain survives a restart.
 */
export async function replayJournal(ctx: ChainContext, log: (line: string) => void = () => {}): Promise<{ replayed: number; present: number }> {
  const rows = await ctx.db
    .select()
    .from(chainTransactions)
    .where(and(eq(chainTransactions.chainId, ctx.chainId), isNotNull(chainTransactions.rawTransaction), isNotNull(chainTransactions.blockNumber)))
    .orderBy(asc(chainTransactions.blockNumber), asc(chainTransactions.confirmedAt), asc(chainTransactions.nonce));
  const fresh = (await ctx.client.getBlockNumber({ cacheTime: 0 })) === 0n;
  let previous = Number((await ctx.client.getBlock({ blockTag: "latest" })).timestamp);
  let replayed = 0;
  let present = 0;
  for (const row of rows) {
    const hash = row.txHash as Hex;
    if (
      !fresh &&
      (await ctx.client.getTransactionReceipt({ hash }).then(
        () => true,
        () => false,
      ))
    ) {
      present++;
      continue;
    }
    // Its original time; block times must rise, so a tie or an older journal (no time) takes the next second.
    const original = row.blockTime ? Math.floor(row.blockTime.getTime() / 1000) : 0;
    await ctx.client.request({ method: "evm_setNextBlockTimestamp" as never, params: [numberToHex(Math.max(previous + 1, original))] as never });
    await sendForReplay(ctx, row.rawTransaction as Hex);
    const receipt = await ctx.client.getTransactionReceipt({ hash }).catch(() => null);
    if (!receipt) throw new Error(`journal replay: transaction ${hash} (nonce ${row.nonce}) was not mined`);
    const expected = row.status === "failed" ? "reverted" : "success";
    if (receipt.status !== expected) throw new Error(`journal replay: ${hash} ended ${receipt.status}, the journal says ${expected}`);
    previous = Number((await ctx.client.getBlock({ blockNumber: receipt.blockNumber })).timestamp);
    const blockTime = new Date(previous * 1000);
    if (BigInt(row.blockNumber!) !== receipt.blockNumber || row.blockTime?.getTime() !== blockTime.getTime()) {
      await ctx.db
        .update(chainTransactions)
        .set({ blockNumber: Number(receipt.blockNumber), blockTime })
        .where(eq(chainTransactions.id, row.id));
    }
    replayed++;
  }
  if (replayed > 0) log(`replayed ${replayed} journaled transaction(s) into the chain`);
  return { replayed, present };
}

/**
 * The genesis date for a fresh dev node: a day before the earliest journaled block time, or before
 * `pending` (past dates still to be mined), or a year back for an empty journal, so that every block
 * can be mined at its own past time. A journal from before block times were kept has none: the
 * node then starts now, as it always did (undefined).
 */
export async function journalGenesis(db: Db, chainId: number, pending: Date[] = [], now = new Date()): Promise<Date | undefined> {
  const [row] = await db
    .select({ mined: count(chainTransactions.blockNumber), timed: count(chainTransactions.blockTime), earliest: min(chainTransactions.blockTime) })
    .from(chainTransactions)
    .where(and(eq(chainTransactions.chainId, chainId), isNotNull(chainTransactions.rawTransaction)));
  if (row && row.mined > 0 && row.timed === 0) return undefined;
  const known = [row?.earliest, ...pending].filter((date): date is Date => date instanceof Date).map((date) => date.getTime());
  const earliest = known.length > 0 ? Math.min(now.getTime(), ...known) : now.getTime() - 365 * DAY_MS;
  return new Date(earliest - DAY_MS);
}

/** The next block is mined at `at`, or one second after the latest block when that is later. */
export async function setNextBlockTime(ctx: Pick<ChainContext, "client">, at: Date): Promise<void> {
  const latest = Number((await ctx.client.getBlock({ blockTag: "latest" })).timestamp);
  const next = Math.max(latest + 1, Math.floor(at.getTime() / 1000));
  await ctx.client.request({ method: "evm_setNextBlockTimestamp" as never, params: [numberToHex(next)] as never });
}

/**
 * Back to the wall clock after past blocks: Hardhat keeps the offset of the last timestamp it was
 * told, so the clock is moved forward by that offset (no block is mined for it).
 */
export async function resumeRealTime(ctx: Pick<ChainContext, "client">): Promise<void> {
  const offset = Number(await ctx.client.request({ method: "evm_increaseTime" as never, params: [0] as never }));
  if (offset < 0) await ctx.client.request({ method: "evm_increaseTime" as never, params: [numberToHex(-offset)] as never });
}

async function sendForReplay(ctx: ChainContext, raw: Hex): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await ctx.client.request({ method: "eth_sendRawTransaction", params: [raw] });
      return;
    } catch (error) {
      const failure = classifyChainError(error);
      if (failure.kind === "revert" || failure.kind === "already_known") return; // mined (reverting, as the journal says) or known
      if (attempt === 0 && /base ?fee/i.test(failure.message)) {
        // The fresh chain's base fee drifted above what the transaction once offered: lower it.
        const tx = parseTransaction(raw);
        await ctx.client.request({ method: "hardhat_setNextBlockBaseFeePerGas" as never, params: [numberToHex((tx.maxFeePerGas ?? 2n) / 2n)] as never });
        continue;
      }
      throw new Error(`journal replay refused ${failure.message}`);
    }
  }
}

/** Every token the database knows on this chain must have code there, or chain and database disagree. */
export async function verifyTokenCode(ctx: ChainContext): Promise<void> {
  const rows = await ctx.db
    .select({ slug: offerings.slug, token: offerings.tokenAddress })
    .from(offerings)
    .where(and(eq(offerings.chainId, ctx.chainId), isNotNull(offerings.tokenAddress)));
  for (const row of rows) {
    const code = await ctx.client.getCode({ address: getAddress(row.token!) });
    if (!code || code === "0x") {
      throw new Error(
        `the token of offering ${row.slug} (${row.token}) has no code on chain ${ctx.chainId}: the chain and the database disagree. ` +
          "If the journal was lost, reset the development data directory.",
      );
    }
  }
}

import "server-only";
import { and, asc, eq, isNotNull } from "drizzle-orm";
import { getAddress, numberToHex, parseTransaction, type Hex } from "viem";
import { chainTransactions, offerings } from "@/db/schema";
import type { ChainContext } from "./context";
import { classifyChainError } from "./errors";

/**
 * The journal: every signed transaction the queue stored, with the block it was mined in.
 * Replaying the mined ones in their original order into a fresh node (same chain id, same
 * signer, same nonces) rebuilds the same state: same contract addresses, same transaction hashes.
 * That is how the in-memory dev chain survives a restart.
 */
export async function replayJournal(ctx: ChainContext, log: (line: string) => void = () => {}): Promise<{ replayed: number; present: number }> {
  const rows = await ctx.db
    .select()
    .from(chainTransactions)
    .where(and(eq(chainTransactions.chainId, ctx.chainId), isNotNull(chainTransactions.rawTransaction), isNotNull(chainTransactions.blockNumber)))
    .orderBy(asc(chainTransactions.blockNumber), asc(chainTransactions.confirmedAt), asc(chainTransactions.nonce));
  const fresh = (await ctx.client.getBlockNumber({ cacheTime: 0 })) === 0n;
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
    await sendForReplay(ctx, row.rawTransaction as Hex);
    const receipt = await ctx.client.getTransactionReceipt({ hash }).catch(() => null);
    if (!receipt) throw new Error(`journal replay: transaction ${hash} (nonce ${row.nonce}) was not mined`);
    const expected = row.status === "failed" ? "reverted" : "success";
    if (receipt.status !== expected) throw new Error(`journal replay: ${hash} ended ${receipt.status}, the journal says ${expected}`);
    if (BigInt(row.blockNumber!) !== receipt.blockNumber) {
      await ctx.db
        .update(chainTransactions)
        .set({ blockNumber: Number(receipt.blockNumber) })
        .where(eq(chainTransactions.id, row.id));
    }
    replayed++;
  }
  if (replayed > 0) log(`replayed ${replayed} journaled transaction(s) into the chain`);
  return { replayed, present };
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

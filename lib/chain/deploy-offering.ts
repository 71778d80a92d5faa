import "server-only";
import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { getAddress, type Address, type Hash } from "viem";
import { chainTransactions, offerings } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { allowlistExistingWallets } from "./allowlist";
import type { ChainContext } from "./context";
import { deployTokenIntent } from "./intents";
import { submitTransaction, waitForTransactions } from "./signer-queue";

export type OfferingToken = { offeringId: string; tokenAddress: Address; txHash: Hash | null; deployed: boolean };

/**
 * Deploys the offering's VillageToken through the signer queue (so the deployment is journaled
 * like every other transaction) and stores its address on the offering. Idempotent: an offering
 * with a token keeps it, and a deployment already under way is awaited, not repeated.
 */
export async function deployOfferingToken(ctx: ChainContext, offeringId: string): Promise<OfferingToken> {
  const [offering] = await ctx.db.select().from(offerings).where(eq(offerings.id, offeringId));
  if (!offering) throw new Error(`no offering ${offeringId}`);
  if (offering.tokenAddress) {
    if (offering.chainId !== ctx.chainId) throw new Error(`offering ${offering.slug} has its token on chain ${offering.chainId}, not ${ctx.chainId}`);
    return { offeringId, tokenAddress: getAddress(offering.tokenAddress), txHash: null, deployed: false };
  }
  const [underway] = await ctx.db
    .select()
    .from(chainTransactions)
    .where(
      and(
        eq(chainTransactions.kind, "deploy"),
        eq(chainTransactions.chainId, ctx.chainId),
        sql`${chainTransactions.payload}->'ref'->>'offeringId' = ${offeringId}`,
        inArray(chainTransactions.status, ["pending", "sent", "confirmed"]),
      ),
    )
    .orderBy(desc(chainTransactions.createdAt))
    .limit(1);
  const row = underway ?? (await submitTransaction(ctx.db, ctx, deployTokenIntent({ name: offering.nameEn, symbol: offering.tokenSymbol, admin: ctx.account.address, offeringId })));
  const [done] = await waitForTransactions(ctx, [row.id]);
  const created = done!.payload!.createdAddress;
  if (done!.status !== "confirmed" || !created) throw new Error(`deployment of the ${offering.slug} token failed: ${done!.error ?? "no contract address"}`);
  const tokenAddress = getAddress(created);
  await allowlistExistingWallets(ctx, tokenAddress);
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(offerings)
      .set({ chainId: ctx.chainId, tokenAddress })
      .where(and(eq(offerings.id, offeringId), isNull(offerings.tokenAddress)));
    await recordAudit(tx, { actorId: null, action: "token.deployed", targetType: "offering", targetId: offeringId, detail: { tokenAddress, txHash: done!.txHash, chainId: ctx.chainId } });
  });
  return { offeringId, tokenAddress, txHash: done!.txHash as Hash, deployed: true };
}

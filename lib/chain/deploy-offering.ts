import "server-only";
import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { getAddress, type Address, type Hash } from "viem";
import type { DbOrTx } from "@/db/client";
import { chainTransactions, offerings } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { allowlistExistingWallets } from "./allowlist";
import type { ChainContext } from "./context";
import { deployTokenIntent } from "./intents";
import { submitTransaction, waitForTransactions } from "./signer-queue";

export type OfferingToken = { offeringId: string; tokenAddress: Address; txHash: Hash | null; deployed: boolean };

/** The chain refused the deployment (it reverted or could not be sent): retrying the same job will not help. */
export class DeploymentRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeploymentRefused";
  }
}

/** The offering's latest deployment that is under way or done (on this chain), if any. */
function latestDeploy(db: DbOrTx, chainId: number, offeringId: string) {
  return db
    .select()
    .from(chainTransactions)
    .where(
      and(
        eq(chainTransactions.kind, "deploy"),
        eq(chainTransactions.chainId, chainId),
        sql`${chainTransactions.payload}->'ref'->>'offeringId' = ${offeringId}`,
        inArray(chainTransactions.status, ["pending", "sent", "confirmed"]),
      ),
    )
    .orderBy(desc(chainTransactions.createdAt))
    .limit(1);
}

/**
 * Deploys the offering's VillageToken through the signer queue (so the deployment is journaled
 * like every other transaction) and stores its address on the offering. Idempotent: an offering
 * with a token keeps it, and a deployment already under way is awaited, not repeated (a lock per
 * offering makes two callers at once agree on one transaction).
 */
export async function deployOfferingToken(ctx: ChainContext, offeringId: string): Promise<OfferingToken> {
  const [offering] = await ctx.db.select().from(offerings).where(eq(offerings.id, offeringId));
  if (!offering) throw new Error(`no offering ${offeringId}`);
  const existing = (row: typeof offering): OfferingToken => {
    if (row.chainId !== ctx.chainId) throw new Error(`offering ${row.slug} has its token on chain ${row.chainId}, not ${ctx.chainId}`);
    return { offeringId, tokenAddress: getAddress(row.tokenAddress!), txHash: null, deployed: false };
  };
  if (offering.tokenAddress) return existing(offering);
  const row = await ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`deploy-offering:${offeringId}`}, 0))`);
    const [current] = await tx.select({ tokenAddress: offerings.tokenAddress }).from(offerings).where(eq(offerings.id, offeringId));
    if (current?.tokenAddress) return null;
    const [underway] = await latestDeploy(tx, ctx.chainId, offeringId);
    return underway ?? (await submitTransaction(tx, ctx, deployTokenIntent({ name: offering.nameEn, symbol: offering.tokenSymbol, admin: ctx.account.address, offeringId })));
  });
  if (!row) {
    const [now] = await ctx.db.select().from(offerings).where(eq(offerings.id, offeringId));
    return existing(now!);
  }
  const [done] = await waitForTransactions(ctx, [row.id]);
  const created = done!.payload!.createdAddress;
  if (done!.status !== "confirmed" || !created) throw new DeploymentRefused(`deployment of the ${offering.slug} token failed: ${done!.error ?? "no contract address"}`);
  const tokenAddress = getAddress(created);
  await allowlistExistingWallets(ctx, tokenAddress);
  await ctx.db.transaction(async (tx) => {
    const [stored] = await tx
      .update(offerings)
      .set({ chainId: ctx.chainId, tokenAddress })
      .where(and(eq(offerings.id, offeringId), isNull(offerings.tokenAddress)))
      .returning({ id: offerings.id });
    if (stored) await recordAudit(tx, { actorId: null, action: "token.deployed", targetType: "offering", targetId: offeringId, detail: { tokenAddress, txHash: done!.txHash, chainId: ctx.chainId } });
  });
  return { offeringId, tokenAddress, txHash: done!.txHash as Hash, deployed: true };
}

// Shared by the perk burn and give-back tests: a village token on the dev chain, holders with
// allocated units, a redeeming perk, and claims as the claim step leaves them. Not used by the app.
import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Address } from "viem";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";
import { getDb } from "@/db/client";
import { auditLog, ledgerEntries, notifications, perkClaims, perks, type NoticeKind } from "@/db/schema";
import type { AuditAction } from "@/lib/audit";
import { allocateWaiting } from "@/lib/chain/allocate";
import type { ChainContext } from "@/lib/chain/context";
import { makeInvestor, makeOfferingWithToken, makePaidOrder } from "@/test/chain-support";

export type Holder = { userId: string; address: Address; units: number };
export type World = { offering: { id: string; slug: string; token: Address }; holders: Holder[]; perkId: string };

/** A village token with holders of `units` each (allocated on chain) and a redeeming perk costing `cost`. */
export async function perkWorld(ctx: ChainContext, units: number[], cost: number): Promise<World> {
  const offering = await makeOfferingWithToken(ctx);
  const holders: Holder[] = [];
  for (const n of units) {
    const investor = await makeInvestor(getDb());
    await makePaidOrder(getDb(), { userId: investor.userId, offeringId: offering.id, units: n });
    holders.push({ ...investor, units: n });
  }
  await allocateWaiting(ctx);
  const now = Date.now();
  const [perk] = await getDb()
    .insert(perks)
    .values({
      offeringId: offering.id,
      kind: "redeeming",
      titleJa: "民泊一泊",
      titleEn: "A night at the guesthouse",
      descriptionJa: "村の宿",
      descriptionEn: "The village inn",
      costUnits: cost,
      stock: 100,
      claimOpensAt: new Date(now - 86_400_000),
      claimClosesAt: new Date(now + 86_400_000),
    })
    .returning();
  return { offering, holders, perkId: perk!.id };
}

/** A redeeming claim as claimPerk leaves it: burn key from the redemptions' sequence, from the holder's wallet. */
export async function makeClaim(world: World, holder: Holder, units: number): Promise<string> {
  const [claim] = await getDb()
    .insert(perkClaims)
    .values({ perkId: world.perkId, userId: holder.userId, units, burnSeq: sql`nextval('redemption_burns_seq_seq')`, fromAddress: holder.address })
    .returning({ id: perkClaims.id });
  await getDb()
    .update(perks)
    .set({ claimed: sql`${perks.claimed} + 1` })
    .where(eq(perks.id, world.perkId));
  return claim!.id;
}

export async function claimOf(claimId: string) {
  const [claim] = await getDb().select().from(perkClaims).where(eq(perkClaims.id, claimId));
  return claim!;
}

/** Cancels a claim by staff (the status change only: giving back is the job's). */
export async function cancel(claimId: string): Promise<void> {
  await getDb().update(perkClaims).set({ status: "cancelled", cancelReason: "test", cancelledAt: new Date() }).where(eq(perkClaims.id, claimId));
}

export const balanceOf = (ctx: ChainContext, token: Address, holder: Address) => ctx.client.readContract({ address: token, abi: villageTokenAbi, functionName: "balanceOf", args: [holder] });
export const supplyOf = (ctx: ChainContext, token: Address) => ctx.client.readContract({ address: token, abi: villageTokenAbi, functionName: "totalSupply" });

/** The ledger entries of one claim (burn and give-back). */
export function entriesOf(claimId: string) {
  return getDb().select().from(ledgerEntries).where(sql`${ledgerEntries.detail}->>'perkClaimId' = ${claimId}`);
}

export async function auditsOf(claimId: string, action: AuditAction) {
  return getDb()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.targetId, claimId)));
}

export async function noticesOf(claimId: string, kind: NoticeKind) {
  return getDb()
    .select()
    .from(notifications)
    .where(and(eq(notifications.kind, kind), sql`${notifications.detail}->>'perkClaimId' = ${claimId}`));
}

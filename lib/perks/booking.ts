import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Address } from "viem";
import type { DbOrTx } from "@/db/client";
import { ledgerEntries, offerings, perkClaims, perks, type PerkClaim } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { explorerTxUrl } from "@/lib/chain/queries";
import { notify } from "@/lib/notifications/notices";

/** A perk claim's units leaving the holder on chain (burn) or coming back (restore), as mined. */
export type PerkMove = "burn" | "restore";
export type MinedMove = { address: Address; chainTransactionId: string | null; txHash: string | null; blockNumber: number | null };

/**
 * Books one claim's burn or give-back once, in the caller's transaction: whoever sets the claim's
 * burnedAt (restoredAt) writes the ledger entry, the audit entry and the holder's notice. Returns
 * the claim as booked, or null when it was booked before.
 */
export async function bookPerkMove(tx: DbOrTx, move: PerkMove, claimId: string, mined: MinedMove): Promise<PerkClaim | null> {
  const burn = move === "burn";
  const linked = mined.chainTransactionId ? (burn ? { burnChainTransactionId: mined.chainTransactionId } : { restoreChainTransactionId: mined.chainTransactionId }) : {};
  const [claim] = await tx
    .update(perkClaims)
    .set({ ...(burn ? { burnedAt: sql`now()` } : { restoredAt: sql`now()` }), ...linked })
    .where(and(eq(perkClaims.id, claimId), isNull(burn ? perkClaims.burnedAt : perkClaims.restoredAt)))
    .returning();
  if (!claim) return null;
  const [perk] = await tx
    .select({ id: perks.id, offeringId: perks.offeringId, titleJa: perks.titleJa, titleEn: perks.titleEn, offeringNameJa: offerings.nameJa, offeringNameEn: offerings.nameEn })
    .from(perks)
    .innerJoin(offerings, eq(offerings.id, perks.offeringId))
    .where(eq(perks.id, claim.perkId));
  const { txHash, blockNumber, address } = mined;
  const seq = burn ? claim.burnSeq : claim.restoreSeq;
  const where = burn ? { from: address } : { to: address };
  await tx.insert(ledgerEntries).values({
    kind: burn ? "tokens_redeemed" : "tokens_allocated",
    offeringId: perk!.offeringId,
    orderId: null,
    userId: claim.userId,
    units: burn ? -claim.units : claim.units,
    detail: { ...where, txHash, blockNumber, perkClaimId: claim.id, perkId: perk!.id, seq, ...(burn ? {} : { restored: true }) },
  });
  await recordAudit(tx, {
    actorId: null,
    action: burn ? "perk_claim.burned" : "perk_claim.restored",
    targetType: "perk_claim",
    targetId: claim.id,
    detail: { perkId: perk!.id, offeringId: perk!.offeringId, userId: claim.userId, units: claim.units, seq, ...where, txHash, blockNumber },
  });
  await notify(tx, {
    userId: claim.userId,
    kind: burn ? "perk_tokens_burned" : "perk_tokens_restored",
    detail: {
      perkId: perk!.id,
      perkClaimId: claim.id,
      perkTitleJa: perk!.titleJa,
      perkTitleEn: perk!.titleEn,
      offeringNameJa: perk!.offeringNameJa,
      offeringNameEn: perk!.offeringNameEn,
      units: claim.units,
      ...(txHash ? { txHash, explorerUrl: explorerTxUrl(txHash) } : {}),
    },
  });
  return claim;
}

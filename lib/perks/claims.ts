import "server-only";
import { and, eq, gt, lte, sql } from "drizzle-orm";
import { getDb, violatesConstraint, type DbOrTx } from "@/db/client";
import { offerings, perkClaims, perks, type Perk, type PerkClaim } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { enqueue } from "@/lib/jobs/enqueue";
import { JOBS } from "@/lib/jobs/names";
import { notify } from "@/lib/notifications/notices";
import { giveUpSettledBurn } from "./chain-carriers";
import { eligibilityIn, isUuid, liveClaimOf, perkEligibility } from "./queries";
import { holderSpendLock, walletAddressOf } from "./standing";
import type { ClaimOutcome, ClaimStepOutcome, Delivery } from "./types";

/**
 * Claims and the staff's steps on them.
 *
 * The chain side (lib/perks/burn.ts, restore.ts) works from what these leave:
 * - a redeeming claim gets `burnSeq` (from redemption_burns_seq_seq, the contract's redeem-once
 *   keys) and `fromAddress` when claimed, and JOBS.perkBurn is enqueued in the same transaction;
 * - cancelling a claim whose burn is booked (`burnedAt` set) sets `restoreSeq` (from orders_seq_seq,
 *   the allocation keys) and enqueues JOBS.perkRestore in the same transaction;
 * - cancelling a claim not burned yet leaves `burnSeq` as it is: the burn job skips a cancelled
 *   claim whose burn never left, and if a burn was already under way and lands, the burn job books
 *   it and then sets `restoreSeq` and enqueues the restore itself. Both sides lock the claim row
 *   (cancel: select for update; the burn: `update ... where burned_at is null`), so exactly one of
 *   them sees the other's write and the tokens come back once.
 *
 * Staff authorisation is the caller's (offeringForStaff); shipClaim and cancelClaim also take the
 * offering the caller was authorised for and find only claims of perks of that offering.
 */

const SEQ_REDEEM = sql`select nextval('redemption_burns_seq_seq')::bigint as seq`;
const SEQ_ALLOCATE = sql`select nextval('orders_seq_seq')::bigint as seq`;

async function nextSeq(tx: DbOrTx, query: typeof SEQ_REDEEM): Promise<number> {
  const [row] = await tx.execute<{ seq: string }>(query);
  return Number(row!.seq);
}

/** What a claim's notices say about it (kept as it was then). */
function noticeDetail(perk: Pick<Perk, "id" | "titleJa" | "titleEn">, claim: Pick<PerkClaim, "id" | "units">) {
  return { perkId: perk.id, perkClaimId: claim.id, perkTitleJa: perk.titleJa, perkTitleEn: perk.titleEn, units: claim.units };
}

function deliveryColumns(delivery: Delivery): Delivery {
  const { recipientName, recipientKana, postalCode, address, phone } = delivery;
  return { recipientName, recipientKana, postalCode, address, phone };
}

class StockGone extends Error {}

/**
 * Claims a perk for a holder, once, never beyond stock. In one transaction: the holder's lock
 * (per offering, so two tabs and two redeeming perks of one token serialise), eligibility read
 * again under it, the claim row (the partial unique index is the backstop against a second live
 * claim), its burn key and job, audit and notice, and last the stock, taken by one conditional
 * UPDATE like the sale cap; no stock left rolls everything back.
 */
export async function claimPerk(input: { perkId: string; userId: string; delivery: Delivery | null; now?: Date }): Promise<ClaimOutcome> {
  const now = input.now ?? new Date();
  if (!isUuid(input.perkId)) return { status: "not_found" };
  const db = getDb();
  try {
    return await db.transaction(async (tx): Promise<ClaimOutcome> => {
      const [found] = await tx
        .select({ offeringId: perks.offeringId, offeringStatus: offerings.status })
        .from(perks)
        .innerJoin(offerings, eq(offerings.id, perks.offeringId))
        .where(eq(perks.id, input.perkId));
      if (!found || found.offeringStatus === "draft") return { status: "not_found" };
      await holderSpendLock(tx, found.offeringId, input.userId);
      // Key share: claims go side by side, but a change of the terms (updatePerk, for update) waits for them and they for it.
      const [perk] = await tx.select().from(perks).where(eq(perks.id, input.perkId)).for("key share");
      const eligibility = await eligibilityIn(tx, perk!, input.userId, now);
      if (eligibility.status === "claimed") return { status: "already_claimed", claimId: eligibility.claim!.id };
      if (eligibility.status === "sold_out") return { status: "sold_out" };
      if (eligibility.status !== "eligible") return { status: "not_eligible", eligibility };
      if (perk!.needsAddress && !input.delivery) return { status: "delivery_required" };

      const redeeming = perk!.kind === "redeeming";
      const burn = redeeming ? { burnSeq: await nextSeq(tx, SEQ_REDEEM), fromAddress: await walletAddressOf(tx, input.userId) } : {};
      let claim: PerkClaim;
      try {
        // In a savepoint: a second live claim fails here alone and takes no stock.
        claim = await tx.transaction(async (savepoint) => {
          const [row] = await savepoint
            .insert(perkClaims)
            .values({
              perkId: perk!.id,
              userId: input.userId,
              // Holding: the units at the record date; redeeming: the units given up.
              units: redeeming ? perk!.costUnits! : eligibility.units,
              ...(perk!.needsAddress ? deliveryColumns(input.delivery!) : {}),
              ...burn,
            })
            .returning();
          return row!;
        });
      } catch (error) {
        if (!violatesConstraint(error, "perk_claims_one_live")) throw error;
        const existing = await liveClaimOf(tx, perk!.id, input.userId);
        return { status: "already_claimed", claimId: existing!.id };
      }
      if (redeeming) await enqueue(tx, JOBS.perkBurn, { claimId: claim.id });
      await recordAudit(tx, {
        actorId: input.userId,
        action: "perk.claimed",
        targetType: "perk_claim",
        targetId: claim.id,
        detail: { offeringId: perk!.offeringId, perkId: perk!.id, kind: perk!.kind, units: claim.units, burnSeq: claim.burnSeq },
      });
      await notify(tx, { userId: input.userId, kind: "perk_claimed", detail: noticeDetail(perk!, claim) });

      // The contended row is touched last, so its lock is held only until the commit.
      const [taken] = await tx
        .update(perks)
        .set({ claimed: sql`${perks.claimed} + 1` })
        .where(and(eq(perks.id, perk!.id), eq(perks.status, "open"), sql`${perks.claimed} < ${perks.stock}`, lte(perks.claimOpensAt, now), gt(perks.claimClosesAt, now)))
        .returning({ id: perks.id });
      if (!taken) throw new StockGone();
      return { status: "claimed", claimId: claim.id };
    });
  } catch (error) {
    if (!(error instanceof StockGone)) throw error;
    // Withdrawn or closed meanwhile says so; otherwise the stock ran out.
    const [perk] = await db.select().from(perks).where(eq(perks.id, input.perkId));
    const eligibility = await perkEligibility(perk!, input.userId, now);
    return eligibility.status === "eligible" || eligibility.status === "sold_out" ? { status: "sold_out" } : { status: "not_eligible", eligibility };
  }
}

/** The claim (locked) and its perk, when the claim belongs to a perk of the offering. */
async function lockedClaim(tx: DbOrTx, claimId: string, offeringId: string) {
  const [row] = await tx
    .select({ claim: perkClaims, perk: perks })
    .from(perkClaims)
    .innerJoin(perks, eq(perks.id, perkClaims.perkId))
    .where(and(eq(perkClaims.id, claimId), eq(perks.offeringId, offeringId)))
    .for("update", { of: perkClaims });
  return row ?? null;
}

/** Staff: marks a waiting claim shipped with a tracking number (a redeeming claim only once burned); holder notified. */
export async function shipClaim(input: { claimId: string; offeringId: string; trackingNumber: string; actorId: string }): Promise<ClaimStepOutcome> {
  if (!isUuid(input.claimId) || !isUuid(input.offeringId)) return "not_found";
  return getDb().transaction(async (tx) => {
    const found = await lockedClaim(tx, input.claimId, input.offeringId);
    if (!found) return "not_found";
    const { claim, perk } = found;
    if (claim.status !== "claimed") return "not_allowed";
    if (perk.kind === "redeeming" && !claim.burnedAt) return "not_burned";
    await tx.update(perkClaims).set({ status: "shipped", trackingNumber: input.trackingNumber, shippedAt: sql`now()`, shippedBy: input.actorId }).where(eq(perkClaims.id, claim.id));
    await recordAudit(tx, {
      actorId: input.actorId,
      action: "perk_claim.shipped",
      targetType: "perk_claim",
      targetId: claim.id,
      detail: { offeringId: perk.offeringId, perkId: perk.id, trackingNumber: input.trackingNumber },
    });
    await notify(tx, { userId: claim.userId, kind: "perk_shipped", detail: { ...noticeDetail(perk, claim), trackingNumber: input.trackingNumber } });
    return "ok";
  });
}

/**
 * Staff: cancels a claim not yet shipped, with a reason; the stock is given back, units already
 * burned come back by a new allocation (restoreSeq + JOBS.perkRestore), and a failed burn left with
 * nothing to burn is given up. Holder notified.
 */
export async function cancelClaim(input: { claimId: string; offeringId: string; reason: string; actorId: string }): Promise<ClaimStepOutcome> {
  if (!isUuid(input.claimId) || !isUuid(input.offeringId)) return "not_found";
  return getDb().transaction(async (tx) => {
    const found = await lockedClaim(tx, input.claimId, input.offeringId);
    if (!found) return "not_found";
    const { claim, perk } = found;
    if (claim.status !== "claimed") return "not_allowed";
    const restoreSeq = perk.kind === "redeeming" && claim.burnedAt ? await nextSeq(tx, SEQ_ALLOCATE) : null;
    await tx
      .update(perkClaims)
      .set({ status: "cancelled", cancelReason: input.reason, cancelledAt: sql`now()`, cancelledBy: input.actorId, ...(restoreSeq === null ? {} : { restoreSeq }) })
      .where(eq(perkClaims.id, claim.id));
    if (restoreSeq !== null) await enqueue(tx, JOBS.perkRestore, { claimId: claim.id });
    if (claim.burnChainTransactionId && !claim.burnedAt) await giveUpSettledBurn(tx, claim.burnChainTransactionId, input.actorId);
    await recordAudit(tx, {
      actorId: input.actorId,
      action: "perk_claim.cancelled",
      targetType: "perk_claim",
      targetId: claim.id,
      detail: { offeringId: perk.offeringId, perkId: perk.id, reason: input.reason, units: claim.units, burned: Boolean(claim.burnedAt), restoreSeq },
    });
    await notify(tx, { userId: claim.userId, kind: "perk_cancelled", detail: { ...noticeDetail(perk, claim), reason: input.reason } });
    await tx
      .update(perks)
      .set({ claimed: sql`${perks.claimed} - 1` })
      .where(and(eq(perks.id, perk.id), gt(perks.claimed, 0)));
    return "ok";
  });
}

import "server-only";
import { and, eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { couponPayments, couponRuns, ledgerEntries, type CouponPayment } from "@/db/schema";

/**
 * Carry-over: what an earlier run of the bond still owes is paid by a later run. A `failed`
 * transfer is owed again at once; a `waiting_account` payment once its holder has registered a
 * payout account. The later run holds a copy (`carriedFromId`); on its approval the original
 * becomes `carried` and a `payout_carried_over` ledger entry records the move, so the amount is
 * owed exactly once. Only approved or paid runs are carried from (a prepared run may still be
 * cancelled; a cancelled run's rows are deleted and free their originals again).
 */

export async function carryOverCandidates(db: DbOrTx, offeringId: string): Promise<CouponPayment[]> {
  const rows = await db
    .select({ payment: couponPayments })
    .from(couponPayments)
    .innerJoin(couponRuns, eq(couponRuns.id, couponPayments.runId))
    .where(
      and(
        eq(couponRuns.offeringId, offeringId),
        inArray(couponRuns.status, ["approved", "paid"]),
        sql`(${couponPayments.status} = 'failed' or (${couponPayments.status} = 'waiting_account' and exists (
          select 1 from payout_bank_accounts a where a.user_id = ${couponPayments.userId} and a.ended_at is null)))`,
        sql`not exists (select 1 from coupon_payments c where c.carried_from_id = ${couponPayments.id})`,
      ),
    )
    .orderBy(couponRuns.paymentNumber, couponPayments.createdAt);
  return rows.map((row) => row.payment);
}

export class CarryOverConflict extends Error {}

/**
 * At approval, in its transaction: every original this run carries becomes `carried`, with one
 * ledger entry each (yen = the net carried; principal in the detail). An original that is no
 * longer owed (paid or carried meanwhile) throws CarryOverConflict, so the approval rolls back.
 */
export async function settleCarriedOriginals(tx: DbOrTx, run: { id: string; offeringId: string }, actorId: string): Promise<number> {
  const copies = await tx
    .select({ id: couponPayments.id, from: couponPayments.carriedFromId })
    .from(couponPayments)
    .where(and(eq(couponPayments.runId, run.id), isNotNull(couponPayments.carriedFromId)));
  if (copies.length === 0) return 0;
  const copyOf = new Map(copies.map((copy) => [copy.from!, copy.id]));
  const now = new Date();
  // Locked first: a concurrent mark or approval waits, then sees the status this one leaves.
  const originals = await tx
    .select()
    .from(couponPayments)
    .where(
      inArray(
        couponPayments.id,
        copies.map((copy) => copy.from!),
      ),
    )
    .for("update");
  const stale = originals.filter((original) => original.status !== "failed" && original.status !== "waiting_account");
  if (stale.length > 0 || originals.length !== copies.length) throw new CarryOverConflict(`run ${run.id}: carried payments no longer owed`);
  await tx
    .update(couponPayments)
    .set({ status: "carried", markedBy: actorId, markedAt: now })
    .where(
      inArray(
        couponPayments.id,
        originals.map((original) => original.id),
      ),
    );
  await tx.insert(ledgerEntries).values(
    originals.map((original) => ({
      kind: "payout_carried_over" as const,
      offeringId: run.offeringId,
      userId: original.userId,
      yen: original.netYen,
      units: 0,
      detail: { fromRunId: original.runId, fromPaymentId: original.id, runId: run.id, paymentId: copyOf.get(original.id), was: original.status, principalYen: original.principalYen },
      at: now,
    })),
  );
  return originals.length;
}

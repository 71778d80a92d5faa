import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { getDb, violatesConstraint, type DbOrTx } from "@/db/client";
import { couponPayments, couponRuns, type CouponRun } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { queueRedemptionBurns } from "@/lib/bonds/redemption";
import { tokyoDate } from "@/lib/projects/dates";
import { CarryOverConflict, settleCarriedOriginals } from "./carry-over";
import { isCarryOverRun } from "./carry-over-run";
import { notifyCouponPayments } from "./notices";

export type ApproveResult = { ok: true; inFile: number; waiting: number; burns: number } | { ok: false; error: "notFound" | "notPrepared" | "samePerson" | "carryConflict" | "datePassed" };

/** The run of this offering, locked for the rest of the transaction (every change of a run goes through here). */
export async function lockRun(tx: DbOrTx, offeringId: string, runId: string): Promise<CouponRun | null> {
  const [run] = await tx
    .select()
    .from(couponRuns)
    .where(and(eq(couponRuns.id, runId), eq(couponRuns.offeringId, offeringId)))
    .for("update");
  return run ?? null;
}

/**
 * The second pair of eyes: someone other than the preparer approves. Each payment's destination is
 * fixed now: the holder's current payout account (`in_file`), or none yet (`waiting_account`: it
 * waits and a later run carries it). Carried originals are settled, and a final run queues the
 * burn of every holder's units, and each holder is told (lib/coupons/notices.ts), all in the same transaction. A payment of amounts owed whose chosen
 * date has passed is refused: its file would name a past transfer date.
 */
export async function approveCouponRun(input: { offeringId: string; runId: string; actorId: string; now?: Date }): Promise<ApproveResult> {
  try {
    return await getDb().transaction(async (tx) => {
      const run = await lockRun(tx, input.offeringId, input.runId);
      if (!run) return { ok: false, error: "notFound" } as const;
      if (run.status !== "prepared") return { ok: false, error: "notPrepared" } as const;
      if (run.preparedBy === input.actorId) return { ok: false, error: "samePerson" } as const;
      if (run.paymentDate < tokyoDate(input.now ?? new Date()) && (await isCarryOverRun(tx, run))) return { ok: false, error: "datePassed" } as const;
      const fixed = await tx.execute<{ status: string }>(sql`
        with destination as (
          select p.id, a.id as account_id
          from ${couponPayments} p
          left join payout_bank_accounts a on a.user_id = p.user_id and a.ended_at is null
          where p.run_id = ${run.id}
        )
        update ${couponPayments} p
        set bank_account_id = destination.account_id,
            status = case when destination.account_id is null then 'waiting_account' else 'in_file' end
        from destination where p.id = destination.id
        returning p.status`);
      const inFile = fixed.filter((row) => row.status === "in_file").length;
      await tx.update(couponRuns).set({ status: "approved", approvedBy: input.actorId, approvedAt: new Date() }).where(eq(couponRuns.id, run.id));
      const carried = await settleCarriedOriginals(tx, run, input.actorId);
      const burns = run.kind === "final" ? await queueRedemptionBurns(tx, run.id, input.actorId) : 0;
      await notifyCouponPayments(tx, run, "coupon_scheduled", { status: "in_file" });
      await notifyCouponPayments(tx, run, "coupon_waiting_account", { status: "waiting_account" });
      await recordAudit(tx, {
        actorId: input.actorId,
        action: "coupon_run.approved",
        targetType: "coupon_run",
        targetId: run.id,
        detail: { offeringId: run.offeringId, paymentNumber: run.paymentNumber, inFile, waiting: fixed.length - inFile, carried, burns },
      });
      return { ok: true, inFile, waiting: fixed.length - inFile, burns } as const;
    });
  } catch (error) {
    if (violatesConstraint(error, "coupon_runs_four_eyes")) return { ok: false, error: "samePerson" };
    if (error instanceof CarryOverConflict) return { ok: false, error: "carryConflict" };
    throw error;
  }
}

/**
 * Cancels a run that is still only prepared, with a reason. Its payment rows go (nothing was
 * booked from them), which frees what it carried for the next run.
 */
export async function cancelCouponRun(input: { offeringId: string; runId: string; actorId: string; reason: string }): Promise<{ ok: true } | { ok: false; error: "notFound" | "notPrepared" }> {
  return getDb().transaction(async (tx) => {
    const run = await lockRun(tx, input.offeringId, input.runId);
    if (!run) return { ok: false, error: "notFound" } as const;
    if (run.status !== "prepared") return { ok: false, error: "notPrepared" } as const;
    await tx.delete(couponPayments).where(eq(couponPayments.runId, run.id));
    await tx.update(couponRuns).set({ status: "cancelled", cancelledBy: input.actorId, cancelReason: input.reason }).where(eq(couponRuns.id, run.id));
    await recordAudit(tx, {
      actorId: input.actorId,
      action: "coupon_run.cancelled",
      targetType: "coupon_run",
      targetId: run.id,
      detail: { offeringId: run.offeringId, paymentNumber: run.paymentNumber, reason: input.reason, holders: run.holders, grossYen: run.grossYen, netYen: run.netYen },
    });
    return { ok: true } as const;
  });
}

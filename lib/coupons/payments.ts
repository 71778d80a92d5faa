import "server-only";
import { and, count, eq } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/db/client";
import { couponPayments, couponRuns, type CouponPayment, type CouponRun } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { lockRun } from "./approve";
import { insertLedgerEntries } from "./bulk";
import { notifyCouponPayments } from "./notices";

export type MarkResult = { ok: true; marked: number; closed: boolean } | { ok: false; error: "notFound" | "notApproved" | "notInFile" };

/** ledger_entries.yen is a 32-bit integer: a larger principal is booked in parts (detail.part of detail.parts) that add up to it. */
const LEDGER_YEN_MAX = 2_147_483_647;

function principalParts(principalYen: number): number[] {
  const parts: number[] = [];
  for (let rest = principalYen; rest > 0; rest -= LEDGER_YEN_MAX) parts.push(Math.min(rest, LEDGER_YEN_MAX));
  return parts;
}

/** The ledger entries of one paid payment: net coupon, each tax withheld, principal (zero taxes and principal skipped). */
function paidEntries(run: CouponRun, payment: CouponPayment, at: Date) {
  const detail = { runId: run.id, paymentId: payment.id, paymentNumber: run.paymentNumber, paymentDate: run.paymentDate, ...(payment.carriedFromId ? { carriedFromId: payment.carriedFromId } : {}) };
  const base = { offeringId: run.offeringId, userId: payment.userId, units: 0, at };
  return [
    { ...base, kind: "coupon_paid" as const, yen: payment.netYen, detail: { ...detail, grossYen: payment.grossYen, units: payment.units } },
    ...(payment.nationalTaxYen > 0 ? [{ ...base, kind: "tax_withheld" as const, yen: payment.nationalTaxYen, detail: { ...detail, tax: "national" } }] : []),
    ...(payment.localTaxYen > 0 ? [{ ...base, kind: "tax_withheld" as const, yen: payment.localTaxYen, detail: { ...detail, tax: "local" } }] : []),
    ...principalParts(payment.principalYen).map((yen, index, parts) => ({
      ...base,
      kind: "principal_paid" as const,
      yen,
      detail: { ...detail, units: payment.units, ...(parts.length > 1 ? { principalYen: payment.principalYen, part: index + 1, parts: parts.length } : {}) },
    })),
  ];
}

/** Closes the run once no payment is left in its file: `paid`, with closedAt. */
async function closeIfDone(tx: DbOrTx, run: CouponRun, actorId: string): Promise<boolean> {
  const [left] = await tx
    .select({ n: count() })
    .from(couponPayments)
    .where(and(eq(couponPayments.runId, run.id), eq(couponPayments.status, "in_file")));
  if ((left?.n ?? 0) > 0) return false;
  await tx.update(couponRuns).set({ status: "paid", closedAt: new Date() }).where(eq(couponRuns.id, run.id));
  await recordAudit(tx, { actorId, action: "coupon_run.closed", targetType: "coupon_run", targetId: run.id, detail: { offeringId: run.offeringId, paymentNumber: run.paymentNumber } });
  return true;
}

/**
 * Marks transfers done: every payment still in the run's file, or one of them. The run row is
 * locked first and only `in_file` rows change, so a double click or a second tab books the ledger
 * once (the second finds nothing left to mark).
 */
export async function markPaid(input: { offeringId: string; runId: string; actorId: string; paymentId?: string }): Promise<MarkResult> {
  return getDb().transaction(async (tx) => {
    const run = await lockRun(tx, input.offeringId, input.runId);
    if (!run) return { ok: false, error: "notFound" } as const;
    if (run.status !== "approved") return { ok: false, error: "notApproved" } as const;
    const now = new Date();
    const paid = await tx
      .update(couponPayments)
      .set({ status: "paid", markedBy: input.actorId, markedAt: now })
      .where(and(eq(couponPayments.runId, run.id), eq(couponPayments.status, "in_file"), input.paymentId ? eq(couponPayments.id, input.paymentId) : undefined))
      .returning();
    if (input.paymentId && paid.length === 0) return { ok: false, error: "notInFile" } as const;
    await insertLedgerEntries(
      tx,
      paid.flatMap((payment) => paidEntries(run, payment, now)),
    );
    await notifyCouponPayments(tx, run, "coupon_paid", { paymentIds: paid.map((payment) => payment.id) });
    const sum = (pick: (payment: CouponPayment) => number) => paid.reduce((total, payment) => total + pick(payment), 0);
    await recordAudit(tx, {
      actorId: input.actorId,
      action: "coupon_payment.paid",
      targetType: input.paymentId ? "coupon_payment" : "coupon_run",
      targetId: input.paymentId ?? run.id,
      detail: { runId: run.id, count: paid.length, netYen: sum((p) => p.netYen), principalYen: sum((p) => p.principalYen), ...(input.paymentId ? { userId: paid[0]!.userId } : {}) },
    });
    return { ok: true, marked: paid.length, closed: await closeIfDone(tx, run, input.actorId) } as const;
  });
}

/** A transfer the bank returned: the payment stays owed (`failed`) and the next run carries it. */
export async function markFailed(input: { offeringId: string; runId: string; paymentId: string; actorId: string; reason: string }): Promise<MarkResult> {
  return getDb().transaction(async (tx) => {
    const run = await lockRun(tx, input.offeringId, input.runId);
    if (!run) return { ok: false, error: "notFound" } as const;
    if (run.status !== "approved") return { ok: false, error: "notApproved" } as const;
    const [failed] = await tx
      .update(couponPayments)
      .set({ status: "failed", failureReason: input.reason, markedBy: input.actorId, markedAt: new Date() })
      .where(and(eq(couponPayments.id, input.paymentId), eq(couponPayments.runId, run.id), eq(couponPayments.status, "in_file")))
      .returning();
    if (!failed) return { ok: false, error: "notInFile" } as const;
    await notifyCouponPayments(tx, run, "coupon_failed", { paymentIds: [failed.id] });
    await recordAudit(tx, {
      actorId: input.actorId,
      action: "coupon_payment.failed",
      targetType: "coupon_payment",
      targetId: failed.id,
      detail: { runId: run.id, userId: failed.userId, netYen: failed.netYen, principalYen: failed.principalYen, reason: input.reason },
    });
    return { ok: true, marked: 1, closed: await closeIfDone(tx, run, input.actorId) } as const;
  });
}

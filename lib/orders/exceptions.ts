import "server-only";
import { and, desc, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/db/client";
import { offerings, orders, paymentExceptions, users, type NewPaymentException, type PaymentException } from "@/db/schema";
import { recordAudit, type AuditAction } from "@/lib/audit";
import { offeringIdsOf, type StaffScope } from "@/lib/issuers/scope";
import { enqueue } from "@/lib/jobs/enqueue";
import { JOBS } from "@/lib/jobs/names";
import type { PaymentProvider } from "@/lib/payments/provider";
import { paymentProvider } from "@/lib/payments/stripe";
import { sendBalanceRefund } from "./deferred/balance-refund";
import { notifyDeferred } from "./deferred/notices";
import { reservationEndOf, topUpDeadline } from "./deferred/schedule";
import { releaseInTx } from "./settle";
import { UNPAID } from "./status";

type NewException = Omit<NewPaymentException, "id" | "status" | "createdAt">;

const OPENED_ACTION = {
  unmatched_event: "payment.unmatched_event",
  amount_mismatch: "payment.amount_mismatch",
  duplicate_payment: "payment.duplicate_payment",
  late_payment_sold_out: "payment.late_payment_sold_out",
  late_payment_over_cap: "payment.late_payment_over_cap",
  late_payment_cancelled: "payment.late_payment_cancelled",
  underpaid_transfer: "payment.underpaid_transfer",
  unapplied_transfer: "payment.unapplied_transfer",
} as const satisfies Record<PaymentException["kind"], AuditAction>;

/**
 * Keeps a payment or signed event the portal could not apply, once per event, for staff to see.
 * With `refund`, the money goes back by a job enqueued in the same transaction.
 */
export async function openPaymentException(tx: DbOrTx, input: NewException, options: { refund?: boolean } = {}): Promise<PaymentException | null> {
  const [row] = await tx.insert(paymentExceptions).values(input).onConflictDoNothing({ target: paymentExceptions.stripeEventId }).returning();
  if (!row) return null;
  await recordAudit(tx, {
    actorId: null,
    action: OPENED_ACTION[row.kind],
    targetType: row.orderId ? "order" : "payment",
    targetId: row.orderId ?? row.paymentIntentId ?? row.stripeEventId,
    detail: { exceptionId: row.id, event: row.stripeEventId, amountYen: row.amountYen },
  });
  if (options.refund) return queueRefund(tx, row.id, null);
  return row;
}

/** Cases whose money sits in a customer's cash balance (bank transfers), refunded from there. */
const BALANCE_KINDS: PaymentException["kind"][] = ["underpaid_transfer", "unapplied_transfer"];

/**
 * open (or, for an underpaid transfer, waiting for the rest) → refund_queued, with the refund job,
 * in the caller's transaction. The case leaves staff's hands: later transfers open a new one.
 */
async function queueRefund(tx: DbOrTx, exceptionId: string, actorId: string | null): Promise<PaymentException | null> {
  const [row] = await tx
    .update(paymentExceptions)
    .set({ status: "refund_queued", resolvedBy: actorId, openCaseKey: null })
    .where(
      and(
        eq(paymentExceptions.id, exceptionId),
        inArray(paymentExceptions.status, ["open", "topup_requested"]),
        sql`(${paymentExceptions.paymentIntentId} is not null or ${paymentExceptions.stripeCustomerId} is not null) and ${paymentExceptions.amountYen} > 0`,
      ),
    )
    .returning();
  if (!row) return null;
  await enqueue(tx, JOBS.refundPayment, { exceptionId }, { retryLimit: 10, retryDelay: 30, retryBackoff: true });
  await recordAudit(tx, {
    actorId,
    action: "payment.refund_queued",
    targetType: row.orderId ? "order" : "payment",
    targetId: row.orderId ?? row.paymentIntentId ?? row.stripeCustomerId!,
    detail: { exceptionId, amountYen: row.amountYen },
  });
  return row;
}

/**
 * The exceptions a staff member may see and decide: those of their issuers' offerings (named by
 * the exception or by its order). One with no offering known (a payment no order matched) could be
 * any issuer's money, so only the operator (an admin) sees it.
 */
function exceptionsIn(scope: StaffScope, db: DbOrTx = getDb()) {
  if (scope.all) return undefined;
  const offeringIds = offeringIdsOf(scope.issuerIds, db);
  return or(inArray(paymentExceptions.offeringId, offeringIds), inArray(paymentExceptions.orderId, db.select({ id: orders.id }).from(orders).where(inArray(orders.offeringId, offeringIds))));
}

/**
 * Staff decision: refund the payment (by job, with retries); false when it is not open or not in
 * the scope. An underpaid transfer: its order is cancelled (units back) and the job cancels the
 * payment and refunds what arrived from the cash balance. Unapplied money: the job refunds what
 * the cash balance holds then, up to the case's amount.
 */
export async function refundException(exceptionId: string, staffId: string, scope: StaffScope): Promise<boolean> {
  return getDb().transaction(async (tx) => {
    const [inScope] = await tx
      .select({ id: paymentExceptions.id })
      .from(paymentExceptions)
      .where(and(eq(paymentExceptions.id, exceptionId), exceptionsIn(scope, tx)));
    const queued = inScope ? await queueRefund(tx, exceptionId, staffId) : null;
    if (queued?.kind === "underpaid_transfer" && queued.orderId) {
      await releaseInTx(tx, queued.orderId, "cancelled", { from: UNPAID, detail: { reason: "underpaid_refund", exceptionId } });
    }
    return Boolean(queued);
  });
}

/**
 * A partly paid bank transfer cancelled by its investor (cooling-off): what arrived goes back
 * without waiting for staff, as the underpaid case's refund (the job cancels the payment first).
 */
export async function refundUnderpaidOfCancelled(tx: DbOrTx, orderId: string): Promise<boolean> {
  const [open] = await tx
    .select({ id: paymentExceptions.id })
    .from(paymentExceptions)
    .where(and(eq(paymentExceptions.orderId, orderId), eq(paymentExceptions.kind, "underpaid_transfer"), inArray(paymentExceptions.status, ["open", "topup_requested"])));
  return Boolean(open && (await queueRefund(tx, open.id, null)));
}

/**
 * Staff decision on an underpaid transfer: the buyer is asked to transfer the rest, with TOPUP_DAYS
 * more (never past the sale's close); false when the case is not open, not in the scope, or its
 * order no longer waits for payment.
 */
export async function requestTopUp(exceptionId: string, staffId: string, scope: StaffScope, now: Date = new Date()): Promise<boolean> {
  return getDb().transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(paymentExceptions)
      .where(and(eq(paymentExceptions.id, exceptionId), eq(paymentExceptions.kind, "underpaid_transfer"), eq(paymentExceptions.status, "open"), exceptionsIn(scope, tx)))
      .for("update");
    if (!row?.orderId) return false;
    const [found] = await tx
      .select({ order: orders, closesAt: offerings.closesAt })
      .from(orders)
      .innerJoin(offerings, eq(offerings.id, orders.offeringId))
      .where(eq(orders.id, row.orderId))
      .for("update", { of: orders });
    const order = found?.order;
    if (order?.status !== "awaiting_payment" || order.paymentInstructions?.method !== "bank_transfer") return false;
    const endsAt = topUpDeadline(new Date(order.paymentInstructions.expiresAt), now, found!.closesAt);
    // The sale has closed: no time is left to pay the rest in (the buyer would be told a deadline already past).
    if (endsAt.getTime() <= now.getTime()) return false;
    const instructions = { ...order.paymentInstructions, expiresAt: endsAt.toISOString() };
    // The units stay held until then (and the processor's grace), but not past the sale's close.
    const holdUntil = Math.max(order.reservationExpiresAt.getTime(), Math.min(reservationEndOf(instructions).getTime(), found!.closesAt.getTime()));
    await tx
      .update(orders)
      .set({ paymentInstructions: instructions, reservationExpiresAt: new Date(holdUntil), updatedAt: sql`now()` })
      .where(eq(orders.id, order.id));
    await tx
      .update(paymentExceptions)
      .set({ status: "topup_requested", resolvedBy: staffId, detail: sql`coalesce(${paymentExceptions.detail}, '{}'::jsonb) || ${JSON.stringify({ topupEndsAt: endsAt.toISOString() })}::jsonb` })
      .where(eq(paymentExceptions.id, row.id));
    const remainingYen = order.amountYen - order.receivedYen;
    await notifyDeferred(tx, order.id, "payment_topup_requested", { remainingYen, receivedYen: order.receivedYen, endsAt: endsAt.toISOString() });
    await recordAudit(tx, { actorId: staffId, action: "payment.topup_requested", targetType: "order", targetId: order.id, detail: { exceptionId, remainingYen, endsAt: endsAt.toISOString() } });
    return true;
  });
}

/** Staff decision: nothing to pay back (for example an event about another system's payment). */
export async function dismissException(exceptionId: string, staffId: string, note: string, scope: StaffScope): Promise<boolean> {
  return getDb().transaction(async (tx) => {
    const [row] = await tx
      .update(paymentExceptions)
      .set({ status: "dismissed", resolvedBy: staffId, resolutionNote: note, resolvedAt: sql`now()`, openCaseKey: null })
      .where(and(eq(paymentExceptions.id, exceptionId), inArray(paymentExceptions.status, ["open", "topup_requested"]), exceptionsIn(scope, tx)))
      .returning();
    if (!row) return false;
    await recordAudit(tx, { actorId: staffId, action: "payment.exception_dismissed", targetType: "payment", targetId: row.id, detail: { note } });
    return true;
  });
}

/**
 * The refund job: asks the processor once per exception (idempotency key), and counts a charge
 * that is already fully refunded as done, so retries after any crash pay back exactly once.
 */
export async function sendExceptionRefund(exceptionId: string, provider: PaymentProvider = paymentProvider()): Promise<"refunded" | "skipped"> {
  const [row] = await getDb().select().from(paymentExceptions).where(eq(paymentExceptions.id, exceptionId));
  if (row?.status === "refund_queued" && BALANCE_KINDS.includes(row.kind)) return sendBalanceRefund(row, provider);
  if (row?.status !== "refund_queued" || !row.paymentIntentId) return "skipped";
  let refundId: string;
  try {
    refundId = (await provider.refund(row.paymentIntentId, `portal-refund:${row.id}`)).refundId;
  } catch (error) {
    if ((error as { code?: string }).code !== "charge_already_refunded") throw error;
    refundId = "already_refunded";
  }
  await getDb().transaction(async (tx) => {
    await tx
      .update(paymentExceptions)
      .set({ status: "refunded", refundId, resolvedAt: sql`now()` })
      .where(and(eq(paymentExceptions.id, row.id), eq(paymentExceptions.status, "refund_queued")));
    await recordAudit(tx, {
      actorId: null,
      action: "payment.refund_sent",
      targetType: row.orderId ? "order" : "payment",
      targetId: row.orderId ?? row.paymentIntentId!,
      detail: { exceptionId: row.id, refundId },
    });
  });
  return "refunded";
}

/** Refunds queued long ago whose job was lost or exhausted: queued again. */
export async function requeueStaleRefunds(olderThan: Date): Promise<number> {
  const stale = await getDb()
    .select({ id: paymentExceptions.id })
    .from(paymentExceptions)
    .where(and(eq(paymentExceptions.status, "refund_queued"), isNull(paymentExceptions.refundId), lt(paymentExceptions.createdAt, olderThan)))
    .limit(100);
  for (const { id } of stale) await enqueue(getDb(), JOBS.refundPayment, { exceptionId: id }, { retryLimit: 10, retryDelay: 30, retryBackoff: true });
  return stale.length;
}

/** A refund seen at the processor closes every exception that held that payment's money. */
export async function closeRefundedExceptions(tx: DbOrTx, paymentIntentId: string): Promise<PaymentException[]> {
  return tx
    .update(paymentExceptions)
    .set({ status: "refunded", resolvedAt: sql`now()` })
    .where(and(eq(paymentExceptions.paymentIntentId, paymentIntentId), inArray(paymentExceptions.status, ["open", "refund_queued"]), sql`${paymentExceptions.amountYen} > 0`))
    .returning();
}

/** The exception holding this payment's money, if the portal kept it aside. */
export async function exceptionOfPayment(db: DbOrTx, paymentIntentId: string): Promise<PaymentException | null> {
  const [row] = await db
    .select()
    .from(paymentExceptions)
    .where(and(eq(paymentExceptions.paymentIntentId, paymentIntentId), sql`${paymentExceptions.amountYen} > 0`))
    .orderBy(desc(paymentExceptions.createdAt))
    .limit(1);
  return row ?? null;
}

/**
 * For staff of the scope: what still needs a decision first, then the latest decided ones. With the
 * order's amount, what a bank transfer brought so far and the buyer (the customer whose balance holds it).
 */
export async function listPaymentExceptions(scope: StaffScope, limit = 200) {
  return getDb()
    .select({
      exception: paymentExceptions,
      offeringNameJa: offerings.nameJa,
      offeringNameEn: offerings.nameEn,
      orderStatus: orders.status,
      orderAmountYen: orders.amountYen,
      orderReceivedYen: orders.receivedYen,
      orderPaymentMethod: orders.paymentMethod,
      orderPaymentEndsAt: orders.reservationExpiresAt,
      customerEmail: users.email,
    })
    .from(paymentExceptions)
    .leftJoin(orders, eq(orders.id, paymentExceptions.orderId))
    .leftJoin(users, eq(users.id, orders.userId))
    .leftJoin(offerings, eq(offerings.id, paymentExceptions.offeringId))
    .where(exceptionsIn(scope))
    .orderBy(sql`${paymentExceptions.status} in ('open', 'topup_requested') desc`, desc(paymentExceptions.createdAt))
    .limit(limit);
}

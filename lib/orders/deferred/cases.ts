import "server-only";
import { and, desc, eq, getTableColumns, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { orders, paymentExceptions, type PaymentException } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { customerOfUser, userOfCustomer } from "./customers";

/**
 * The bank-transfer cases staff decide: one open case per underpaid order and one per customer
 * with unapplied money (`openCaseKey`), opened by the first event and brought up to date by the
 * later ones; the key is cleared once the case leaves staff's hands.
 */

const underpaidKey = (orderId: string) => `underpaid:${orderId}`;
const unappliedKey = (customerId: string) => `unapplied:${customerId}`;

type CaseInput = {
  kind: "underpaid_transfer" | "unapplied_transfer";
  key: string;
  eventId: string;
  eventType: string;
  orderId: string | null;
  offeringId: string | null;
  paymentIntentId: string | null;
  customerId: string | null;
  amountYen: number;
  detail: Record<string, unknown>;
};

/** Opens the case under its key, or sets the amount and detail of the one open; audited when opened. */
async function upsertCase(tx: DbOrTx, input: CaseInput): Promise<{ row: PaymentException; opened: boolean }> {
  const [row] = await tx
    .insert(paymentExceptions)
    .values({
      kind: input.kind,
      stripeEventId: input.eventId,
      eventType: input.eventType,
      orderId: input.orderId,
      offeringId: input.offeringId,
      paymentIntentId: input.paymentIntentId,
      stripeCustomerId: input.customerId,
      openCaseKey: input.key,
      amountYen: input.amountYen,
      currency: "jpy",
      detail: input.detail,
    })
    .onConflictDoUpdate({
      target: paymentExceptions.openCaseKey,
      set: {
        amountYen: input.amountYen,
        detail: sql`coalesce(${paymentExceptions.detail}, '{}'::jsonb) || ${JSON.stringify({ ...input.detail, lastEvent: input.eventId })}::jsonb`,
        orderId: sql`coalesce(excluded.order_id, ${paymentExceptions.orderId})`,
        offeringId: sql`coalesce(excluded.offering_id, ${paymentExceptions.offeringId})`,
      },
    })
    // xmax is 0 on a row this statement inserted, not on one it updated.
    .returning({ ...getTableColumns(paymentExceptions), opened: sql<boolean>`(xmax = 0)` });
  const { opened, ...kept } = row!;
  const result = { row: kept as PaymentException, opened: Boolean(opened) };
  if (result.opened) {
    await recordAudit(tx, {
      actorId: null,
      action: input.kind === "underpaid_transfer" ? "payment.underpaid_transfer" : "payment.unapplied_transfer",
      targetType: input.orderId ? "order" : "payment",
      targetId: input.orderId ?? input.customerId ?? input.eventId,
      detail: { exceptionId: result.row.id, event: input.eventId, amountYen: input.amountYen, customerId: input.customerId },
    });
  }
  return result;
}

/** A transfer short of its order: the case holds what arrived so far. */
export async function upsertUnderpaidCase(
  tx: DbOrTx,
  order: { id: string; userId: string; offeringId: string; amountYen: number },
  event: { eventId: string; paymentIntentId: string; customerId: string | null },
  receivedYen: number,
) {
  const customerId = event.customerId ?? (await customerOfUser(tx, order.userId));
  return upsertCase(tx, {
    kind: "underpaid_transfer",
    key: underpaidKey(order.id),
    eventId: event.eventId,
    eventType: "payment_intent.partially_funded",
    orderId: order.id,
    offeringId: order.offeringId,
    paymentIntentId: event.paymentIntentId,
    customerId,
    amountYen: receivedYen,
    detail: { expectedYen: order.amountYen, receivedYen, remainingYen: order.amountYen - receivedYen },
  });
}

/**
 * Money in a customer's cash balance that no payment took: the case holds the balance, under the
 * customer's latest bank-transfer order (so staff of that issuer see it).
 */
export async function upsertUnappliedCase(tx: DbOrTx, event: { eventId: string; customerId: string }, availableYen: number) {
  const userId = await userOfCustomer(tx, event.customerId);
  const [latest] = userId
    ? await tx
        .select({ id: orders.id, offeringId: orders.offeringId })
        .from(orders)
        .where(and(eq(orders.userId, userId), eq(orders.paymentMethod, "bank_transfer")))
        .orderBy(desc(orders.createdAt))
        .limit(1)
    : [];
  return upsertCase(tx, {
    kind: "unapplied_transfer",
    key: unappliedKey(event.customerId),
    eventId: event.eventId,
    eventType: "cash_balance.funds_available",
    orderId: latest?.id ?? null,
    offeringId: latest?.offeringId ?? null,
    paymentIntentId: null,
    customerId: event.customerId,
    amountYen: availableYen,
    detail: { availableYen },
  });
}

/**
 * Ends the order's underpaid case without a refund (paid in full after all, or its money went back
 * to the cash balance where an unapplied case takes it up). It holds no money any more: amountYen
 * 0 (what had arrived stays in its detail), so the order's page no longer speaks of a held payment.
 */
/** Why the portal itself ended a case: stored as `system:<reason>`, which the staff page translates. */
export type SystemCloseReason = "paid_in_full" | "payment_cancelled";

export async function closeUnderpaidCase(tx: DbOrTx, orderId: string, reason: SystemCloseReason, statuses: PaymentException["status"][] = ["open", "topup_requested"]) {
  const closed = await tx
    .update(paymentExceptions)
    .set({ status: "dismissed", resolutionNote: `system:${reason}`, openCaseKey: null, amountYen: 0, resolvedAt: sql`now()` })
    .where(and(eq(paymentExceptions.orderId, orderId), eq(paymentExceptions.kind, "underpaid_transfer"), inArray(paymentExceptions.status, statuses)))
    .returning({ id: paymentExceptions.id });
  for (const { id } of closed) {
    await recordAudit(tx, { actorId: null, action: "payment.exception_dismissed", targetType: "payment", targetId: id, detail: { note: `system:${reason}`, orderId } });
  }
  return closed.length;
}

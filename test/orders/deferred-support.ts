import { and, eq, sql } from "drizzle-orm";
import Stripe from "stripe";
import { getDb } from "@/db/client";
import { auditLog, notifications, offerings, orderEvents, paymentExceptions, type NoticeKind, type PaymentMethod } from "@/db/schema";
import { type approvedInvestor, orderById } from "./harness";

/** Konbini and bank-transfer tests: the demo offering taking both, and what they read back. */

export type Investor = Awaited<ReturnType<typeof approvedInvestor>>;

export async function enableDeferredMethods(offeringId: string, on = true) {
  await getDb().update(offerings).set({ konbiniEnabled: on, bankTransferEnabled: on }).where(eq(offerings.id, offeringId));
}

export async function unitsOf(offeringId: string) {
  const [row] = await getDb().select({ reserved: offerings.reservedUnits, sold: offerings.soldUnits }).from(offerings).where(eq(offerings.id, offeringId));
  return row!;
}

export async function noticesOf(userId: string, kind: NoticeKind) {
  return getDb()
    .select()
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.kind, kind)));
}

export async function casesOf(where: { orderId?: string; customerId?: string }) {
  return getDb()
    .select()
    .from(paymentExceptions)
    .where(where.orderId ? eq(paymentExceptions.orderId, where.orderId) : eq(paymentExceptions.stripeCustomerId, where.customerId!))
    .orderBy(paymentExceptions.createdAt);
}

export async function auditsOf(targetId: string, action: string) {
  return getDb()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.targetId, targetId), sql`${auditLog.action} = ${action}`));
}

export async function journeyOf(orderId: string) {
  return getDb().select().from(orderEvents).where(eq(orderEvents.orderId, orderId)).orderBy(orderEvents.id);
}

export function stripeClient(port: number) {
  return new Stripe("sk_test_x", { host: "127.0.0.1", port, protocol: "http" });
}

export async function placeDeferred(
  placeOrder: typeof import("@/lib/orders/reserve").placeOrder,
  buyer: Investor,
  input: { offeringId: string; disclosureId: string; units: number; paymentMethod: PaymentMethod },
  ...rest: [provider?: Parameters<typeof placeOrder>[2], now?: Date]
) {
  const placed = await placeOrder(buyer, input, ...rest);
  if (!placed.ok) throw new Error(`order refused: ${JSON.stringify(placed)}`);
  return orderById(placed.orderId);
}

import "server-only";
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { legalDocuments, offerings, orderEvents, orders, paymentExceptions, users } from "@/db/schema";

/** An investor's orders, newest first, with the offering's names. */
export async function listOrdersOf(userId: string) {
  return getDb()
    .select({ order: orders, offering: { slug: offerings.slug, nameJa: offerings.nameJa, nameEn: offerings.nameEn, tokenSymbol: offerings.tokenSymbol, priceYen: offerings.priceYen } })
    .from(orders)
    .innerJoin(offerings, eq(offerings.id, orders.offeringId))
    .where(eq(orders.userId, userId))
    .orderBy(desc(orders.createdAt));
}

/** One order with its journey, for its owner (or staff); anyone else gets null. */
export async function getOrderForViewer(orderId: string, viewer: { id: string; isStaff: boolean }) {
  const db = getDb();
  const [row] = await db
    .select({
      order: orders,
      offering: { slug: offerings.slug, nameJa: offerings.nameJa, nameEn: offerings.nameEn, tokenSymbol: offerings.tokenSymbol, priceYen: offerings.priceYen },
      disclosure: { version: legalDocuments.version, titleJa: legalDocuments.titleJa, titleEn: legalDocuments.titleEn },
      email: users.email,
    })
    .from(orders)
    .innerJoin(offerings, eq(offerings.id, orders.offeringId))
    .innerJoin(users, eq(users.id, orders.userId))
    .leftJoin(legalDocuments, eq(legalDocuments.id, orders.disclosureDocumentId))
    .where(eq(orders.id, orderId));
  if (!row || (!viewer.isStaff && row.order.userId !== viewer.id)) return null;
  const [journey, [heldPayment]] = await Promise.all([
    db.select().from(orderEvents).where(eq(orderEvents.orderId, orderId)).orderBy(asc(orderEvents.at), asc(orderEvents.id)),
    // A payment for this order that could not be applied: the investor is told what happens to it.
    db
      .select({ kind: paymentExceptions.kind, status: paymentExceptions.status })
      .from(paymentExceptions)
      .where(and(eq(paymentExceptions.orderId, orderId), sql`${paymentExceptions.amountYen} > 0`))
      .orderBy(desc(paymentExceptions.createdAt))
      .limit(1),
  ]);
  return { ...row, journey, heldPayment: heldPayment ?? null };
}

/** Recent orders across investors, for the staff orders page. */
export async function listRecentOrders(limit = 100) {
  return getDb()
    .select({ order: orders, email: users.email, offering: { nameJa: offerings.nameJa, nameEn: offerings.nameEn } })
    .from(orders)
    .innerJoin(users, eq(users.id, orders.userId))
    .innerJoin(offerings, eq(offerings.id, orders.offeringId))
    .orderBy(desc(orders.createdAt))
    .limit(limit);
}

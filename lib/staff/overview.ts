import "server-only";
import { and, asc, count, countDistinct, eq, inArray, or } from "drizzle-orm";
import { getDb } from "@/db/client";
import { orders, paymentExceptions, villages } from "@/db/schema";
import { offeringIdsOf, type StaffScope } from "@/lib/issuers/scope";
import { HOLDING_UNITS, IN_PROGRESS } from "@/lib/orders/status";

/**
 * Headline figures for the staff home, counted over the issuers the viewer acts for: investors
 * who bought from them, their open orders and their payments waiting for a decision (with, for an
 * admin, those no offering could be found for).
 */
export async function getStaffOverview(scope: StaffScope) {
  const db = getDb();
  const offeringIds = offeringIdsOf(scope.issuerIds);
  const [[investors], [open], [undecided], issuers] = await Promise.all([
    db
      .select({ n: countDistinct(orders.userId) })
      .from(orders)
      .where(and(inArray(orders.offeringId, offeringIds), inArray(orders.status, [...HOLDING_UNITS]))),
    db
      .select({ n: count() })
      .from(orders)
      .where(and(inArray(orders.offeringId, offeringIds), inArray(orders.status, [...IN_PROGRESS]))),
    db
      .select({ n: count() })
      .from(paymentExceptions)
      .leftJoin(orders, eq(orders.id, paymentExceptions.orderId))
      .where(and(eq(paymentExceptions.status, "open"), scope.all ? undefined : or(inArray(paymentExceptions.offeringId, offeringIds), inArray(orders.offeringId, offeringIds)))),
    db.select({ id: villages.id, slug: villages.slug, nameJa: villages.nameJa, nameEn: villages.nameEn }).from(villages).where(inArray(villages.id, scope.issuerIds)).orderBy(asc(villages.createdAt)),
  ]);
  return { investorCount: investors?.n ?? 0, openOrderCount: open?.n ?? 0, undecidedPaymentCount: undecided?.n ?? 0, issuers };
}

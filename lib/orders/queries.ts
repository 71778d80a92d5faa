import "server-only";
import { and, asc, count, desc, eq, gte, ilike, inArray, lt, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { legalDocuments, offerings, orderEvents, orders, paymentExceptions, users, villages } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/roles";
import { canActForIssuer } from "@/lib/issuers/access";
import type { StaffOrderFilters } from "./staff-search";

/** An investor's orders, newest first, with the offering's names. */
export async function listOrdersOf(userId: string) {
  return getDb()
    .select({ order: orders, offering: { slug: offerings.slug, nameJa: offerings.nameJa, nameEn: offerings.nameEn, tokenSymbol: offerings.tokenSymbol, priceYen: offerings.priceYen } })
    .from(orders)
    .innerJoin(offerings, eq(offerings.id, orders.offeringId))
    .where(eq(orders.userId, userId))
    .orderBy(desc(orders.createdAt));
}

/** One order with its journey, for its owner or staff of its issuer; anyone else gets null. */
export async function getOrderForViewer(orderId: string, viewer: Pick<SessionUser, "id" | "role">) {
  const db = getDb();
  const [row] = await db
    .select({
      order: orders,
      offering: { slug: offerings.slug, nameJa: offerings.nameJa, nameEn: offerings.nameEn, tokenSymbol: offerings.tokenSymbol, priceYen: offerings.priceYen },
      issuer: { nameJa: villages.nameJa, nameEn: villages.nameEn },
      disclosure: { version: legalDocuments.version, titleJa: legalDocuments.titleJa, titleEn: legalDocuments.titleEn },
      email: users.email,
      issuerId: offerings.villageId,
    })
    .from(orders)
    .innerJoin(offerings, eq(offerings.id, orders.offeringId))
    .innerJoin(villages, eq(villages.id, offerings.villageId))
    .innerJoin(users, eq(users.id, orders.userId))
    .leftJoin(legalDocuments, eq(legalDocuments.id, orders.disclosureDocumentId))
    .where(eq(orders.id, orderId));
  if (!row) return null;
  if (row.order.userId !== viewer.id && !(await canActForIssuer(viewer, row.issuerId))) return null;
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

/** Staff see only orders of their issuers' offerings; the filters narrow that (lib/orders/staff-search.ts). */
function staffScope(issuerIds: string[], filters: StaffOrderFilters) {
  // ILIKE's own wildcards in what staff typed match themselves.
  const email = filters.email?.replace(/[\\%_]/g, (char) => `\\${char}`);
  return and(
    inArray(offerings.villageId, issuerIds),
    email ? ilike(users.email, `%${email}%`) : undefined,
    filters.seq !== undefined ? eq(orders.seq, filters.seq) : undefined,
    filters.orderId ? eq(orders.id, filters.orderId) : undefined,
    filters.status ? eq(orders.status, filters.status) : undefined,
    filters.offeringId ? eq(orders.offeringId, filters.offeringId) : undefined,
    filters.placedFrom ? gte(orders.createdAt, filters.placedFrom) : undefined,
    filters.placedBefore ? lt(orders.createdAt, filters.placedBefore) : undefined,
  );
}

function staffOrderRows(issuerIds: string[], filters: StaffOrderFilters) {
  return getDb()
    .select({ order: orders, email: users.email, offering: { nameJa: offerings.nameJa, nameEn: offerings.nameEn } })
    .from(orders)
    .innerJoin(users, eq(users.id, orders.userId))
    .innerJoin(offerings, eq(offerings.id, orders.offeringId))
    .where(staffScope(issuerIds, filters))
    .orderBy(desc(orders.createdAt), desc(orders.seq))
    .$dynamic();
}

/** One page of the staff orders search, newest first, and how many match in all. */
export async function searchStaffOrders(issuerIds: string[], filters: StaffOrderFilters, page: number, pageSize: number) {
  if (issuerIds.length === 0) return { rows: [], total: 0 };
  const [rows, [counted]] = await Promise.all([
    staffOrderRows(issuerIds, filters)
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    getDb().select({ n: count() }).from(orders).innerJoin(users, eq(users.id, orders.userId)).innerJoin(offerings, eq(offerings.id, orders.offeringId)).where(staffScope(issuerIds, filters)),
  ]);
  return { rows, total: counted?.n ?? 0 };
}

/** Every order matching the search (not one page), for the CSV export. */
export async function allStaffOrders(issuerIds: string[], filters: StaffOrderFilters) {
  return issuerIds.length === 0 ? [] : staffOrderRows(issuerIds, filters);
}

/** The offerings of the issuers staff act for, for the search's offering filter. */
export async function offeringsOfIssuers(issuerIds: string[]) {
  if (issuerIds.length === 0) return [];
  return getDb().select({ id: offerings.id, nameJa: offerings.nameJa, nameEn: offerings.nameEn }).from(offerings).where(inArray(offerings.villageId, issuerIds)).orderBy(desc(offerings.createdAt));
}

/** Whether the order belongs to an offering of one of these issuers. */
export async function orderOfIssuers(orderId: string, issuerIds: string[]): Promise<boolean> {
  if (issuerIds.length === 0) return false;
  const [row] = await getDb()
    .select({ id: orders.id })
    .from(orders)
    .innerJoin(offerings, eq(offerings.id, orders.offeringId))
    .where(and(eq(orders.id, orderId), inArray(offerings.villageId, issuerIds)));
  return Boolean(row);
}

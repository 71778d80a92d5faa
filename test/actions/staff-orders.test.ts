import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { as, form, run } from "../session-mock";
import { makeUser } from "../fixtures";
import { getDb } from "@/db/client";
import { DEMO_OFFERING_SLUG, DEMO_OTHER_OFFERING_SLUG, seedIfEmpty } from "@/db/seed";
import { auditLog, issuerStaff, offerings, orders, users, type Offering, type Order } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/roles";
import { issuerIdsOf } from "@/lib/issuers/access";
import { getOrderForViewer, searchStaffOrders } from "@/lib/orders/queries";
import { parseStaffOrderQuery, STAFF_ORDERS_PAGE_SIZE, staffOrderHref, type StaffOrderParams } from "@/lib/orders/staff-search";
import { GET as exportOrders } from "@/app/(staff)/staff/orders/export/route";
import { refundOrderAction } from "@/app/(staff)/staff/orders/actions";

const db = () => getDb();
let offeringA: Offering;
let offeringB: Offering;
let staffA: SessionUser;
let staffB: SessionUser;
let hanako: SessionUser;
let taro: SessionUser;
let many: SessionUser;
const tag = Date.now().toString(36);
const placed: Record<string, Order> = {};

async function staffOf(issuerId: string): Promise<SessionUser> {
  const user = await makeUser("staff");
  await db().insert(issuerStaff).values({ issuerId, userId: user.id });
  return user;
}

async function investor(email: string): Promise<SessionUser> {
  const user = await makeUser();
  await db().update(users).set({ email }).where(eq(users.id, user.id));
  return { ...user, email };
}

async function order(user: SessionUser, offering: Offering, values: Partial<Order> = {}): Promise<Order> {
  const [row] = await db()
    .insert(orders)
    .values({ userId: user.id, offeringId: offering.id, units: 1, amountYen: offering.priceYen, status: "expired", reservationExpiresAt: new Date(), ...values })
    .returning();
  return row!;
}

/** What staff see for a query string, as the page runs it. */
async function search(user: SessionUser, params: StaffOrderParams) {
  const query = parseStaffOrderQuery(params);
  if (!query.success) throw new Error(`invalid: ${query.error.message}`);
  return searchStaffOrders(await issuerIdsOf(user), query.data.filters, query.data.page, STAFF_ORDERS_PAGE_SIZE);
}
const ids = (found: { rows: { order: Order }[] }) => found.rows.map((row) => row.order.id).sort();

function invalidFields(params: StaffOrderParams) {
  const query = parseStaffOrderQuery(params);
  return query.success ? {} : Object.fromEntries(query.error.issues.map((issue) => [issue.path[0], issue.message]));
}

async function csvOf(user: SessionUser | null, params: StaffOrderParams) {
  as.user = user;
  const response = await exportOrders(new Request(`http://localhost${staffOrderHref("/staff/orders/export", params)}`));
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { response, bytes, text: new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes) };
}

beforeAll(async () => {
  await seedIfEmpty(db());
  [offeringA] = (await db().select().from(offerings).where(eq(offerings.slug, DEMO_OFFERING_SLUG))) as [Offering];
  [offeringB] = (await db().select().from(offerings).where(eq(offerings.slug, DEMO_OTHER_OFFERING_SLUG))) as [Offering];
  staffA = await staffOf(offeringA.villageId);
  staffB = await staffOf(offeringB.villageId);
  hanako = await investor(`Hanako.Yamada.${tag}@mura.example`);
  taro = await investor(`taro_${tag}@mura.example`);
  many = await investor(`many.${tag}@mura.example`);
  // 23:59:59 on 31 March and 00:00 on 1 April, in Tokyo.
  placed.march = await order(hanako, offeringA, { createdAt: new Date("2026-03-31T14:59:59Z"), status: "allocated" });
  placed.april = await order(hanako, offeringA, { createdAt: new Date("2026-03-31T15:00:00Z"), status: "refunded" });
  placed.taro = await order(taro, offeringA, { createdAt: new Date("2026-04-02T03:00:00Z"), status: "paid" });
  placed.other = await order(hanako, offeringB, { createdAt: new Date("2026-04-01T03:00:00Z"), status: "paid" });
  for (let i = 0; i < 55; i++) await order(many, offeringA, { createdAt: new Date(Date.UTC(2026, 4, 1, 0, i)) });
});

describe("staff orders search", () => {
  it("finds orders by part of the investor's email, in any case, and treats LIKE wildcards as text", async () => {
    expect(ids(await search(staffA, { email: `HANAKO.yamada.${tag}` }))).toEqual([placed.march!.id, placed.april!.id].sort());
    expect(ids(await search(staffA, { email: `taro_${tag}` }))).toEqual([placed.taro!.id]);
    // "_" and "%" match themselves, not any character.
    expect((await search(staffA, { email: `taro%${tag}` })).total).toBe(0);
    expect((await search(staffA, { email: `many_${tag}` })).total).toBe(0);
  });

  it("finds an order by its number (with or without #) or its id, and refuses anything else with a message", async () => {
    const seq = String(placed.taro!.seq);
    expect(ids(await search(staffA, { number: seq }))).toEqual([placed.taro!.id]);
    expect(ids(await search(staffA, { number: `#${seq}` }))).toEqual([placed.taro!.id]);
    expect(ids(await search(staffA, { number: placed.april!.id.toUpperCase() }))).toEqual([placed.april!.id]);
    expect(invalidFields({ number: "ABC-12" })).toEqual({ number: "staffOrderSearch.errors.number" });
  });

  it("filters by status and by Tokyo dates (both ends included), and explains a bad status or range", async () => {
    expect(ids(await search(staffA, { email: tag, status: "refunded" }))).toEqual([placed.april!.id]);
    expect(ids(await search(staffA, { email: `hanako.yamada.${tag}`, from: "2026-04-01", to: "2026-04-01" }))).toEqual([placed.april!.id]);
    expect(ids(await search(staffA, { email: `hanako.yamada.${tag}`, to: "2026-03-31" }))).toEqual([placed.march!.id]);
    expect(ids(await search(staffA, { email: tag, from: "2026-04-01", to: "2026-04-30" }))).toEqual([placed.april!.id, placed.taro!.id].sort());
    expect(invalidFields({ status: "lost" })).toEqual({ status: "staffOrderSearch.errors.status" });
    expect(invalidFields({ from: "2026-04-31" })).toEqual({ from: "staffOrderSearch.errors.date" });
    expect(invalidFields({ from: "2026-04-02", to: "2026-04-01" })).toEqual({ to: "staffOrderSearch.errors.range" });
    expect(invalidFields({ page: "0" })).toEqual({ page: "staffOrderSearch.errors.page" });
  });

  it("pages through every matching order, newest first, without gaps or repeats", async () => {
    const first = await search(staffA, { email: `many.${tag}` });
    const second = await search(staffA, { email: `many.${tag}`, page: "2" });
    expect(first.total).toBe(55);
    expect(first.rows).toHaveLength(STAFF_ORDERS_PAGE_SIZE);
    expect(second.rows).toHaveLength(5);
    const times = [...first.rows, ...second.rows].map((row) => row.order.createdAt.getTime());
    expect(new Set(times).size).toBe(55);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(staffOrderHref("/staff/orders", { email: `many.${tag}`, status: "expired", page: "1" }, 2)).toBe(`/staff/orders?email=many.${tag}&status=expired&page=2`);
  });

  it("shows staff of another issuer none of issuer A's orders, nor the order page, nor a refund", async () => {
    const seen = await search(staffB, { email: tag });
    expect(ids(seen)).toEqual([placed.other!.id]);
    expect((await search(staffB, { number: String(placed.taro!.seq) })).total).toBe(0);
    expect(await getOrderForViewer(placed.taro!.id, staffB)).toBeNull();
    expect(await getOrderForViewer(placed.taro!.id, staffA)).toMatchObject({ order: { id: placed.taro!.id } });
    expect(await getOrderForViewer(placed.taro!.id, taro)).toMatchObject({ order: { id: placed.taro!.id } });
    as.user = staffB;
    expect(await run(refundOrderAction, form({ orderId: placed.taro!.id }))).toMatchObject({ status: "error", message: "この注文は返金できる状態ではありません。" });
    expect(
      await db()
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, "order.refund_requested"), eq(auditLog.targetId, placed.taro!.id))),
    ).toHaveLength(0);
  });
});

describe("staff orders CSV export", () => {
  it("exports every matching order (not one page) as UTF-8 with BOM, and audits it", async () => {
    const { response, bytes, text } = await csvOf(staffA, { email: `many.${tag}`, page: "2" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="orders-\d{8}-\d{4}\.csv"$/);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = text.slice(1).trimEnd().split("\r\n");
    expect(lines[0]).toBe("注文番号,注文日時（日本時間）,投資家,オファリング,口数,金額（円）,状態,注文ID");
    expect(lines).toHaveLength(56);
    expect(lines[1]).toBe(`${lines[1]!.split(",")[0]},2026-05-01 09:54,many.${tag}@mura.example,${offeringA.nameJa},1,${offeringA.priceYen},期限切れ,${lines[1]!.split(",").at(-1)}`);
    const [entry] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "orders.exported"), eq(auditLog.actorId, staffA.id)));
    expect(entry?.detail).toMatchObject({ rows: 55, filters: { email: `many.${tag}` } });
  });

  it("gives staff of another issuer none of issuer A's orders, refuses investors, and explains bad filters", async () => {
    const other = await csvOf(staffB, { email: tag });
    expect(other.text.slice(1).trimEnd().split("\r\n").slice(1)).toEqual([expect.stringContaining(placed.other!.id)]);
    expect((await csvOf(hanako, {})).response.status).toBe(403);
    expect((await csvOf(null, {})).response.status).toBe(401);
    const bad = await csvOf(staffA, { from: "yesterday" });
    expect(bad.response.status).toBe(400);
    expect(bad.text).toContain("日付はYYYY-MM-DDの形で入力してください。");
  });
});

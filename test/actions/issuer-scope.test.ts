import { and, count, eq, inArray, sql } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { as, form, run } from "@/test/session-mock";
import { makeUser } from "@/test/fixtures";
import { getDb } from "@/db/client";
import { DEMO_BOND_SLUG, DEMO_OFFERING_SLUG, DEMO_OTHER_OFFERING_SLUG, seedIfEmpty } from "@/db/seed";
import {
  auditLog,
  issuerStaff,
  ledgerEntries,
  offerings,
  orders,
  paymentExceptions,
  projectSpending,
  projects,
  projectUpdates,
  type Offering,
  type PaymentException,
  type Project,
  type ProjectSpending,
  type ProjectUpdate,
} from "@/db/schema";
import { dismissExceptionAction, refundExceptionAction } from "@/app/(staff)/staff/payments/actions";
import { recordSpendingAction, removeSpendingAction, saveProjectAction, saveUpdateAction, setProjectPublishedAction, setUpdatePublishedAction } from "@/app/(staff)/staff/projects/actions";
import { POST as grantDemo } from "@/app/(staff)/staff/register/demo-holding/route";
import { GET as exportRegister } from "@/app/(staff)/staff/register/export/route";
import { GET as getImage } from "@/app/api/images/[id]/route";
import { recordAudit } from "@/lib/audit";
import { issuerIdsOf } from "@/lib/issuers/access";
import { JOBS } from "@/lib/jobs/names";
import { staffScopeOf } from "@/lib/issuers/scope";
import { listPaymentExceptions } from "@/lib/orders/exceptions";
import { getProjectForStaff, listOfferingOptions, listProjectsForStaff } from "@/lib/projects/admin";
import { getUpdateForStaff } from "@/lib/projects/updates";
import { searchAuditLog } from "@/lib/register/audit-log";
import { listRegisterOfferings } from "@/lib/register/register";
import { getStaffOverview } from "@/lib/staff/overview";
import { IN_PROGRESS } from "@/lib/orders/status";
import type { ActionState } from "@/lib/actions/core";
import type { SessionUser } from "@/lib/auth/roles";
import { PNG_1x1 } from "@/test/images";
import { projectFields, tally, updateFields } from "./project-fixtures";

/** Staff of issuer B (Umibe) against the objects of issuer A (Nishimori), and the reverse where it matters. */

const db = () => getDb();

let staffA: SessionUser;
let staffB: SessionUser;
let admin: SessionUser;
let offeringA: Offering;
let offeringB: Offering;
let projectA: Project;
let updateA: ProjectUpdate;
let spendingA: ProjectSpending;
let orderA: string;
let orderB: string;
const exceptions: Record<"a" | "aByOrder" | "b" | "unknown", PaymentException> = {} as never;

beforeAll(async () => {
  await seedIfEmpty(db());
  [offeringA] = (await db().select().from(offerings).where(eq(offerings.slug, DEMO_OFFERING_SLUG))) as [Offering];
  [offeringB] = (await db().select().from(offerings).where(eq(offerings.slug, DEMO_OTHER_OFFERING_SLUG))) as [Offering];
  staffA = await makeUser("staff");
  staffB = await makeUser("staff");
  admin = await makeUser("admin");
  await db()
    .insert(issuerStaff)
    .values([
      { issuerId: offeringA.villageId, userId: staffA.id },
      { issuerId: offeringB.villageId, userId: staffB.id },
    ]);
  [projectA] = (await db().select().from(projects).where(eq(projects.slug, "forest-thinning"))) as [Project];
  [updateA] = (await db().select().from(projectUpdates).where(eq(projectUpdates.projectId, projectA.id))) as [ProjectUpdate];

  // A receipt of A's, recorded by A's staff.
  as.user = staffA;
  expect(
    await run(recordSpendingAction, form({ projectId: projectA.id, spentOn: "2026-11-01", amountYen: "5000", descriptionJa: "資材", descriptionEn: "Timber", receipt: new File([PNG_1x1], "r.png") })),
  ).toMatchObject({ status: "ok" });
  [spendingA] = (await db().select().from(projectSpending).where(eq(projectSpending.projectId, projectA.id))) as [ProjectSpending];

  const buyer = await makeUser();
  const order = (offeringId: string) => ({ userId: buyer.id, offeringId, units: 1, amountYen: 1000, status: "awaiting_payment" as const, reservationExpiresAt: new Date(Date.now() + 60_000) });
  [{ id: orderA }, { id: orderB }] = (await db()
    .insert(orders)
    .values([order(offeringA.id), order(offeringB.id)])
    .returning({ id: orders.id })) as [{ id: string }, { id: string }];
  const exception = (key: string, values: { offeringId?: string; orderId?: string }) => ({
    kind: "unmatched_event" as const,
    stripeEventId: `evt_scope_${key}`,
    eventType: "charge.succeeded",
    paymentIntentId: `pi_scope_${key}`,
    amountYen: 1000,
    ...values,
  });
  const rows = await db()
    .insert(paymentExceptions)
    .values([exception("a", { offeringId: offeringA.id }), exception("aByOrder", { orderId: orderA }), exception("b", { offeringId: offeringB.id, orderId: orderB }), exception("unknown", {})])
    .returning();
  for (const row of rows) exceptions[row.stripeEventId.replace("evt_scope_", "") as keyof typeof exceptions] = row;
});
beforeEach(() => {
  as.locale = "ja";
});

describe("projects", () => {
  it("staff of B see neither A's projects nor A's offerings, and A's project and update are not found for them", async () => {
    const idsB = await issuerIdsOf(staffB);
    expect(idsB).toEqual([offeringB.villageId]);
    const listed = (await listProjectsForStaff(idsB)).map((row) => row.project.slug);
    expect(listed).toContain("harbour-wall");
    expect(listed).not.toContain("forest-thinning");
    const optionsB = (await listOfferingOptions(idsB)).map((row) => row.id);
    expect(optionsB).toContain(offeringB.id);
    expect(optionsB).not.toContain(offeringA.id);
    expect(await getProjectForStaff(projectA.id, idsB)).toBeNull();
    expect(await getUpdateForStaff(updateA.id, idsB)).toBeNull();
    // A's own staff, and an admin, see them.
    expect(await getProjectForStaff(projectA.id, await issuerIdsOf(staffA))).not.toBeNull();
    expect(await getUpdateForStaff(updateA.id, await issuerIdsOf(admin))).not.toBeNull();
    expect((await listOfferingOptions(await issuerIdsOf(admin))).map((row) => row.id)).toEqual(expect.arrayContaining([offeringA.id, offeringB.id]));
  });

  it("every project action of B's staff on A's objects is refused and changes nothing", async () => {
    as.user = staffB;
    const attempts: [string, (state: ActionState, data: FormData) => Promise<ActionState>, FormData][] = [
      ["create a project for A's offering", saveProjectAction, form(projectFields("b-in-a", offeringA.id))],
      ["edit A's project", saveProjectAction, form({ ...projectFields(projectA.slug, offeringB.id), projectId: projectA.id, titleJa: "乗っ取り" })],
      ["unpublish A's project", setProjectPublishedAction, form({ projectId: projectA.id, publish: "false" })],
      ["add an update to A's project", saveUpdateAction, form({ ...updateFields(projectA.id), images: new File([PNG_1x1], "x.png") })],
      ["edit A's update", saveUpdateAction, form({ ...updateFields(projectA.id), updateId: updateA.id })],
      ["withdraw A's update", setUpdatePublishedAction, form({ updateId: updateA.id, publish: "false" })],
      ["record spending on A's project", recordSpendingAction, form({ projectId: projectA.id, spentOn: "2026-11-01", amountYen: "5000", descriptionJa: "a", descriptionEn: "a" })],
      ["remove A's spending", removeSpendingAction, form({ spendingId: spendingA.id })],
    ];
    const before = await tally();
    for (const [name, action, data] of attempts) {
      const state = await run(action, data);
      expect(state, name).toMatchObject({ status: expect.stringMatching(/^(error|invalid)$/) });
    }
    expect(await tally()).toEqual(before);
    expect((await db().select().from(projects).where(eq(projects.id, projectA.id)))[0]).toMatchObject({ titleJa: projectA.titleJa, publishedAt: projectA.publishedAt, offeringId: offeringA.id });
    expect((await db().select().from(projectUpdates).where(eq(projectUpdates.id, updateA.id)))[0]).toMatchObject({ titleJa: updateA.titleJa, publishedAt: updateA.publishedAt });
    expect(await db().select().from(projectSpending).where(eq(projectSpending.id, spendingA.id))).toHaveLength(1);
  });

  it("A's receipt is shown to A's staff and an admin, not to B's staff", async () => {
    const view = async (who: SessionUser | null) => {
      as.user = who;
      return (await getImage(new Request("http://localhost"), { params: Promise.resolve({ id: spendingA.receiptImageId! }) })).status;
    };
    expect(await view(staffA)).toBe(200);
    expect(await view(admin)).toBe(200);
    expect(await view(staffB)).toBe(404);
    expect(await view(null)).toBe(404);
  });
});

describe("holder register", () => {
  it("B's staff can neither list, export nor add to A's register", async () => {
    const registerB = (await listRegisterOfferings(await issuerIdsOf(staffB))).map((row) => row.id);
    expect(registerB).toContain(offeringB.id);
    expect(registerB).not.toContain(offeringA.id);
    as.user = staffB;
    const audits = async () => (await db().select({ n: count() }).from(auditLog).where(eq(auditLog.action, "register.exported")))[0]!.n;
    const before = await audits();
    expect((await exportRegister(new Request(`http://localhost/staff/register/export?offering=${offeringA.id}`))).status).toBe(404);
    expect(await audits()).toBe(before);
    // Without an offering named, the first of their own (the seeded bond, created earliest).
    const own = await exportRegister(new Request("http://localhost/staff/register/export"));
    expect(own.status).toBe(200);
    expect(own.headers.get("content-disposition")).toContain(`register-${DEMO_BOND_SLUG}-`);

    const holder = await makeUser();
    const post = (body: unknown) =>
      grantDemo(new Request("http://localhost/staff/register/demo-holding", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }));
    expect((await post({ email: holder.email, units: 3, offeringSlug: DEMO_OFFERING_SLUG })).status).toBe(404);
    expect((await db().select({ n: count() }).from(ledgerEntries).where(eq(ledgerEntries.userId, holder.id)))[0]!.n).toBe(0);
    const granted = await post({ email: holder.email, units: 3, offeringSlug: DEMO_OTHER_OFFERING_SLUG });
    expect(await granted.json()).toMatchObject({ ok: true, offeringId: offeringB.id });
  });
});

describe("audit log", () => {
  it("shows staff only entries about their issuers (and their own actions); an admin sees all", async () => {
    const marker = { marker: "scope-test" };
    await db().transaction(async (tx) => {
      await recordAudit(tx, { actorId: admin.id, action: "issuer.updated", targetType: "issuer", targetId: offeringA.villageId, detail: marker });
      await recordAudit(tx, { actorId: admin.id, action: "issuer.updated", targetType: "issuer", targetId: offeringB.villageId, detail: marker });
      await recordAudit(tx, { actorId: staffA.id, action: "offering.updated", targetType: "offering", targetId: offeringA.id, detail: marker });
      await recordAudit(tx, { actorId: staffA.id, action: "project.updated", targetType: "project", targetId: projectA.id, detail: marker });
      await recordAudit(tx, { actorId: staffA.id, action: "update.edited", targetType: "project_update", targetId: updateA.id, detail: marker });
      await recordAudit(tx, { actorId: null, action: "order.refunded", targetType: "order", targetId: orderA, detail: marker });
      await recordAudit(tx, { actorId: null, action: "payment.refund_queued", targetType: "payment", targetId: exceptions.a.paymentIntentId!, detail: { ...marker, exceptionId: exceptions.a.id } });
      await recordAudit(tx, { actorId: null, action: "demo.holding_granted", targetType: "user", targetId: staffA.id, detail: { ...marker, offeringId: offeringA.id } });
      await recordAudit(tx, {
        actorId: null,
        action: "payment.unmatched_event",
        targetType: "payment",
        targetId: exceptions.unknown.paymentIntentId!,
        detail: { ...marker, exceptionId: exceptions.unknown.id },
      });
      await recordAudit(tx, { actorId: null, action: "order.refunded", targetType: "order", targetId: orderB, detail: marker });
      await recordAudit(tx, { actorId: staffB.id, action: "identity.approved", targetType: "user", targetId: admin.id, detail: marker });
    });
    const seen = async (user: SessionUser) => {
      const { entries } = await searchAuditLog({}, await staffScopeOf(user), 500);
      return entries.filter(({ entry }) => entry.detail?.marker === "scope-test").map(({ entry }) => `${entry.action}:${entry.targetId}`);
    };
    const aRows = [
      `issuer.updated:${offeringA.villageId}`,
      `offering.updated:${offeringA.id}`,
      `project.updated:${projectA.id}`,
      `update.edited:${updateA.id}`,
      `order.refunded:${orderA}`,
      `payment.refund_queued:${exceptions.a.paymentIntentId}`,
      `demo.holding_granted:${staffA.id}`,
    ];
    const bRows = [`issuer.updated:${offeringB.villageId}`, `order.refunded:${orderB}`, `identity.approved:${admin.id}`];
    expect((await seen(staffA)).sort()).toEqual([...aRows].sort());
    expect((await seen(staffB)).sort()).toEqual([...bRows].sort());
    expect(await seen(admin)).toHaveLength(aRows.length + bRows.length + 1);
    // Staff who belong to no issuer see only what they did themselves.
    expect(await seen(await makeUser("staff"))).toEqual([]);
  });
});

describe("payment exceptions", () => {
  it("list only the exceptions of the viewer's issuers; ones with no offering known are the admin's", async () => {
    const ids = async (user: SessionUser) =>
      (await listPaymentExceptions(await staffScopeOf(user))).map((row) => row.exception.id).filter((id) => Object.values(exceptions).some((exception) => exception.id === id));
    expect((await ids(staffA)).sort()).toEqual([exceptions.a.id, exceptions.aByOrder.id].sort());
    expect(await ids(staffB)).toEqual([exceptions.b.id]);
    expect((await ids(admin)).sort()).toEqual(
      Object.values(exceptions)
        .map((exception) => exception.id)
        .sort(),
    );
  });

  it("refuse B's staff a decision on A's exception or an unknown one, and change nothing; A's staff and the admin decide", async () => {
    const statusOf = async (id: string) => (await db().select({ status: paymentExceptions.status }).from(paymentExceptions).where(eq(paymentExceptions.id, id)))[0]!.status;
    const jobs = async () => (await db().execute<{ n: number }>(sql`select count(*)::int as n from pgboss.job where name = ${JOBS.refundPayment}`))[0]?.n ?? 0;
    const jobsBefore = await jobs();
    as.user = staffB;
    for (const exception of [exceptions.a, exceptions.aByOrder, exceptions.unknown]) {
      expect(await run(refundExceptionAction, form({ exceptionId: exception.id }))).toMatchObject({ status: "error" });
      expect(await run(dismissExceptionAction, form({ exceptionId: exception.id, note: "not ours" }))).toMatchObject({ status: "error" });
      expect(await statusOf(exception.id)).toBe("open");
    }
    expect(await jobs()).toBe(jobsBefore);

    as.user = staffA;
    expect(await run(dismissExceptionAction, form({ exceptionId: exceptions.unknown.id, note: "whose?" }))).toMatchObject({ status: "error" });
    expect(await run(dismissExceptionAction, form({ exceptionId: exceptions.aByOrder.id, note: "another system's payment" }))).toMatchObject({ status: "ok" });
    expect(await statusOf(exceptions.aByOrder.id)).toBe("dismissed");
    as.user = admin;
    expect(await run(dismissExceptionAction, form({ exceptionId: exceptions.unknown.id, note: "test event" }))).toMatchObject({ status: "ok" });
    expect(await statusOf(exceptions.unknown.id)).toBe("dismissed");
  });
});

describe("staff home", () => {
  it("counts only the viewer's issuers", async () => {
    const [b, all] = await Promise.all([getStaffOverview(await staffScopeOf(staffB)), getStaffOverview(await staffScopeOf(admin))]);
    expect(b.issuers.map((issuer) => issuer.id)).toEqual([offeringB.villageId]);
    // Orders still in progress (the seeded bond's orders are allocated long ago), of one issuer or all.
    const openOrders = async (issuerId?: string) =>
      (
        await db()
          .select({ n: count() })
          .from(orders)
          .innerJoin(offerings, eq(offerings.id, orders.offeringId))
          .where(and(inArray(orders.status, [...IN_PROGRESS]), issuerId ? eq(offerings.villageId, issuerId) : undefined))
      )[0]!.n;
    expect(b.openOrderCount).toBe(await openOrders(offeringB.villageId));
    expect(all.openOrderCount).toBe(await openOrders());
    expect(b.openOrderCount).toBeLessThan(all.openOrderCount);
    const open = async (offeringOrNone: string | null) =>
      (await db().select().from(paymentExceptions).where(eq(paymentExceptions.status, "open"))).filter((row) => (offeringOrNone === null ? true : row.offeringId === offeringOrNone)).length;
    expect(b.undecidedPaymentCount).toBe(await open(offeringB.id));
    expect(all.undecidedPaymentCount).toBe(await open(null));
  });
});

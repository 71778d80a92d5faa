import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, notifications, offerings, orderEvents, orders, users } from "@/db/schema";
import { JOBS } from "@/lib/jobs/names";
import type { ExpireResult, PaymentProvider } from "@/lib/payments/provider";
import { makeOffering } from "@/test/chain-support";
import { closeDueOfferings, closeInTx, closeOffering } from "./closing";

/** The processor's side: sessions named `cs_paid…` were paid before they could be expired. */
function fakeProcessor() {
  const expired: string[] = [];
  const provider = {
    async expireCheckout(sessionId: string): Promise<ExpireResult> {
      if (sessionId.startsWith("cs_paid")) return "already_complete";
      expired.push(sessionId);
      return "expired";
    },
  } as unknown as PaymentProvider;
  return { provider, expired };
}

let counter = 0;

/** An unpaid order holding units, as placeOrder leaves it (with a Checkout Session when given). */
async function unpaidOrder(offeringId: string, units: number, sessionId?: string) {
  counter += 1;
  const [user] = await getDb()
    .insert(users)
    .values({ email: `closing-${counter}-${Date.now()}@example.jp` })
    .returning();
  const [order] = await getDb()
    .insert(orders)
    .values({
      userId: user!.id,
      offeringId,
      units,
      amountYen: units * 1_000,
      status: sessionId ? "awaiting_payment" : "reserved",
      stripeCheckoutSessionId: sessionId ?? null,
      reservationExpiresAt: new Date(Date.now() + 1_800_000),
    })
    .returning();
  await getDb()
    .update(offerings)
    .set({ reservedUnits: sql`${offerings.reservedUnits} + ${units}` })
    .where(eq(offerings.id, offeringId));
  return order!;
}

const offeringById = async (id: string) => (await getDb().select().from(offerings).where(eq(offerings.id, id)))[0]!;
const statusOf = async (id: string) => (await getDb().select({ status: orders.status }).from(orders).where(eq(orders.id, id)))[0]!.status;
const settleJobs = async (offeringId: string) =>
  (await getDb().execute<{ data: Record<string, unknown> }>(sql`select data from pgboss.job where name = ${JOBS.settleOffering} and data->>'offeringId' = ${offeringId}`)).map((row) => row.data);
const audits = (offeringId: string) =>
  getDb().select({ action: auditLog.action, actorId: auditLog.actorId, detail: auditLog.detail }).from(auditLog).where(eq(auditLog.targetId, offeringId)).orderBy(auditLog.id);

describe("closing an offering", () => {
  it("releases every open reservation (its session expired at the processor first) and queues the settlement report", async () => {
    const offering = await makeOffering(getDb());
    const [staff] = await getDb()
      .insert(users)
      .values({ email: `closer-${Date.now()}@example.jp`, role: "staff" })
      .returning();
    const reserved = await unpaidOrder(offering.id, 2);
    const awaiting = await unpaidOrder(offering.id, 3, "cs_open_1");
    const paidMeanwhile = await unpaidOrder(offering.id, 5, "cs_paid_1");
    const { provider, expired } = fakeProcessor();

    expect(await closeOffering(offering.id, staff!.id, { provider })).toEqual({ ok: true, released: 2 });

    expect(expired).toEqual(["cs_open_1"]);
    expect(await offeringById(offering.id)).toMatchObject({ status: "closed", closedAt: expect.any(Date), reservedUnits: 5 });
    expect([await statusOf(reserved.id), await statusOf(awaiting.id), await statusOf(paidMeanwhile.id)]).toEqual(["expired", "expired", "awaiting_payment"]);
    const steps = await getDb()
      .select()
      .from(orderEvents)
      .where(and(eq(orderEvents.orderId, awaiting.id), eq(orderEvents.toStatus, "expired")));
    expect(steps).toMatchObject([{ detail: { reason: "offering_closed" } }]);
    expect(await audits(offering.id)).toMatchObject([
      { action: "offering.closed", actorId: staff!.id },
      { action: "offering.reservations_released", actorId: staff!.id, detail: { count: 2 } },
    ]);
    expect(await settleJobs(offering.id)).toEqual([{ offeringId: offering.id, requestedBy: staff!.id }]);
    // Their investors are told, as when a reservation times out.
    const notices = await getDb().select().from(notifications).where(eq(notifications.kind, "order_expired"));
    expect(notices.map((notice) => notice.orderId).sort()).toEqual([reserved.id, awaiting.id].sort());

    // Closed stays closed: a second close changes nothing and queues no second report.
    expect(await closeOffering(offering.id, staff!.id, { provider })).toEqual({ ok: false, error: "notAllowed" });
    expect(await settleJobs(offering.id)).toHaveLength(1);
  });

  it("does it all in one transaction: rolled back, the offering is open, its reservations held, and no report is queued", async () => {
    const offering = await makeOffering(getDb());
    const order = await unpaidOrder(offering.id, 4, "cs_open_2");
    const { provider } = fakeProcessor();
    await expect(
      getDb().transaction(async (tx) => {
        expect(await closeInTx(tx, offering.id, null, provider)).toEqual({ ok: true, released: 1 });
        throw new Error("crash before commit");
      }),
    ).rejects.toThrow("crash before commit");
    expect(await offeringById(offering.id)).toMatchObject({ status: "open", closedAt: null, reservedUnits: 4 });
    expect(await statusOf(order.id)).toBe("awaiting_payment");
    expect(await audits(offering.id)).toEqual([]);
    expect(await settleJobs(offering.id)).toEqual([]);
  });
});

describe("the closing job", () => {
  it("closes only the open or paused offerings whose end time has passed", async () => {
    const now = new Date();
    const past = new Date(now.getTime() - 60_000);
    const make = async (status: "draft" | "open" | "paused" | "closed", closesAt: Date) => {
      const offering = await makeOffering(getDb());
      await getDb()
        .update(offerings)
        .set({ status, closesAt, opensAt: new Date(closesAt.getTime() - 86_400_000) })
        .where(eq(offerings.id, offering.id));
      return offering.id;
    };
    const openDue = await make("open", past);
    const pausedDue = await make("paused", past);
    const openLater = await make("open", new Date(now.getTime() + 60_000));
    const draftDue = await make("draft", past);
    const held = await unpaidOrder(openDue, 1, "cs_open_3");
    const { provider } = fakeProcessor();

    expect(await closeDueOfferings(now, provider)).toBe(2);

    expect((await offeringById(openDue)).status).toBe("closed");
    expect((await offeringById(pausedDue)).status).toBe("closed");
    expect((await offeringById(openLater)).status).toBe("open");
    expect((await offeringById(draftDue)).status).toBe("draft");
    expect(await statusOf(held.id)).toBe("expired");
    expect(await audits(openDue)).toMatchObject([
      { action: "offering.closed", actorId: null },
      { action: "offering.reservations_released", actorId: null, detail: { count: 1 } },
    ]);
    expect(await settleJobs(openDue)).toEqual([{ offeringId: openDue, requestedBy: null }]);
    expect(await settleJobs(openLater)).toEqual([]);
    expect(await closeDueOfferings(now, provider)).toBe(0);
  });
});

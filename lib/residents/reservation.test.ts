import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { investorProfiles, offerings, orders, type Offering } from "@/db/schema";
import { approvedInvestor, demoOffering, orderById } from "@/test/orders/harness";
import { handleRefunded } from "@/lib/orders/charge-events";
import { currentDisclosure, reserveOrder } from "@/lib/orders/reservation";
import { markPaidInTx, releaseInTx } from "@/lib/orders/settle";

// Issue 15, residents first: the window, the tranche, its concurrency and the units given back.

const HOUR = 3_600_000;
const NOW = new Date();
const BEFORE = NOW; // residents come first until NOW + 1 day
const AFTER = new Date(NOW.getTime() + 2 * 24 * HOUR);

let template: Offering;
let disclosureId: string;
let counter = 0;

beforeAll(async () => {
  template = await demoOffering();
  disclosureId = (await currentDisclosure(template.id))!.id;
});

/** A fresh open offering of the seeded village (whose municipality is 岡山県 英田郡西森村) with residents' terms. */
async function offeringWith(terms: { capUnits: number; residentUnits: number; maxUnitsPerOrder?: number }): Promise<Offering> {
  counter += 1;
  const { id: _id, slug, reservedUnits: _r, soldUnits: _s, residentTakenUnits: _t, createdAt: _c, approvedTerms: _a, ...rest } = template;
  const [row] = await getDb()
    .insert(offerings)
    .values({ ...rest, slug: `${slug}-residents-${counter}`, maxUnitsPerOrder: terms.maxUnitsPerOrder ?? 50, ...terms, residentsUntil: new Date(NOW.getTime() + 24 * HOUR) })
    .returning();
  return row!;
}

type Investor = Awaited<ReturnType<typeof approvedInvestor>>;

/** An investor whose address staff confirmed: in the village (a resident) or in the next town. */
async function investor(resident: boolean): Promise<Investor> {
  const buyer = await approvedInvestor();
  await getDb()
    .update(investorProfiles)
    .set({ city: resident ? "英田郡西森村" : "美作市", addressVerifiedAt: new Date(), addressVerifiedBy: null })
    .where(eq(investorProfiles.userId, buyer.id));
  return buyer;
}

const buy = (buyer: Investor, offering: Offering, units: number, now: Date) => reserveOrder(buyer, { offeringId: offering.id, units, disclosureId, paymentMethod: "card" }, now);
const current = async (offering: Offering) => (await getDb().select().from(offerings).where(eq(offerings.id, offering.id)))[0]!;

/** The tranche's bookkeeping: taken = the residents' units of the orders that hold units. */
async function trancheOfOrders(offeringId: string) {
  const [row] = await getDb().execute<{ resident: string; units: string }>(sql`
    select coalesce(sum(resident_units), 0) as resident, coalesce(sum(units), 0) as units from orders
    where offering_id = ${offeringId} and status in ('reserved', 'awaiting_payment', 'paid', 'allocating', 'allocated', 'disputed')`);
  return { resident: Number(row!.resident), units: Number(row!.units) };
}

describe("a residents-only window", () => {
  it("refuses a non-resident until it ends (with the date) and accepts them after; residents buy throughout", async () => {
    const offering = await offeringWith({ capUnits: 100, residentUnits: 0 });
    const [outsider, resident, unverified] = [await investor(false), await investor(true), await approvedInvestor()];

    expect(await buy(outsider, offering, 2, BEFORE)).toEqual({ ok: false, error: "residentsOnly", until: offering.residentsUntil });
    // The profile names the village, but nobody confirmed the address: not a resident.
    expect(await buy(unverified, offering, 2, BEFORE)).toMatchObject({ ok: false, error: "residentsOnly" });
    expect(await buy(resident, offering, 2, BEFORE)).toMatchObject({ ok: true, order: { residentUnits: 0 } });
    expect(await buy(outsider, offering, 3, AFTER)).toMatchObject({ ok: true, order: { units: 3, residentUnits: 0 } });
    expect(await current(offering)).toMatchObject({ reservedUnits: 5, residentTakenUnits: 0 });
  });
});

describe("a residents' tranche", () => {
  it("gives residents tranche units first, then general ones; others only general units until it ends", async () => {
    const offering = await offeringWith({ capUnits: 20, residentUnits: 8 });
    const [outsider, resident] = [await investor(false), await investor(true)];

    const first = await buy(resident, offering, 5, BEFORE);
    expect(first).toMatchObject({ ok: true, order: { units: 5, residentUnits: 5 } });
    if (!first.ok) throw new Error("refused");
    expect((await orderById(first.order.id)).residentUnits).toBe(5);
    // 3 tranche units left: the next 6 take 3 from the tranche and 3 general ones.
    expect(await buy(resident, offering, 6, BEFORE)).toMatchObject({ ok: true, order: { residentUnits: 3 } });
    expect(await current(offering)).toMatchObject({ reservedUnits: 11, residentTakenUnits: 8 });

    // General part: 20 − 8 = 12, of which the resident took 3: 9 left for the outsider, and no tranche unit.
    expect(await buy(outsider, offering, 10, BEFORE)).toEqual({ ok: false, error: "soldOut", unitsLeft: 9 });
    expect(await buy(outsider, offering, 9, BEFORE)).toMatchObject({ ok: true, order: { residentUnits: 0 } });
    expect(await buy(outsider, offering, 1, BEFORE)).toEqual({ ok: false, error: "soldOut", unitsLeft: 0 });
    expect(await current(offering)).toMatchObject({ reservedUnits: 20, residentTakenUnits: 8 });
  });

  it("returns unsold tranche units to everyone once it ends", async () => {
    const offering = await offeringWith({ capUnits: 10, residentUnits: 6 });
    const outsider = await investor(false);
    expect(await buy(outsider, offering, 5, BEFORE)).toEqual({ ok: false, error: "soldOut", unitsLeft: 4 });
    expect(await buy(outsider, offering, 4, BEFORE)).toMatchObject({ ok: true });
    expect(await buy(outsider, offering, 6, AFTER)).toMatchObject({ ok: true, order: { residentUnits: 0 } });
    expect(await current(offering)).toMatchObject({ reservedUnits: 10, residentTakenUnits: 0 });
  });

  it.each([1, 2, 3])("is never oversold by 50 concurrent buyers, residents and others, and the tranche's count is exact (round %i)", async () => {
    // 10 residents wanting 19 units in all, 40 others wanting ~160: the tranche keeps the residents' room.
    const offering = await offeringWith({ capUnits: 60, residentUnits: 30, maxUnitsPerOrder: 7 });
    const isResident = (i: number) => i % 5 === 0;
    const buyers = await Promise.all(Array.from({ length: 50 }, (_, i) => investor(isResident(i))));
    const results = await Promise.all(buyers.map((buyer, i) => buy(buyer, offering, isResident(i) ? 1 + (i % 3) : 1 + (i % 7), BEFORE)));

    const after = await current(offering);
    const held = await trancheOfOrders(offering.id);
    expect(after.reservedUnits + after.soldUnits).toBeLessThanOrEqual(after.capUnits);
    expect(after.reservedUnits).toBe(held.units);
    expect(after.residentTakenUnits).toBe(held.resident);
    expect(after.residentTakenUnits).toBeLessThanOrEqual(after.residentUnits);
    // The general part (cap − tranche) never holds more than its size, and the others filled it.
    expect(after.reservedUnits - after.residentTakenUnits).toBeLessThanOrEqual(after.capUnits - after.residentUnits);
    expect(results.filter((result, i) => !isResident(i) && result.ok).length).toBeGreaterThan(0);
    // Every resident got their units, all from the tranche; the refused were others, each told what was left for them.
    results.forEach((result, i) => {
      if (isResident(i)) expect(result).toMatchObject({ ok: true, order: { residentUnits: 1 + (i % 3) } });
      else if (!result.ok) expect(result).toMatchObject({ error: "soldOut", unitsLeft: expect.any(Number) });
    });
    const residentsWanted = Array.from({ length: 50 }, (_, i) => (isResident(i) ? 1 + (i % 3) : 0)).reduce((sum, units) => sum + units, 0);
    expect(after.residentTakenUnits).toBe(residentsWanted);
    expect(results.some((result) => !result.ok)).toBe(true);
    const rows = await getDb().select().from(orders).where(eq(orders.offeringId, offering.id));
    for (const row of rows) if (!isResident(buyers.findIndex((buyer) => buyer.id === row.userId))) expect(row.residentUnits).toBe(0);
  });
});

describe("giving units back", () => {
  it("returns an expired or cancelled order's tranche units to the tranche", async () => {
    const offering = await offeringWith({ capUnits: 10, residentUnits: 4 });
    const resident = await investor(true);
    const order = await buy(resident, offering, 6, BEFORE);
    if (!order.ok) throw new Error("refused");
    expect(await current(offering)).toMatchObject({ reservedUnits: 6, residentTakenUnits: 4 });

    await getDb().transaction((tx) => releaseInTx(tx, order.order.id, "expired"));
    expect(await current(offering)).toMatchObject({ reservedUnits: 0, residentTakenUnits: 0 });
    expect((await orderById(order.order.id)).residentUnits).toBe(0);
    // Released twice: nothing more goes back.
    await getDb().transaction((tx) => releaseInTx(tx, order.order.id, "cancelled"));
    expect(await current(offering)).toMatchObject({ reservedUnits: 0, residentTakenUnits: 0 });
    expect(await buy(resident, offering, 4, BEFORE)).toMatchObject({ ok: true, order: { residentUnits: 4 } });
  });

  it("returns a refunded paid order's tranche units to the tranche, once", async () => {
    const offering = await offeringWith({ capUnits: 10, residentUnits: 5 });
    const resident = await investor(true);
    const order = await buy(resident, offering, 3, BEFORE);
    if (!order.ok) throw new Error("refused");
    const orderId = order.order.id;
    const paymentIntentId = `pi_residents_${orderId.slice(0, 8)}`;
    expect(await getDb().transaction((tx) => markPaidInTx(tx, orderId, { paymentIntentId, eventId: `evt_paid_${orderId}` }))).toBe("paid");
    expect(await current(offering)).toMatchObject({ reservedUnits: 0, soldUnits: 3, residentTakenUnits: 3 });

    const refund = {
      kind: "refunded" as const,
      eventId: `evt_refund_${orderId}`,
      paymentIntentId,
      chargeId: `ch_${orderId.slice(0, 8)}`,
      amountRefundedYen: order.order.amountYen,
      amountYen: order.order.amountYen,
      orderId,
    };
    await getDb().transaction((tx) => handleRefunded(tx, refund, orderId));
    await getDb().transaction((tx) => handleRefunded(tx, { ...refund, eventId: `${refund.eventId}_again` }, orderId));
    expect((await orderById(orderId)).status).toBe("refunded");
    expect(await current(offering)).toMatchObject({ reservedUnits: 0, soldUnits: 0, residentTakenUnits: 0 });
  });
});

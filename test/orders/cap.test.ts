import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { ledgerEntries, offerings, orders, paymentExceptions } from "@/db/schema";
import { approvedInvestor, configurePayments, demoOffering, jobsFor, orderById, startPaymentsHarness } from "./harness";

// Issue 9, point 1: the yearly investor cap is a legal limit, per issuer, under any concurrency.
const port = await configurePayments();
const { placeOrder, currentDisclosure } = await import("@/lib/orders/reserve");
const { releaseInTx } = await import("@/lib/orders/settle");

let harness: Awaited<ReturnType<typeof startPaymentsHarness>>;
let first: Awaited<ReturnType<typeof demoOffering>>;
let second: typeof first;
const disclosures = new Map<string, string>();

beforeAll(async () => {
  harness = await startPaymentsHarness(port);
  first = await demoOffering();
  await getDb().update(offerings).set({ capUnits: 100_000 }).where(eq(offerings.id, first.id));
  // A second offering of the same issuer: the cap counts both together.
  const { id: _id, slug, reservedUnits: _r, soldUnits: _s, createdAt: _c, ...terms } = first;
  second = (
    await getDb()
      .insert(offerings)
      .values({ ...terms, slug: `${slug}-2`, capUnits: 100_000 })
      .returning()
  )[0]!;
  for (const offering of [first, second]) disclosures.set(offering.id, (await currentDisclosure(offering.id))!.id);
});
afterAll(async () => harness?.stop());

const buy = (buyer: Awaited<ReturnType<typeof approvedInvestor>>, offeringId: string, units: number) => placeOrder(buyer, { offeringId, units, disclosureId: disclosures.get(offeringId)! });

async function committedYen(userId: string) {
  const [row] = await getDb().execute<{ yen: string }>(sql`
    select coalesce(sum(o.amount_yen), 0) as yen from orders o
    where o.user_id = ${userId} and o.status in ('reserved', 'awaiting_payment', 'paid', 'allocating', 'allocated', 'disputed')`);
  return Number(row!.yen);
}

describe("the yearly investor cap", () => {
  it("holds for 8 simultaneous orders of the whole cap: exactly one is reserved", async () => {
    for (let round = 0; round < 3; round += 1) {
      const buyer = await approvedInvestor();
      const results = await Promise.all(Array.from({ length: 8 }, () => buy(buyer, first.id, 500)));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok && r.error === "yearlyCap")).toHaveLength(7);
      expect(await committedYen(buyer.id)).toBe(500_000);
    }
  });

  it("counts all offerings of one issuer together, also under concurrency", async () => {
    const buyer = await approvedInvestor();
    expect(await buy(buyer, first.id, 300)).toMatchObject({ ok: true });
    expect(await buy(buyer, second.id, 300)).toEqual({ ok: false, error: "yearlyCap", remainingYen: 200_000 });
    expect(await buy(buyer, second.id, 200)).toMatchObject({ ok: true });

    const racer = await approvedInvestor();
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => buy(racer, i % 2 ? first.id : second.id, 400)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await committedYen(racer.id)).toBe(400_000);
  });

  it("frees the yen of an expired order, and a late payment over the cap is refunded, not allocated", async () => {
    const buyer = await approvedInvestor();
    const late = await buy(buyer, first.id, 400);
    if (!late.ok) throw new Error("order refused");
    const session = (await orderById(late.orderId)).stripeCheckoutSessionId!;
    await getDb().transaction((tx) => releaseInTx(tx, late.orderId, "expired", { from: ["awaiting_payment"] }));
    const replacement = await buy(buyer, second.id, 300);
    expect(replacement).toMatchObject({ ok: true });
    const soldBefore = (await getDb().select().from(offerings).where(eq(offerings.id, first.id)))[0]!.soldUnits;

    harness.emulator.completeSession(session, { outcome: "paid" });
    await harness.emulator.settled();

    const order = await orderById(late.orderId);
    expect(order.status).toBe("expired");
    expect(await committedYen(buyer.id)).toBe(300_000);
    expect((await getDb().select().from(offerings).where(eq(offerings.id, first.id)))[0]!.soldUnits).toBe(soldBefore);
    const [exception] = await getDb().select().from(paymentExceptions).where(eq(paymentExceptions.orderId, late.orderId));
    expect(exception).toMatchObject({ kind: "late_payment_over_cap", status: "refund_queued", amountYen: 400_000, paymentIntentId: order.stripePaymentIntentId });
    expect(await jobsFor("payments.refund", exception!.id)).toBe(0); // keyed by exception, not order
    const [job] = await getDb().execute<{ n: string }>(sql`select count(*) as n from pgboss.job where name = 'payments.refund' and data->>'exceptionId' = ${exception!.id}`);
    expect(Number(job!.n)).toBe(1);
    expect(await jobsFor("orders.allocate", late.orderId)).toBe(0);
    const ledger = await getDb().select().from(ledgerEntries).where(eq(ledgerEntries.orderId, late.orderId));
    expect(ledger.map((entry) => [entry.kind, entry.yen])).toEqual([["yen_received", 400_000]]);
  });

  it("is enforced by the database for any writer, not only the purchase path", async () => {
    const buyer = await approvedInvestor();
    expect(await buy(buyer, first.id, 500)).toMatchObject({ ok: true });
    const insert = getDb().insert(orders).values({ userId: buyer.id, offeringId: second.id, units: 1, amountYen: 1000, reservationExpiresAt: new Date() });
    await expect(insert).rejects.toMatchObject({ cause: { constraint_name: "investor_yearly_cap" } });
  });
});

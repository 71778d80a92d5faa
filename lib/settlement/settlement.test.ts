import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, offerings, orders, projectSpending, projects, settlementReports } from "@/db/schema";
import { databaseError } from "@/test/db";
import { makeUser } from "@/test/fixtures";
import { configurePayments, startPaymentsHarness } from "@/test/orders/harness";
import { makeInvestor, startChainOffering, testChainContext, type HardhatNode } from "@/test/chain-support";
import type { ChainContext } from "@/lib/chain/context";

// The emulator's port must be in the settings before lib/env is first read.
const port = await configurePayments();
const { paymentProvider } = await import("@/lib/payments/stripe");
const { requestRefund } = await import("@/lib/orders/refund");
const { allocateWaiting } = await import("@/lib/chain/allocate");
const { clawbackOrder } = await import("@/lib/chain/compliance");
const { makeReport, getReport, listReports } = await import("./reports");
const { runSettleJob } = await import("./jobs");
const { invariantsOf } = await import("./figures");

/** Not a round price, so the 3.6% card fee is rounded both ways. */
const PRICE = 1_234;

let harness: Awaited<ReturnType<typeof startPaymentsHarness>>;
let node: HardhatNode;
let ctx: ChainContext;
let offeringId: string;
let staffId: string;
const deps = () => ({ provider: paymentProvider(), chain: ctx });

/** An order paid through the emulator's checkout: the webhook books it as the real flow does. */
async function paidOrder(units: number) {
  const investor = await makeInvestor(getDb());
  const [order] = await getDb()
    .insert(orders)
    .values({ userId: investor.userId, offeringId, units, amountYen: units * PRICE, status: "awaiting_payment", reservationExpiresAt: new Date(Date.now() + 1_800_000) })
    .returning();
  await getDb()
    .update(offerings)
    .set({ reservedUnits: sql`${offerings.reservedUnits} + ${units}` })
    .where(eq(offerings.id, offeringId));
  const checkout = await paymentProvider().createCheckout({
    orderId: order!.id,
    offeringId,
    productName: "森のトークン",
    units,
    unitPriceYen: PRICE,
    customerEmail: "investor@example.jp",
    successUrl: "http://localhost/done",
    cancelUrl: "http://localhost/cancel",
    expiresAt: new Date(Date.now() + 1_800_000),
    locale: "ja",
  });
  await getDb().update(orders).set({ stripeCheckoutSessionId: checkout.sessionId }).where(eq(orders.id, order!.id));
  harness.emulator.completeSession(checkout.sessionId, { outcome: "paid" });
  await harness.emulator.settled();
  const [paid] = await getDb().select().from(orders).where(eq(orders.id, order!.id));
  expect(paid!.status).toBe("paid");
  return paid!;
}

async function project(slug: string, budgetYen: number) {
  const [row] = await getDb()
    .insert(projects)
    .values({
      offeringId,
      slug,
      titleJa: `事業 ${slug}`,
      titleEn: `Project ${slug}`,
      summaryJa: "概要",
      summaryEn: "Summary",
      bodyJa: "本文",
      bodyEn: "Body",
      budgetYen,
      publishedAt: new Date(Date.now() - 60_000),
    })
    .returning();
  return row!;
}

const spend = (projectId: string, amountYen: number) => getDb().insert(projectSpending).values({ projectId, spentOn: new Date(), amountYen, descriptionJa: "間伐", descriptionEn: "Thinning" });

let forest: { id: string };
let trail: { id: string };

beforeAll(async () => {
  harness = await startPaymentsHarness(port);
  const started = await startChainOffering(getDb());
  ({ node, ctx } = started);
  offeringId = started.offering.id;
  await getDb().update(offerings).set({ priceYen: PRICE }).where(eq(offerings.id, offeringId));
  staffId = (await makeUser("staff")).id;

  // Three payments; the third is refunded after its tokens were issued, so they are taken back.
  await paidOrder(3);
  await paidOrder(5);
  const c = await paidOrder(2);
  await allocateWaiting(ctx);
  expect(await requestRefund(c.id, staffId, paymentProvider())).toMatchObject({ ok: true });
  await harness.emulator.settled();
  expect((await getDb().select().from(orders).where(eq(orders.id, c.id)))[0]!.status).toBe("refunded");
  expect(await clawbackOrder(ctx, c.id)).toBe("done");

  forest = await project(`forest-${Date.now()}`, 10_000);
  trail = await project(`trail-${Date.now()}`, 5_000);
  await spend(forest.id, 1_500);
  await getDb().update(offerings).set({ status: "closed", closedAt: new Date() }).where(eq(offerings.id, offeringId));
});

afterAll(async () => {
  await harness?.stop();
  await node?.stop();
});

describe("the settlement report of a sale with a refund", () => {
  it("has the exact figures, with the card fees the processor took", async () => {
    const made = await makeReport(offeringId, staffId, deps());
    expect(made).toMatchObject({ ok: true, version: 1 });
    const report = (await getReport(offeringId))!;
    const f = report.figures;
    // 3, 5 and 2 units at ¥1,234: ¥3,702, ¥6,170 and ¥2,468; the last refunded.
    expect(f.sales).toEqual({
      paidOrders: 2,
      unitsSold: 8,
      refundedOrders: 1,
      unitsRefunded: 2,
      unitsAwaitingAllocation: 0,
      yenReceived: 12_340,
      yenRefunded: 2_468,
      paidOrdersYen: 9_872,
      yenReceivedInStablecoin: 0,
    });
    // 3.6% rounded to the yen: 133.27 → 133, 222.12 → 222, 88.85 → 89; the refund keeps its fee.
    expect(f.fees).toEqual({ payments: 3, feeYen: 444, withoutProcessorRecord: 0 });
    expect(f.netProceedsYen).toBe(12_340 - 2_468 - 444);
    expect(f.chain).toEqual({
      totalSupply: 8,
      allocatedUnits: 10,
      clawedBackUnits: 2,
      redeemedUnits: 0,
      holders: 2,
      reconciliation: { status: "ok", supplyChain: 8, supplyDb: 8, holdersChecked: expect.any(Number), mismatches: 0, error: null },
    });
    expect(invariantsOf(f)).toEqual({ yenMatchesOrders: true, supplyMatchesLedger: true });
    // ¥9,428 shared 2:1 by budget: 6,285.33 and 3,142.67, floored; the yen left over is unallocated.
    expect(f.projects.map(({ id, budgetYen, allocatedYen, spentYen, remainingYen }) => ({ id, budgetYen, allocatedYen, spentYen, remainingYen }))).toEqual([
      { id: forest.id, budgetYen: 10_000, allocatedYen: 6_285, spentYen: 1_500, remainingYen: 4_785 },
      { id: trail.id, budgetYen: 5_000, allocatedYen: 3_142, spentYen: 0, remainingYen: 3_142 },
    ]);
    expect(f.unallocatedYen).toBe(1);
    expect(f.offering).toMatchObject({ id: offeringId, status: "closed", priceYen: PRICE });
    expect(f.preparedBy).toMatch(/^staff-/);
    const audits = await getDb().select().from(auditLog).where(eq(auditLog.action, "settlement.report_created"));
    expect(audits).toEqual([expect.objectContaining({ actorId: staffId, targetId: offeringId, detail: expect.objectContaining({ version: 1, feeYen: 444, netProceedsYen: 9_428 }) })]);
  });

  it("supersedes with version 2 and leaves version 1 as it was", async () => {
    const first = (await getReport(offeringId, 1))!;
    await spend(trail.id, 700);
    expect(await makeReport(offeringId, null, deps())).toMatchObject({ ok: true, version: 2 });
    expect(await getReport(offeringId, 1)).toEqual(first);
    const second = (await getReport(offeringId))!;
    expect(second.version).toBe(2);
    expect(second.createdBy).toBeNull();
    expect(second.figures.preparedBy).toBeNull();
    expect(second.figures.projects.find((line) => line.id === trail.id)).toMatchObject({ spentYen: 700, remainingYen: 3_142 - 700 });
    expect((await listReports(offeringId)).map((row) => row.version)).toEqual([2, 1]);
    // Frozen in the database too: no update or delete of a made report.
    const v1 = eq(settlementReports.id, first.id);
    expect((await databaseError(getDb().update(settlementReports).set({ figures: {} }).where(v1))).message).toMatch(/append-only/);
    expect((await databaseError(getDb().delete(settlementReports).where(v1))).message).toMatch(/append-only/);
  });

  it("never gives two concurrent runs the same version", async () => {
    const made = await Promise.all([makeReport(offeringId, staffId, deps()), makeReport(offeringId, staffId, deps())]);
    expect(made.map((result) => (result.ok ? result.version : 0)).sort()).toEqual([3, 4]);
  });

  it("is refused for an offering that is not closed", async () => {
    await getDb().update(offerings).set({ status: "open" }).where(eq(offerings.id, offeringId));
    try {
      expect(await makeReport(offeringId, staffId, deps())).toEqual({ ok: false, error: "notClosed" });
    } finally {
      await getDb().update(offerings).set({ status: "closed" }).where(eq(offerings.id, offeringId));
    }
  });
});

describe("the report job", () => {
  const count = async () => (await getDb().select().from(settlementReports).where(eq(settlementReports.offeringId, offeringId))).length;

  it("fails (to be retried) while the processor is down, and makes nothing", async () => {
    const before = await count();
    const down = { ...paymentProvider(), paymentFees: async () => Promise.reject(new Error("connect ECONNREFUSED")) };
    await expect(runSettleJob({ offeringId, requestedBy: null }, { provider: down, chain: ctx })).rejects.toThrow("ECONNREFUSED");
    expect(await count()).toBe(before);
  });

  it("fails (to be retried) while the chain is down, and makes nothing", async () => {
    const before = await count();
    const deadChain = testChainContext(getDb(), "http://127.0.0.1:9/");
    await expect(runSettleJob({ offeringId, requestedBy: null }, { provider: paymentProvider(), chain: deadChain })).rejects.toThrow(/chain unreachable/);
    expect(await count()).toBe(before);
  });

  it("makes the next version when both answer", async () => {
    const before = await count();
    await runSettleJob({ offeringId, requestedBy: null }, deps());
    expect(await count()).toBe(before + 1);
  });
});

import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { investorCommitments, investorProfiles, offerings, orderEvents, type Offering, type PaymentMethod } from "@/db/schema";
import { recordSuitability } from "@/lib/onboarding/profile";
import { suitabilitySchema } from "@/lib/onboarding/schemas";
import { purchaseBlockers } from "@/lib/onboarding/state";
import { assessSuitability } from "@/lib/onboarding/suitability";
import { coolingOffEndsAt } from "@/lib/orders/cooling-off-period";
import { deferredMethodsOf, KONBINI_MAX_YEN, KONBINI_MIN_YEN } from "@/lib/orders/deferred/availability";
import { currentDisclosure, reserveOrder } from "@/lib/orders/reservation";
import { residenceStatus } from "@/lib/residents/residence";
import { makeUser } from "../fixtures";
import { approvedInvestor, demoOffering, orderById } from "./harness";

// Issue 16: the reservation in one round trip (reserve_order, migration 0022) keeps every rule.

const HOUR = 3_600_000;
const NOW = new Date();
let template: Offering;
let disclosureId: string;
let counter = 0;

beforeAll(async () => {
  template = await demoOffering();
  disclosureId = (await currentDisclosure(template.id))!.id;
});

/** A fresh offering of the seeded village, open now, with these terms. */
async function offeringWith(terms: Partial<Offering> = {}): Promise<Offering> {
  counter += 1;
  const { id: _id, slug, reservedUnits: _r, soldUnits: _s, residentTakenUnits: _t, createdAt: _c, approvedTerms: _a, ...rest } = template;
  const [row] = await getDb()
    .insert(offerings)
    .values({ ...rest, slug: `${slug}-reservation-${counter}`, ...terms })
    .returning();
  return row!;
}

type Buyer = { id: string; email: string; locale: "ja" | "en" };
const reserve = (buyer: Buyer, offering: Pick<Offering, "id">, units: number, options: { disclosureId?: string; paymentMethod?: PaymentMethod; now?: Date } = {}) =>
  reserveOrder(buyer, { offeringId: offering.id, units, disclosureId: options.disclosureId ?? disclosureId, paymentMethod: options.paymentMethod ?? "card" }, options.now ?? NOW);
const unitsOf = async (offering: Offering) => (await getDb().select().from(offerings).where(eq(offerings.id, offering.id)))[0]!.reservedUnits;

describe("every refusal keeps its detail and reserves nothing", () => {
  it("an unknown or draft offering, and one without its contract", async () => {
    const buyer = await approvedInvestor();
    expect(await reserve(buyer, { id: randomUUID() }, 1)).toEqual({ ok: false, error: "notFound" });
    expect(await reserve(buyer, await offeringWith({ status: "draft" }), 1)).toEqual({ ok: false, error: "notFound" });
    expect(await reserve(buyer, await offeringWith({ tokenAddress: null }), 1)).toEqual({ ok: false, error: "noContract" });
  });

  it("onboarding blockers in their order, and a stale disclosure", async () => {
    const offering = await offeringWith();
    const newcomer = { ...(await makeUser()), locale: "ja" as const };
    const blockers = ["profile", "suitability", "disclosures", "identity"];
    expect(await purchaseBlockers(newcomer.id)).toEqual(blockers);
    expect(await reserve(newcomer, offering, 1)).toEqual({ ok: false, error: "onboarding", blockers });
    const buyer = await approvedInvestor();
    expect(await reserve(buyer, offering, 1, { disclosureId: randomUUID() })).toEqual({ ok: false, error: "staleDisclosure" });
    expect(await reserve(buyer, offering, 1, { disclosureId: "not-an-id" })).toEqual({ ok: false, error: "staleDisclosure" });
    expect(await unitsOf(offering)).toBe(0);
  });

  it("the purchase limits: status, window, order size, in their order", async () => {
    const buyer = await approvedInvestor();
    const opensAt = new Date(NOW.getTime() + HOUR);
    expect(await reserve(buyer, await offeringWith({ status: "paused" }), 1)).toEqual({ ok: false, error: "notOpen" });
    expect(await reserve(buyer, await offeringWith({ opensAt }), 1)).toEqual({ ok: false, error: "notStarted", opensAt });
    const ended = await offeringWith({ opensAt: new Date(NOW.getTime() - 48 * HOUR), closesAt: new Date(NOW.getTime() - HOUR) });
    expect(await reserve(buyer, ended, 1)).toEqual({ ok: false, error: "ended" });
    const sized = await offeringWith({ minUnitsPerOrder: 3, maxUnitsPerOrder: 5 });
    expect(await reserve(buyer, sized, 2)).toEqual({ ok: false, error: "belowMin", min: 3 });
    expect(await reserve(buyer, sized, 6)).toEqual({ ok: false, error: "aboveMax", max: 5 });
    expect(await unitsOf(sized)).toBe(0);
  });

  it("the yearly cap with the issuer, all its offerings together, with the yen remaining", async () => {
    const [first, second] = [await offeringWith(), await offeringWith()];
    const buyer = await approvedInvestor();
    expect(await reserve(buyer, first, 300)).toMatchObject({ ok: true });
    expect(await reserve(buyer, second, 201)).toEqual({ ok: false, error: "yearlyCap", remainingYen: 200_000 });
    expect(await reserve(buyer, second, 200)).toMatchObject({ ok: true });
  });

  it("sold out, with the units left for this buyer", async () => {
    const offering = await offeringWith({ capUnits: 10 });
    expect(await reserve(await approvedInvestor(), offering, 8)).toMatchObject({ ok: true });
    expect(await reserve(await approvedInvestor(), offering, 3)).toEqual({ ok: false, error: "soldOut", unitsLeft: 2 });
    expect(await unitsOf(offering)).toBe(8);
  });

  it("pay later only where deferredMethodsOf offers it now, and a konbini amount within its limits", async () => {
    const buyer = await approvedInvestor();
    // Around the 24-hour rule and the Tokyo day boundaries of a konbini voucher.
    for (const hours of [23, 25, 30, 40, 47, 49, 60, 80]) {
      const offering = await offeringWith({ closesAt: new Date(NOW.getTime() + hours * HOUR), konbiniEnabled: true, bankTransferEnabled: hours !== 60 });
      for (const method of ["konbini", "bank_transfer"] as const) {
        const offered = deferredMethodsOf(offering, NOW).includes(method);
        const result = await reserve(buyer, offering, 1, { paymentMethod: method });
        expect({ hours, method, ok: result.ok }).toEqual({ hours, method, ok: offered });
        if (!offered) expect(result).toEqual({ ok: false, error: "methodUnavailable" });
      }
    }
    const large = await offeringWith({ maxUnitsPerOrder: 500, konbiniEnabled: true });
    expect(await reserve(buyer, large, 301, { paymentMethod: "konbini" })).toEqual({ ok: false, error: "konbiniAmount", minYen: KONBINI_MIN_YEN, maxYen: KONBINI_MAX_YEN });
    const cheap = await offeringWith({ priceYen: 100, konbiniEnabled: true });
    expect(await reserve(buyer, cheap, 1, { paymentMethod: "konbini" })).toMatchObject({ ok: false, error: "konbiniAmount" });
    expect(await reserve(buyer, cheap, 2, { paymentMethod: "konbini" })).toMatchObject({ ok: true });
  });
});

describe("a reservation", () => {
  it("returns the order and the offering as stored, with its cooling-off end, its expiry and its first event", async () => {
    const offering = await offeringWith({ coolingOffDays: 8 });
    const result = await reserve(await approvedInvestor(), offering, 2);
    if (!result.ok) throw new Error(result.error);
    expect(result.order).toEqual(await orderById(result.order.id));
    expect(result.offering).toEqual(offering);
    expect(result.order).toMatchObject({ units: 2, amountYen: 2 * offering.priceYen, status: "reserved", paymentMethod: "card", disclosureDocumentId: disclosureId, residentUnits: 0 });
    expect(result.order.coolingOffEndsAt).toEqual(coolingOffEndsAt(NOW, 8));
    expect(result.order.reservationExpiresAt).toEqual(new Date(NOW.getTime() + 30.5 * 60_000));
    const events = await getDb().select().from(orderEvents).where(eq(orderEvents.orderId, result.order.id));
    expect(events).toMatchObject([{ fromStatus: null, toStatus: "reserved", detail: { disclosureVersion: expect.any(String) } }]);
    expect(await unitsOf(offering)).toBe(2);

    const none = await reserve(await approvedInvestor(), await offeringWith({ coolingOffDays: 0 }), 1);
    expect(none).toMatchObject({ ok: true, order: { coolingOffEndsAt: null } });
  });
});

describe("under concurrency", () => {
  it.each([1, 2, 3])("never oversells: 40 buyers at once for 7 units (round %i)", async () => {
    const offering = await offeringWith({ capUnits: 7, maxUnitsPerOrder: 2 });
    const buyers = await Promise.all(Array.from({ length: 40 }, () => approvedInvestor()));
    const results = await Promise.all(buyers.map((buyer, i) => reserve(buyer, offering, 1 + (i % 2))));
    const taken = results.reduce((sum, result) => sum + (result.ok ? result.order.units : 0), 0);
    expect(taken).toBeLessThanOrEqual(7);
    expect(taken).toBeGreaterThanOrEqual(6);
    expect(await unitsOf(offering)).toBe(taken);
    for (const result of results) if (!result.ok) expect(result).toEqual({ ok: false, error: "soldOut", unitsLeft: expect.any(Number) });
  });

  it("one investor's 12 orders at once across two offerings of one issuer never pass the yearly cap", async () => {
    const [first, second] = [await offeringWith(), await offeringWith()];
    for (let round = 0; round < 3; round += 1) {
      const buyer = await approvedInvestor();
      // 100 units of ¥1,000 each: five fit in the ¥500,000 cap.
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => reserve(buyer, i % 2 ? first : second, 100)));
      expect(results.filter((result) => result.ok)).toHaveLength(5);
      for (const result of results) if (!result.ok) expect(result).toMatchObject({ error: "yearlyCap", remainingYen: expect.any(Number) });
      const [total] = await getDb().select().from(investorCommitments).where(eq(investorCommitments.userId, buyer.id));
      expect(total!.committedYen).toBe(500_000);
    }
  });

  it("a rush of single buyers and of investors firing three orders at once across two offerings never deadlocks", async () => {
    const [first, second] = [await offeringWith({ capUnits: 10_000 }), await offeringWith({ capUnits: 10_000 })];
    const [singles, repeaters] = [await Promise.all(Array.from({ length: 60 }, () => approvedInvestor())), await Promise.all(Array.from({ length: 20 }, () => approvedInvestor()))];
    const attempts = [
      ...singles.map((buyer, i) => () => reserve(buyer, i % 2 ? first : second, 1)),
      // 300 units of ¥1,000: one fits in the ¥500,000 cap, the other two are refused by it.
      ...repeaters.flatMap((buyer) => [first, second, first].map((offering) => () => reserve(buyer, offering, 300))),
    ];
    const results = await Promise.allSettled(attempts.sort(() => Math.random() - 0.5).map((attempt) => attempt()));
    const failures = results.flatMap((result) => (result.status === "rejected" ? [String(result.reason)] : []));
    expect(failures).toEqual([]);
    const kept = results.flatMap((result) => (result.status === "fulfilled" && result.value.ok ? [result.value.order.units] : []));
    expect(kept.reduce((sum, units) => sum + units, 0)).toBe(60 + 20 * 300);
    expect((await unitsOf(first)) + (await unitsOf(second))).toBe(60 + 20 * 300);
  });

  it("refuses a sold-out sale at once, without waiting on the offering's row lock", async () => {
    const offering = await offeringWith({ capUnits: 3, reservedUnits: 3 });
    const buyer = await approvedInvestor();
    const answer = await getDb().transaction(async (tx) => {
      // Another transaction holds the row, as a buyer taking units does until its commit.
      await tx.execute(sql`select id from offerings where id = ${offering.id} for no key update`);
      const late = new Promise((resolve) => setTimeout(() => resolve("waited"), 5_000));
      return Promise.race([reserve(buyer, offering, 1), late]);
    });
    expect(answer).toEqual({ ok: false, error: "soldOut", unitsLeft: 0 });
  });
});

describe("suitability, as the reservation judges it", () => {
  it("agrees with assessSuitability on every combination of answers", async () => {
    const buyer = await approvedInvestor();
    const { experience, assetBand, purpose, incomeBand } = suitabilitySchema.shape;
    for (const e of experience.options)
      for (const a of assetBand.options)
        for (const p of purpose.options) {
          const answers = { experience: e, assetBand: a, purpose: p, incomeBand: incomeBand.options[0]! };
          await recordSuitability(buyer.id, answers);
          // purchase_blockers (SQL, migration 0022) restates the rule of assessSuitability (TypeScript).
          expect({ answers, blocked: (await purchaseBlockers(buyer.id)).includes("unsuitable") }).toEqual({ answers, blocked: !assessSuitability(answers).suitable });
        }
  });
});

describe("residence, as the reservation judges it", () => {
  it("agrees with isResidentOf however the address is written", async () => {
    const cases: [string, string, boolean, boolean][] = [
      ["33", "英田郡西森村", true, true],
      ["３３", "英田郡　西森村", true, true],
      [" 33", "英田郡 西森村 ", true, true],
      ["33", "西森村", true, false],
      ["33", "英田郡西森村", false, false],
      ["34", "英田郡西森村", true, false],
    ];
    for (const [prefecture, city, verified, expected] of cases) {
      const buyer = await approvedInvestor();
      await getDb()
        .update(investorProfiles)
        .set({ prefecture, city, addressVerifiedAt: verified ? new Date() : null })
        .where(eq(investorProfiles.userId, buyer.id));
      const [row] = await getDb().execute<{ resident: boolean }>(sql`select is_resident_of(${buyer.id}, ${template.villageId}) as resident`);
      expect({ city, verified, sql: row!.resident }).toEqual({ city, verified, sql: expected });
      expect((await residenceStatus(getDb(), buyer.id, template.villageId)) === "resident").toBe(expected);
    }
  });
});

import { and, eq, isNull, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { bondSchedule, scheduleProblem } from "@/lib/bonds/schedule";
import { isBusinessDay } from "@/lib/bonds/calendar";
import { findBank, findBranch } from "@/lib/payouts/banks";
import { holderMatchesProfile } from "@/lib/payouts/kana";
import { tokyoDate } from "@/lib/projects/dates";
import { identityDocuments, investorProfiles, issuerPayoutSettings, issuerStaff, ledgerEntries, legalDocuments, offerings, orderEvents, orders, payoutBankAccounts, users, wallets } from "./schema";
import { DEMO_BOND_INVESTORS, DEMO_BOND_SLUG, DEMO_OTHER_ISSUER_SECOND_STAFF_EMAIL, DEMO_OTHER_ISSUER_STAFF_EMAIL, seedIfEmpty } from "./seed";
import { demoBondDates } from "./seed-bond";

const now = new Date();

beforeAll(async () => {
  expect(await seedIfEmpty(getDb(), now)).toBe(true);
});

async function bond() {
  const [row] = await getDb().select().from(offerings).where(eq(offerings.slug, DEMO_BOND_SLUG));
  return row!;
}

describe("the demo bond", () => {
  it("is Umibe's sold-out, closed 5-year bond whose approved terms and generated disclosure match", async () => {
    const offering = await bond();
    const staff = await getDb().select({ id: users.id, email: users.email, issuerId: issuerStaff.issuerId }).from(users).innerJoin(issuerStaff, eq(issuerStaff.userId, users.id));
    const author = staff.find((row) => row.email === DEMO_OTHER_ISSUER_STAFF_EMAIL)!;
    const approver = staff.find((row) => row.email === DEMO_OTHER_ISSUER_SECOND_STAFF_EMAIL)!;
    expect(approver.issuerId).toBe(offering.villageId);
    expect(author.issuerId).toBe(offering.villageId);
    expect(offering).toMatchObject({
      kind: "municipal_bond",
      status: "closed",
      priceYen: 10_000,
      approvedRevision: offering.termsRevision,
      termsAuthorId: author.id,
      approvedBy: approver.id,
      reservedUnits: 0,
    });
    expect(offering.soldUnits).toBe(offering.capUnits);
    expect(offering.closesAt.getTime()).toBeLessThan(now.getTime());
    expect(offering.approvedTerms).toMatchObject({
      revision: 1,
      kind: "municipal_bond",
      priceYen: 10_000,
      capUnits: offering.capUnits,
      bond: { faceValueYen: 10_000, issuePriceYen: 10_000, couponRateBp: 45, couponsPerYear: 2, recordDateBusinessDays: 1 },
    });
    const [disclosure] = await getDb()
      .select()
      .from(legalDocuments)
      .where(and(eq(legalDocuments.offeringId, offering.id), eq(legalDocuments.kind, "pre_contract")));
    expect(disclosure!.version).toBe("bond-terms-r1");
    expect(disclosure!.bodyJa).toContain("0.45");
  });

  it("has its first coupon just past: payment date moved to a business day, record date before today", async () => {
    const offering = await bond();
    const terms = offering.approvedTerms!.bond as Parameters<typeof bondSchedule>[0];
    expect(scheduleProblem(terms)).toBeNull();
    const schedule = bondSchedule(terms);
    expect(schedule).toHaveLength(10);
    const [first] = schedule;
    const today = tokyoDate(now);
    expect(first!.nominalDate).toBe(demoBondDates(now).firstCouponDate);
    expect(isBusinessDay(first!.paymentDate)).toBe(true);
    expect(first!.paymentDate < today).toBe(true);
    expect(first!.recordDate < first!.paymentDate).toBe(true);
    expect(first!.period).toBe("long");
    // The sale ended before interest started, and interest before the first coupon.
    expect(tokyoDate(offering.closesAt) < terms.interestFrom).toBe(true);
  });

  it("was bought by approved investors with wallets, paid orders dated in the sale and their yen in the ledger", async () => {
    const offering = await bond();
    const rows = await getDb()
      .select({ order: orders, email: users.email, identity: identityDocuments.status, wallet: wallets.address })
      .from(orders)
      .innerJoin(users, eq(users.id, orders.userId))
      .innerJoin(identityDocuments, eq(identityDocuments.userId, orders.userId))
      .innerJoin(wallets, eq(wallets.userId, orders.userId))
      .where(eq(orders.offeringId, offering.id));
    expect(rows.map((row) => row.email).sort()).toEqual(DEMO_BOND_INVESTORS.map((investor) => investor.email).sort());
    expect(rows.reduce((sum, row) => sum + row.order.units, 0)).toBe(offering.capUnits);
    for (const { order, identity } of rows) {
      expect(order.status).toBe("paid");
      expect(identity).toBe("approved");
      expect(order.amountYen).toBe(order.units * 10_000);
      expect(order.createdAt >= offering.opensAt && order.createdAt < offering.closesAt).toBe(true);
      const [paid] = await getDb()
        .select()
        .from(orderEvents)
        .where(and(eq(orderEvents.orderId, order.id), eq(orderEvents.toStatus, "paid")));
      expect(paid!.at < offering.closesAt).toBe(true);
    }
    const [received] = await getDb()
      .select({ yen: sql<string>`sum(${ledgerEntries.yen})`, last: sql<Date>`max(${ledgerEntries.at})` })
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.offeringId, offering.id), eq(ledgerEntries.kind, "yen_received")));
    expect(Number(received!.yen)).toBe(offering.capUnits * 10_000);
    expect(new Date(received!.last) < offering.closesAt).toBe(true);
  });

  it("gives most holders a valid payout account in their profile's kana name, and leaves two without", async () => {
    const accounts = await getDb()
      .select({ account: payoutBankAccounts, profile: investorProfiles })
      .from(payoutBankAccounts)
      .innerJoin(investorProfiles, eq(investorProfiles.userId, payoutBankAccounts.userId))
      .where(isNull(payoutBankAccounts.endedAt));
    expect(accounts).toHaveLength(DEMO_BOND_INVESTORS.filter((investor) => investor.bank).length);
    expect(DEMO_BOND_INVESTORS.length - accounts.length).toBe(2);
    for (const { account, profile } of accounts) {
      expect(await findBranch(account.bankCode, account.branchCode), `${account.bankCode}-${account.branchCode}`).not.toBeNull();
      expect(holderMatchesProfile(account.holderNameKana, profile)).toBe(true);
    }
  });

  it("sets Umibe's payout settings with a real bank and branch and a 10-digit requester code", async () => {
    const offering = await bond();
    const [settings] = await getDb().select().from(issuerPayoutSettings).where(eq(issuerPayoutSettings.villageId, offering.villageId));
    expect(settings!.requesterCode).toMatch(/^\d{10}$/);
    expect(await findBank(settings!.bankCode)).not.toBeNull();
    expect(await findBranch(settings!.bankCode, settings!.branchCode)).not.toBeNull();
  });
});

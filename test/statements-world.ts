// One investor's bond life written straight into the tables (as the coupon runs, payments and
// redemption will leave them), for the statements tests: purchases, a refund, three coupon
// payments of which one failed and was carried, the redemption, and another investor beside.
import { getDb } from "@/db/client";
import { bondTerms, couponPayments, couponRuns, investorProfiles, ledgerEntries, offerings, orders, payoutBankAccounts, recordSnapshots, type NewBondTerms, villages } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/roles";
import { makeUser, VALID_PROFILE } from "./fixtures";

let counter = 0;
const unique = () => `${process.pid}-${Date.now().toString(36)}-${++counter}`;
const jst = (local: string) => new Date(`${local}+09:00`);

/** 123 units of ¥10,000 at 0.45%: ¥22.5 a unit a half year, ¥2,767 gross, floored taxes ¥423 and ¥138. */
export const COUPON = { units: 123, grossYen: 2_767, nationalTaxYen: 423, localTaxYen: 138, netYen: 2_206 };
export const PRINCIPAL_YEN = 1_230_000;

const BOND_TERMS: Omit<NewBondTerms, "offeringId"> = {
  faceValueYen: 10_000,
  issuePriceYen: 10_000,
  couponRateBp: 45,
  couponsPerYear: 2,
  interestFrom: "2025-03-31",
  firstCouponDate: "2025-09-30",
  maturityDate: "2026-09-30",
  recordDateBusinessDays: 1,
};

async function makeIssuer(nameJa = "西森村", nameEn = "Nishimori Village") {
  const [village] = await getDb()
    .insert(villages)
    .values({ slug: `stmt-village-${unique()}`, nameJa, nameEn, prefectureJa: "岡山県", prefectureEn: "Okayama", descriptionJa: "村", descriptionEn: "Village" })
    .returning();
  return village!;
}

async function makeOffering(villageId: string, kind: "village_token" | "municipal_bond", names: { nameJa: string; nameEn: string }, priceYen: number) {
  const [offering] = await getDb()
    .insert(offerings)
    .values({
      villageId,
      slug: `stmt-${kind === "municipal_bond" ? "bond" : "token"}-${unique()}`,
      kind,
      ...names,
      descriptionJa: "説明",
      descriptionEn: "About",
      tokenSymbol: "BND",
      priceYen,
      capUnits: 100_000,
      maxUnitsPerOrder: 10_000,
      yearlyCapYenPerInvestor: 50_000_000,
      opensAt: jst("2025-03-01T09:00:00"),
      closesAt: jst("2025-03-25T17:00:00"),
      status: "closed",
    })
    .returning();
  if (kind === "municipal_bond")
    await getDb()
      .insert(bondTerms)
      .values({ offeringId: offering!.id, ...BOND_TERMS });
  return offering!;
}

/** An investor with the test profile (山田 花子, 岡山県英田郡西森村影石33-1) and a payout account at みずほ銀行 (0001-110). */
async function makeHolder(): Promise<SessionUser & { accountId: string }> {
  const user = await makeUser();
  await getDb()
    .insert(investorProfiles)
    .values({ userId: user.id, ...VALID_PROFILE });
  const [account] = await getDb()
    .insert(payoutBankAccounts)
    .values({ userId: user.id, bankCode: "0001", branchCode: "110", accountType: "ordinary", accountNumber: "1234567", holderNameKana: "ヤマダ ハナコ" })
    .returning();
  return { ...user, accountId: account!.id };
}

/** A run of a payment date in the given state, with the snapshot it needs; prepared and approved by two staff. */
async function makeRun(offeringId: string, input: { paymentNumber: number; paymentDate: string; kind?: "coupon" | "final"; status: "prepared" | "approved" | "paid" | "cancelled" }) {
  const [preparer, approver] = [await makeUser("staff"), await makeUser("staff")];
  const [snapshot] = await getDb()
    .insert(recordSnapshots)
    .values({ offeringId, paymentDate: input.paymentDate, recordDate: input.paymentDate, cutoffAt: jst(`${input.paymentDate}T00:00:00`), status: input.status === "cancelled" ? "mismatch" : "frozen" })
    .returning();
  const [run] = await getDb()
    .insert(couponRuns)
    .values({
      offeringId,
      snapshotId: snapshot!.id,
      paymentNumber: input.paymentNumber,
      paymentDate: input.paymentDate,
      kind: input.kind ?? "coupon",
      status: input.status,
      preparedBy: preparer!.id,
      approvedBy: input.status === "prepared" ? null : approver!.id,
      approvedAt: input.status === "prepared" ? null : jst(`${input.paymentDate}T09:00:00`),
    })
    .returning();
  return run!;
}

async function makePayment(
  runId: string,
  userId: string,
  input: { status: "waiting_account" | "in_file" | "paid" | "failed" | "carried"; principalYen?: number; carriedFromId?: string; bankAccountId?: string | null },
) {
  const [payment] = await getDb()
    .insert(couponPayments)
    .values({ runId, userId, ...COUPON, principalYen: input.principalYen ?? 0, status: input.status, carriedFromId: input.carriedFromId ?? null, bankAccountId: input.bankAccountId ?? null })
    .returning();
  return payment!;
}

/** A paid order and its money in the ledger at a given instant (units allocated a minute later). */
async function buy(userId: string, offering: { id: string; priceYen: number }, units: number, at: Date, status: "allocated" | "refunded" = "allocated") {
  const [order] = await getDb()
    .insert(orders)
    .values({ userId, offeringId: offering.id, units, amountYen: units * offering.priceYen, status, reservationExpiresAt: at, createdAt: at })
    .returning();
  await getDb()
    .insert(ledgerEntries)
    .values([
      { kind: "yen_received", offeringId: offering.id, orderId: order!.id, userId, yen: units * offering.priceYen, at },
      { kind: "tokens_allocated", offeringId: offering.id, orderId: order!.id, userId, units, at: new Date(at.getTime() + 60_000) },
    ]);
  return order!;
}

/**
 * Hanako: 123 bond units bought in March 2025; 5 token units bought 31 Dec 2025 23:30 (Tokyo) and
 * refunded in February 2026; 7 bought 1 Jan 2026 00:10. Coupon 1 (2025-09-30) paid; coupon 2
 * (2026-03-31) failed and carried into the final payment (2026-09-30), which also pays coupon 3
 * and the principal; the units are redeemed that day. Another bond's runs for her are cancelled
 * or only prepared. Taro holds the same bond and is paid too.
 */
export async function buildWorld() {
  const issuer = await makeIssuer();
  const bond = await makeOffering(issuer.id, "municipal_bond", { nameJa: "西森村ミニ公募債", nameEn: "Nishimori Mini Bond" }, 10_000);
  const token = await makeOffering(issuer.id, "village_token", { nameJa: "森のトークン", nameEn: "Forest Token" }, 1_000);
  const otherBond = await makeOffering((await makeIssuer("東山町", "Higashiyama Town")).id, "municipal_bond", { nameJa: "東山町債", nameEn: "Higashiyama Bond" }, 10_000);
  const hanako = await makeHolder();
  const taro = await makeHolder();

  await buy(hanako.id, bond, 123, jst("2025-03-20T10:00:00"));
  const refunded = await buy(hanako.id, token, 5, jst("2025-12-31T23:30:00"), "refunded");
  await buy(hanako.id, token, 7, jst("2026-01-01T00:10:00"));
  const refundAt = jst("2026-02-10T12:00:00");
  await getDb()
    .insert(ledgerEntries)
    .values([
      { kind: "yen_refunded", offeringId: token.id, orderId: refunded.id, userId: hanako.id, yen: -5_000, at: refundAt },
      { kind: "tokens_clawed_back", offeringId: token.id, orderId: refunded.id, userId: hanako.id, units: -5, at: refundAt },
    ]);
  await buy(taro.id, bond, 123, jst("2025-03-21T10:00:00"));
  await buy(taro.id, token, 3, jst("2026-05-01T10:00:00"));

  const run1 = await makeRun(bond.id, { paymentNumber: 1, paymentDate: "2025-09-30", status: "paid" });
  const p1 = await makePayment(run1.id, hanako.id, { status: "paid", bankAccountId: hanako.accountId });
  const taroPaid = await makePayment(run1.id, taro.id, { status: "paid", bankAccountId: taro.accountId });
  const run2 = await makeRun(bond.id, { paymentNumber: 2, paymentDate: "2026-03-31", status: "paid" });
  const p2 = await makePayment(run2.id, hanako.id, { status: "carried", bankAccountId: hanako.accountId });
  await makePayment(run2.id, taro.id, { status: "paid", bankAccountId: taro.accountId });
  const run3 = await makeRun(bond.id, { paymentNumber: 3, paymentDate: "2026-09-30", kind: "final", status: "paid" });
  const p2c = await makePayment(run3.id, hanako.id, { status: "paid", carriedFromId: p2.id, bankAccountId: hanako.accountId });
  const p3 = await makePayment(run3.id, hanako.id, { status: "paid", principalYen: PRINCIPAL_YEN, bankAccountId: hanako.accountId });
  await makePayment(run3.id, taro.id, { status: "paid", principalYen: PRINCIPAL_YEN, bankAccountId: taro.accountId });
  const redeemedAt = jst("2026-09-30T10:00:00");
  await getDb()
    .insert(ledgerEntries)
    .values([
      { kind: "tokens_redeemed", offeringId: bond.id, userId: hanako.id, units: -123, at: redeemedAt, detail: { runId: run3.id } },
      { kind: "tokens_redeemed", offeringId: bond.id, userId: taro.id, units: -123, at: redeemedAt, detail: { runId: run3.id } },
    ]);

  const cancelledRun = await makeRun(otherBond.id, { paymentNumber: 1, paymentDate: "2026-06-30", status: "cancelled" });
  const cancelled = await makePayment(cancelledRun.id, hanako.id, { status: "in_file", bankAccountId: hanako.accountId });
  const preparedRun = await makeRun(otherBond.id, { paymentNumber: 1, paymentDate: "2026-06-30", status: "prepared" });
  const prepared = await makePayment(preparedRun.id, hanako.id, { status: "in_file", bankAccountId: hanako.accountId });

  return { issuer, bond, token, otherBond, hanako, taro, payments: { p1, p2, p2c, p3, taroPaid, cancelled, prepared } };
}

export type World = Awaited<ReturnType<typeof buildWorld>>;

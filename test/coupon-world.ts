// Shared by the coupon run tests: a bond whose payments have all passed, staff of its issuer,
// holders (with or without payout accounts) and frozen record-date snapshots inserted directly.
import { randomBytes } from "node:crypto";
import { getDb } from "@/db/client";
import { bondTerms, investorProfiles, issuerStaff, offerings, payoutBankAccounts, recordSnapshots, snapshotHoldings, users, villages } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/roles";
import { bondSchedule, type BondPayment } from "@/lib/bonds/schedule";

let counter = 0;
const unique = () => `${process.pid}-${Date.now().toString(36)}-${++counter}`;

/**
 * 0.45% semiannual on ¥10,000: ¥22.5 per unit each period, so an odd number of units exercises the
 * rounding. Payments: 2024-12-02 (12/1 is a Sunday), 2025-06-02 (6/1 is a Sunday), 2025-12-01 (final).
 */
const TERMS = {
  faceValueYen: 10_000,
  issuePriceYen: 10_000,
  couponRateBp: 45,
  couponsPerYear: 2,
  interestFrom: "2024-06-01",
  firstCouponDate: "2024-12-01",
  maturityDate: "2025-12-01",
  recordDateBusinessDays: 1,
};

export type Bond = { offeringId: string; villageId: string; slug: string; schedule: BondPayment[] };

export async function makeBond(): Promise<Bond> {
  const db = getDb();
  const slug = `bond-${unique()}`;
  const [village] = await db
    .insert(villages)
    .values({ slug: `village-${unique()}`, nameJa: "西森村", nameEn: "Nishimori", prefectureJa: "岡山県", prefectureEn: "Okayama", descriptionJa: "村", descriptionEn: "Village" })
    .returning();
  const [offering] = await db
    .insert(offerings)
    .values({
      villageId: village!.id,
      slug,
      kind: "municipal_bond",
      nameJa: "西森村ミニ公募債",
      nameEn: "Nishimori Mini Bond",
      descriptionJa: "債",
      descriptionEn: "Bond",
      tokenSymbol: "NMB",
      priceYen: 10_000,
      capUnits: 100_000,
      maxUnitsPerOrder: 1_000,
      opensAt: new Date("2024-05-01T00:00:00Z"),
      closesAt: new Date("2024-05-31T00:00:00Z"),
      status: "closed",
      approvedRevision: 1,
    })
    .returning();
  await db.insert(bondTerms).values({ offeringId: offering!.id, ...TERMS });
  return { offeringId: offering!.id, villageId: village!.id, slug, schedule: bondSchedule(TERMS) };
}

export async function makeStaffOf(villageId: string): Promise<SessionUser> {
  const email = `staff-${unique()}@example.jp`;
  const [user] = await getDb().insert(users).values({ email, role: "staff" }).returning();
  await getDb().insert(issuerStaff).values({ issuerId: villageId, userId: user!.id });
  return { id: user!.id, email, name: null, role: "staff" };
}

export type Holder = { userId: string; email: string; address: string };

export const randomAddress = () => `0x${randomBytes(20).toString("hex")}`;

/** An investor with a kana name on the profile and, unless `account: false`, a current payout account. */
export async function makeHolder(options: { account?: boolean; kana?: [string, string] } = {}): Promise<Holder> {
  const db = getDb();
  const email = `holder-${unique()}@example.jp`;
  const [user] = await db.insert(users).values({ email }).returning();
  const [family, given] = options.kana ?? ["ヤマダ", "ハナコ"];
  await db.insert(investorProfiles).values({ userId: user!.id, familyNameKanji: "山田", givenNameKanji: "花子", familyNameKana: family, givenNameKana: given });
  if (options.account !== false) await addAccount(user!.id, `${family}\u3000${given}`);
  return { userId: user!.id, email, address: randomAddress() };
}

let accountNumber = 1_000_000;
export async function addAccount(userId: string, holderNameKana = "ヤマダ\u3000ハナコ") {
  accountNumber += 1;
  const [row] = await getDb()
    .insert(payoutBankAccounts)
    .values({ userId, bankCode: "0005", branchCode: "001", accountType: "ordinary", accountNumber: String(accountNumber), holderNameKana })
    .returning();
  return row!;
}

/** A frozen snapshot of the payment as A's job would leave it (one row per address). */
export async function freezeSnapshot(bond: Bond, paymentNumber: number, holdings: { userId: string | null; address: string; units: number }[]) {
  const payment = bond.schedule[paymentNumber - 1]!;
  const [snapshot] = await getDb()
    .insert(recordSnapshots)
    .values({
      offeringId: bond.offeringId,
      paymentDate: payment.paymentDate,
      recordDate: payment.recordDate,
      cutoffAt: new Date(`${payment.recordDate}T15:00:00Z`),
      blockNumber: 100 + paymentNumber,
      status: "frozen",
      holders: holdings.length,
    })
    .returning();
  if (holdings.length > 0)
    await getDb()
      .insert(snapshotHoldings)
      .values(holdings.map((holding) => ({ snapshotId: snapshot!.id, ...holding })));
  return snapshot!;
}

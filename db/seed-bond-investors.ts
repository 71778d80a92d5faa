import { eq } from "drizzle-orm";
import { dayNumber, type IsoDate } from "@/lib/bonds/calendar";
import type { MasterKeys } from "@/lib/custody/envelope";
import { createWalletFor } from "@/lib/custody/wallets";
import { tokyoDate } from "@/lib/projects/dates";
import type { Tx } from "./client";
import { documentAcceptances, identityDocuments, investorProfiles, ledgerEntries, orderEvents, orders, payoutBankAccounts, suitabilityAnswers, users, wallets } from "./schema";

// The demo bond's buyers (db/seed-bond.ts), with the dates helpers both files use.

const DAY_MS = 86_400_000;
export const UNIT_YEN = 10_000;
/** The town's municipality for residents first, as its demo investors' profiles write it. */
export const DEMO_UMIBE_RESIDENCE = { prefecture: "39", city: "幡多郡海辺町" } as const;

const isoDay = (day: number): IsoDate => new Date(day * DAY_MS).toISOString().slice(0, 10);
export const plusDays = (date: IsoDate, days: number) => isoDay(dayNumber(date) + days);
/** An instant given as a Tokyo date and wall-clock time. */
export const tokyoAt = (date: IsoDate, time: string) => new Date(`${date}T${time}:00+09:00`);
const minutes = (at: Date, n: number) => new Date(at.getTime() + n * 60_000);

type SaleDates = { approvedAt: Date; opensAt: Date; interestFrom: IsoDate };

type DemoInvestor = {
  email: string;
  kanji: [string, string];
  kana: [string, string];
  birthDate: string;
  prefecture: string;
  city: string;
  street: string;
  phone: string;
  units: number;
  /** Day of the sale the order was paid (0: the opening day) and the Tokyo time. */
  paid: [number, string];
  /** Zengin bank code, branch code, account number; null: no payout account yet. */
  bank: [string, string, string] | null;
};

/** Residents and supporters who bought the whole issue; the last two have not registered a bank account. */
export const DEMO_BOND_INVESTORS: DemoInvestor[] = [
  {
    email: "kaito.hamada@example.jp",
    kanji: ["浜田", "海斗"],
    kana: ["ハマダ", "カイト"],
    birthDate: "1984-07-14",
    prefecture: "39",
    city: "幡多郡海辺町",
    street: "港町2-14",
    phone: "0880-55-1021",
    units: 80,
    paid: [0, "09:12"],
    bank: ["0578", "001", "1203456"],
  },
  {
    email: "misaki.okabayashi@example.jp",
    kanji: ["岡林", "美咲"],
    kana: ["オカバヤシ", "ミサキ"],
    birthDate: "1991-02-03",
    prefecture: "39",
    city: "幡多郡海辺町",
    street: "浜ノ浦5-3",
    phone: "0880-55-2470",
    units: 50,
    paid: [0, "12:40"],
    bank: ["1881", "021", "0456712"],
  },
  {
    email: "shota.yamasaki@example.jp",
    kanji: ["山崎", "翔太"],
    kana: ["ヤマサキ", "ショウタ"],
    birthDate: "1978-11-30",
    prefecture: "39",
    city: "高知市",
    street: "本町3-8-12",
    phone: "088-821-3307",
    units: 40,
    paid: [2, "20:05"],
    bank: ["0175", "101", "2345671"],
  },
  {
    email: "yoko.nakamura@example.jp",
    kanji: ["中村", "陽子"],
    kana: ["ナカムラ", "ヨウコ"],
    birthDate: "1969-05-21",
    prefecture: "13",
    city: "世田谷区",
    street: "桜丘4-17-6",
    phone: "03-3427-5512",
    units: 30,
    paid: [5, "07:48"],
    bank: ["0001", "110", "3456712"],
  },
  {
    email: "daisuke.komatsu@example.jp",
    kanji: ["小松", "大輔"],
    kana: ["コマツ", "ダイスケ"],
    birthDate: "1988-09-09",
    prefecture: "27",
    city: "大阪市北区",
    street: "天満2-1-5",
    phone: "06-6351-8840",
    units: 60,
    paid: [9, "22:31"],
    bank: ["9900", "128", "4567123"],
  },
  {
    email: "sakura.tamura@example.jp",
    kanji: ["田村", "さくら"],
    kana: ["タムラ", "サクラ"],
    birthDate: "1996-04-18",
    prefecture: "39",
    city: "幡多郡海辺町",
    street: "汐見台1-9",
    phone: "0880-55-3318",
    units: 20,
    paid: [13, "18:20"],
    bank: null,
  },
  {
    email: "yuma.yoshida@example.jp",
    kanji: ["吉田", "悠真"],
    kana: ["ヨシダ", "ユウマ"],
    birthDate: "2001-12-02",
    prefecture: "39",
    city: "高知市",
    street: "はりまや町1-6-2",
    phone: "088-882-0416",
    units: 20,
    paid: [16, "11:03"],
    bank: null,
  },
];

/** One investor: onboarded and approved before the sale opened, one paid order, maybe a payout account. */
export async function seedBondInvestor(
  tx: Tx,
  input: {
    investor: DemoInvestor;
    index: number;
    offeringId: string;
    disclosureId: string;
    onboardingDocumentIds: string[];
    reviewerId: string;
    masterKeys: MasterKeys;
    dates: SaleDates;
  },
): Promise<void> {
  const { investor, index, dates } = input;
  const signedUp = tokyoAt(plusDays(tokyoDate(dates.approvedAt), 1 + index), "19:30");
  const reviewedAt = tokyoAt(plusDays(tokyoDate(dates.approvedAt), 2 + index), "10:15");
  const townResident = investor.prefecture === DEMO_UMIBE_RESIDENCE.prefecture && investor.city === DEMO_UMIBE_RESIDENCE.city;
  const [user] = await tx
    .insert(users)
    .values({ email: investor.email, name: investor.kanji.join(" "), role: "investor", locale: "ja", emailVerified: signedUp, createdAt: signedUp })
    .returning({ id: users.id });
  const userId = user!.id;
  await tx.insert(investorProfiles).values({
    userId,
    familyNameKanji: investor.kanji[0],
    givenNameKanji: investor.kanji[1],
    familyNameKana: investor.kana[0],
    givenNameKana: investor.kana[1],
    birthDate: investor.birthDate,
    postalCode: investor.prefecture === "39" ? "789-1931" : investor.prefecture === "13" ? "156-0054" : "530-0041",
    prefecture: investor.prefecture,
    city: investor.city,
    street: investor.street,
    phone: investor.phone,
    countryOfResidence: "JP",
    updatedAt: minutes(signedUp, 5),
    // The reviewer confirmed the town's residents' addresses against their documents (residents first, lib/residents).
    ...(townResident ? { addressVerifiedAt: reviewedAt, addressVerifiedBy: input.reviewerId } : {}),
  });
  await tx.insert(suitabilityAnswers).values({
    userId,
    answers: { experience: index % 2 === 0 ? "1_to_3y" : "over_3y", incomeBand: "3m_to_5m", assetBand: "1m_to_5m", purpose: index % 3 === 0 ? "long_term" : "support_village" },
    suitable: "yes",
    answeredAt: minutes(signedUp, 8),
  });
  if (input.onboardingDocumentIds.length > 0) {
    await tx.insert(documentAcceptances).values(input.onboardingDocumentIds.map((documentId) => ({ userId, documentId, acceptedAt: minutes(signedUp, 10) })));
  }
  await tx.insert(identityDocuments).values({
    userId,
    storageKey: `identity/demo-bond-investor-${index + 1}.png`,
    contentType: "image/png",
    sizeBytes: 48_213,
    status: "approved",
    reviewerId: input.reviewerId,
    reviewedAt,
    addressMatches: townResident ? true : null,
    submittedAt: minutes(signedUp, 12),
  });
  await createWalletFor(tx, userId, input.masterKeys);
  await tx.update(wallets).set({ createdAt: reviewedAt }).where(eq(wallets.userId, userId));

  const created = tokyoAt(plusDays(tokyoDate(dates.opensAt), investor.paid[0]), investor.paid[1]);
  await seedPaidOrder(tx, { userId, offeringId: input.offeringId, units: investor.units, priceYen: UNIT_YEN, disclosureId: input.disclosureId, disclosureVersion: "bond-terms-r1", created });

  if (investor.bank) {
    const [bankCode, branchCode, accountNumber] = investor.bank;
    await tx.insert(payoutBankAccounts).values({
      userId,
      bankCode,
      branchCode,
      accountType: "ordinary",
      accountNumber,
      holderNameKana: `${investor.kana[0]}\u3000${investor.kana[1]}`,
      createdAt: tokyoAt(plusDays(dates.interestFrom, 10 + index * 3), "21:00"),
    });
  }
}

/**
 * A demo order paid by card four minutes after it was reserved: its events and its yen in the
 * ledger, as the checkout leaves them; the dev chain allocates it (scripts/lib/demo-history.ts).
 */
export async function seedPaidOrder(
  tx: Tx,
  input: { userId: string; offeringId: string; units: number; priceYen: number; disclosureId: string; disclosureVersion: string; created: Date },
): Promise<string> {
  const { userId, created } = input;
  const paidAt = minutes(created, 4);
  const amountYen = input.units * input.priceYen;
  const [order] = await tx
    .insert(orders)
    .values({
      userId,
      offeringId: input.offeringId,
      units: input.units,
      amountYen,
      status: "paid",
      disclosureDocumentId: input.disclosureId,
      reservationExpiresAt: minutes(created, 30),
      createdAt: created,
      updatedAt: paidAt,
    })
    .returning({ id: orders.id });
  // Demo payments never went through the card processor: no Stripe ids (the settlement report counts them as such).
  const detail = { demo: true };
  await tx.insert(orderEvents).values([
    { orderId: order!.id, fromStatus: null, toStatus: "reserved", detail: { disclosureVersion: input.disclosureVersion }, at: created },
    { orderId: order!.id, fromStatus: "reserved", toStatus: "awaiting_payment", detail, at: minutes(created, 1) },
    { orderId: order!.id, fromStatus: "awaiting_payment", toStatus: "paid", detail, at: paidAt },
  ]);
  await tx.insert(ledgerEntries).values({ kind: "yen_received", offeringId: input.offeringId, orderId: order!.id, userId, yen: amountYen, detail, at: paidAt });
  return order!.id;
}

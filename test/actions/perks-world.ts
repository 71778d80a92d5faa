import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { investorProfiles, perkClaims, perks, recordSnapshots, snapshotHoldings } from "@/db/schema";
import { recordCutoff } from "@/lib/bonds/snapshot";
import { tokyoDate, tokyoDateTimeInput } from "@/lib/projects/dates";

/** The perk action tests' world: form fields of a perk, a frozen holders' snapshot, and rows to check. */

const DAY = 86_400_000;

/** A record date that has ended (a holding perk of it is decided on a frozen snapshot). */
const RECORD_DATE = tokyoDate(new Date(Date.now() - 3 * DAY));

/** The staff form of a holding perk open now (10 or more at the record date, 5 in stock). */
export function perkFields(offeringId: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    offeringId,
    kind: "holding",
    titleJa: "新米5kg",
    titleEn: "5 kg of new rice",
    descriptionJa: "秋に収穫した新米をお届けします。",
    descriptionEn: "Rice from this autumn's harvest.",
    minUnits: "10",
    recordDate: RECORD_DATE,
    stock: "5",
    claimOpensAt: tokyoDateTimeInput(new Date(Date.now() - DAY)),
    claimClosesAt: tokyoDateTimeInput(new Date(Date.now() + 30 * DAY)),
    needsAddress: "true",
    ...overrides,
  };
}

export const DELIVERY = { recipientName: "山田 花子", recipientKana: "ヤマダ ハナコ", postalCode: "707-0503", address: "岡山県英田郡西森村影石33-1", phone: "0868-79-2111" };

/** Freezes the offering's holders' snapshot of the record date as the snapshot job would (one address per holder). */
export async function freezeHolders(offeringId: string, holdings: { userId: string; units: number }[], recordDate = RECORD_DATE) {
  const [snapshot] = await getDb()
    .insert(recordSnapshots)
    .values({ offeringId, paymentDate: null, recordDate, cutoffAt: recordCutoff(recordDate), blockNumber: 1, status: "frozen", holders: holdings.length })
    .returning();
  await getDb()
    .insert(snapshotHoldings)
    .values(holdings.map((holding) => ({ snapshotId: snapshot!.id, address: `0x${randomBytes(20).toString("hex")}`, ...holding })));
  return snapshot!;
}

export async function addProfile(userId: string) {
  await getDb().insert(investorProfiles).values({
    userId,
    familyNameKanji: "山田",
    givenNameKanji: "花子",
    familyNameKana: "ヤマダ",
    givenNameKana: "ハナコ",
    postalCode: "707-0503",
    prefecture: "33",
    city: "英田郡西森村",
    street: "影石33-1",
    phone: "0868-79-2111",
  });
}

export const perkRow = async (id: string) => (await getDb().select().from(perks).where(eq(perks.id, id)))[0]!;
export const perksOf = (offeringId: string) => getDb().select().from(perks).where(eq(perks.offeringId, offeringId));
export const claimRow = async (id: string) => (await getDb().select().from(perkClaims).where(eq(perkClaims.id, id)))[0]!;
export const claimsOf = (perkId: string) => getDb().select().from(perkClaims).where(eq(perkClaims.perkId, perkId));

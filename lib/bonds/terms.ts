import "server-only";
import { eq } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/db/client";
import { bondTerms, legalDocuments, offerings, villages, type BondTerms } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { translator } from "@/lib/i18n/catalog";
import { approvedBondOf } from "@/lib/offerings/public-view";
import type { BondTermsInput } from "./schemas";
import { disclosureText, scheduleRows } from "./term-sheet";

/** A bond's terms, or null for an offering that is not a bond. */
export async function getBondTerms(offeringId: string, db: DbOrTx = getDb()): Promise<BondTerms | null> {
  const [row] = await db.select().from(bondTerms).where(eq(bondTerms.offeringId, offeringId));
  return row ?? null;
}

const FIELDS = ["faceValueYen", "couponRateBp", "couponsPerYear", "interestFrom", "firstCouponDate", "maturityDate", "recordDateBusinessDays"] as const;

/**
 * What saving would change, keyed `bond.<field>` (`bond` alone when the terms go or come). The
 * issue price is not compared: it is the offering's price per unit, a term field of its own.
 */
export async function bondTermsChanges(tx: DbOrTx, offeringId: string, bond: BondTermsInput | null): Promise<Record<string, unknown>> {
  const before = await getBondTerms(offeringId, tx);
  if (!before || !bond) return before || bond ? { bond: bond ?? null } : {};
  return Object.fromEntries(FIELDS.filter((field) => before[field] !== bond[field]).map((field) => [`bond.${field}`, bond[field]]));
}

/**
 * Writes the bond's terms with the offering, in its transaction; the issue price is always the
 * offering's price per unit (one source: the form's price field), so the two never disagree.
 */
export async function saveBondTerms(tx: DbOrTx, actorId: string, offeringId: string, bond: BondTermsInput | null, priceYen: number): Promise<void> {
  if (!bond) {
    await tx.delete(bondTerms).where(eq(bondTerms.offeringId, offeringId));
    return;
  }
  const values = { ...bond, issuePriceYen: priceYen };
  await tx
    .insert(bondTerms)
    .values({ offeringId, ...values })
    .onConflictDoUpdate({ target: bondTerms.offeringId, set: values });
  await recordAudit(tx, { actorId, action: "bond.terms_saved", targetType: "offering", targetId: offeringId, detail: values });
}

/**
 * On approval of a bond's terms: the pre-contract disclosure (ja and en) written from exactly the
 * approved revision, so buyers confirm what was approved. Nothing for an offering that is not a bond.
 */
export async function publishBondDisclosure(tx: DbOrTx, actorId: string, offeringId: string, revision: number): Promise<boolean> {
  const terms = await getBondTerms(offeringId, tx);
  if (!terms) return false;
  const [found] = await tx
    .select({ offering: offerings, issuer: { nameJa: villages.nameJa, nameEn: villages.nameEn } })
    .from(offerings)
    .innerJoin(villages, eq(villages.id, offerings.villageId))
    .where(eq(offerings.id, offeringId));
  if (!found) return false;
  const ja = disclosureText(translator("ja"), { name: found.offering.nameJa, issuer: found.issuer.nameJa, terms });
  const en = disclosureText(translator("en"), { name: found.offering.nameEn, issuer: found.issuer.nameEn, terms });
  const version = `bond-terms-r${revision}`;
  const [doc] = await tx
    .insert(legalDocuments)
    .values({ kind: "pre_contract", offeringId, version, titleJa: ja.title, titleEn: en.title, bodyJa: ja.body, bodyEn: en.body })
    .returning({ id: legalDocuments.id });
  await recordAudit(tx, { actorId, action: "offering.disclosure_published", targetType: "offering", targetId: offeringId, detail: { documentId: doc!.id, version, generated: "bond_terms" } });
  return true;
}

/**
 * What the public offering page shows of a bond: its approved terms (the frozen copy while a later
 * revision awaits approval), issuer and every payment; null for other offerings.
 */
export async function publicBondSheet(offering: Parameters<typeof approvedBondOf>[0] & { villageId: string }) {
  const db = getDb();
  const approved = approvedBondOf(offering);
  const [terms, [issuer]] = await Promise.all([
    approved === undefined ? getBondTerms(offering.id, db) : approved,
    db.select({ nameJa: villages.nameJa, nameEn: villages.nameEn }).from(villages).where(eq(villages.id, offering.villageId)),
  ]);
  if (!terms || !issuer) return null;
  return { terms, issuer, schedule: scheduleRows(terms) };
}

import "server-only";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { getDb, type Tx } from "@/db/client";
import { legalDocuments, offerings, users, villages, type Offering } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { bondTermsChanges, getBondTerms, saveBondTerms } from "@/lib/bonds/terms";
import { canActForIssuer, issuerIdsOf } from "@/lib/issuers/access";
import { residentTermsError, type ResidentTermsError } from "@/lib/residents/terms";
import { deployUnderway } from "./deployment";
import { approvedTermsOf } from "./public-view";
import type { SessionUser } from "@/lib/auth/roles";
import type { OfferingInput } from "./schemas";

/** Who acts: staff for their issuers, an admin for every issuer (lib/issuers/access.ts). */
export type StaffUser = Pick<SessionUser, "id" | "role">;

/**
 * The fields that make the terms staff approve (everything an investor reads or pays by; the URL
 * name is not a term). Changing any of them needs a new approval.
 */
const TERM_FIELDS = [
  "kind",
  "nameJa",
  "nameEn",
  "descriptionJa",
  "descriptionEn",
  "tokenSymbol",
  "priceYen",
  "capUnits",
  "minUnitsPerOrder",
  "maxUnitsPerOrder",
  "yearlyCapYenPerInvestor",
  "opensAt",
  "closesAt",
  "coolingOffDays",
  "residentUnits",
  "residentsUntil",
] as const satisfies readonly (keyof OfferingInput)[];

/** A bond's own terms come with the offering's (null or absent for other kinds: lib/bonds/schemas.ts). */
type TermsInput = Omit<OfferingInput, "bond"> & Partial<Pick<OfferingInput, "bond">>;

type StaffOfferingRow = Offering & { issuerNameJa: string; issuerNameEn: string };

/** The offerings of the issuers the user acts for (all of them for an admin). */
export async function listOfferingsForStaff(user: StaffUser): Promise<StaffOfferingRow[]> {
  const issuerIds = await issuerIdsOf(user);
  if (issuerIds.length === 0) return [];
  const rows = await getDb()
    .select({ offering: offerings, issuerNameJa: villages.nameJa, issuerNameEn: villages.nameEn })
    .from(offerings)
    .innerJoin(villages, eq(villages.id, offerings.villageId))
    .where(inArray(offerings.villageId, issuerIds))
    .orderBy(desc(offerings.createdAt));
  return rows.map((row) => ({ ...row.offering, issuerNameJa: row.issuerNameJa, issuerNameEn: row.issuerNameEn }));
}

/** The issuers a staff member may create offerings for (for the create form's choice). */
export async function issuersForStaff(user: StaffUser) {
  const ids = await issuerIdsOf(user);
  if (ids.length === 0) return [];
  return getDb().select({ id: villages.id, nameJa: villages.nameJa, nameEn: villages.nameEn }).from(villages).where(inArray(villages.id, ids)).orderBy(villages.nameJa);
}

/** One offering with its issuer, disclosures and who wrote and approved its terms; null for another issuer's. */
export async function getOfferingForStaff(user: StaffUser, id: string) {
  const db = getDb();
  const [found] = await db
    .select({ offering: offerings, issuer: { id: villages.id, nameJa: villages.nameJa, nameEn: villages.nameEn } })
    .from(offerings)
    .innerJoin(villages, eq(villages.id, offerings.villageId))
    .where(eq(offerings.id, id));
  if (!found || !(await canActForIssuer(user, found.offering.villageId))) return null;
  const people = [found.offering.termsAuthorId, found.offering.approvedBy].filter((value): value is string => value !== null);
  const [disclosures, named] = await Promise.all([
    db
      .select()
      .from(legalDocuments)
      .where(and(eq(legalDocuments.kind, "pre_contract"), eq(legalDocuments.offeringId, id)))
      .orderBy(desc(legalDocuments.publishedAt)),
    people.length ? db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(inArray(users.id, people)) : Promise.resolve([]),
  ]);
  const nameOf = (userId: string | null) => {
    const person = named.find((row) => row.id === userId);
    return person ? (person.name ?? person.email) : null;
  };
  return { ...found, disclosures, authorName: nameOf(found.offering.termsAuthorId), approverName: nameOf(found.offering.approvedBy) };
}

/** A new offering starts as a draft whose first revision of terms is the creator's. */
export async function createOffering(user: StaffUser, input: TermsInput & { issuerId: string }): Promise<{ ok: true; id: string } | { ok: false; error: "slugTaken" | "issuer" | ResidentTermsError }> {
  const { issuerId, bond, ...terms } = input;
  return getDb().transaction(async (tx) => {
    if (!(await canActForIssuer(user, issuerId, tx))) return { ok: false as const, error: "issuer" as const };
    const residentError = await residentTermsError(tx, issuerId, terms);
    if (residentError) return { ok: false as const, error: residentError };
    const [row] = await tx
      .insert(offerings)
      .values({ ...terms, villageId: issuerId, status: "draft", termsAuthorId: user.id, termsRevision: 1 })
      .onConflictDoNothing({ target: offerings.slug })
      .returning();
    if (!row) return { ok: false as const, error: "slugTaken" as const };
    if (bond) await saveBondTerms(tx, user.id, row.id, bond, row.priceYen);
    await recordAudit(tx, { actorId: user.id, action: "offering.created", targetType: "offering", targetId: row.id, detail: { slug: row.slug, issuerId, revision: 1 } });
    return { ok: true as const, id: row.id };
  });
}

const same = (a: unknown, b: unknown) => (a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : String(a) === String(b));

type UpdateError = "notFound" | "closed" | "capBelowTaken" | "slugTaken" | "symbolFixed" | "priceFixed" | "bondFixed" | "residentAboveCap" | ResidentTermsError;
type UpdateResult = { ok: true; approvalWithdrawn: boolean; paused: boolean } | { ok: false; error: UpdateError };

/**
 * Edits an offering. Every change of terms is a new revision written by the editor, so the
 * approval (of one revision) no longer covers it. An open sale whose approved terms change is
 * paused: buyers must not reserve on terms nobody approved. It stays paused after the new
 * approval until staff open it again, a decision of its own (when to resume, with what notice).
 * The cap can never go below what is reserved or sold (checked under the row lock).
 */
export async function updateOffering(user: StaffUser, id: string, { bond = null, ...input }: TermsInput): Promise<UpdateResult> {
  return getDb().transaction(async (tx): Promise<UpdateResult> => {
    const [before] = await tx.select().from(offerings).where(eq(offerings.id, id)).for("update");
    if (!before || !(await canActForIssuer(user, before.villageId, tx))) return { ok: false, error: "notFound" };
    if (before.status === "closed") return { ok: false, error: "closed" };
    if (input.capUnits < before.reservedUnits + before.soldUnits) return { ok: false, error: "capBelowTaken" };
    // Residents' terms left out of the input stay as they are, and must still fit the new cap.
    const resident = { residentUnits: input.residentUnits ?? before.residentUnits, residentsUntil: input.residentsUntil === undefined ? before.residentsUntil : input.residentsUntil };
    if (resident.residentUnits > input.capUnits) return { ok: false, error: "residentAboveCap" };
    const residentError = await residentTermsError(tx, before.villageId, resident, before.residentTakenUnits);
    if (residentError) return { ok: false, error: residentError };
    const [clash] = await tx
      .select({ id: offerings.id })
      .from(offerings)
      .where(and(eq(offerings.slug, input.slug), sql`${offerings.id} <> ${id}`));
    if (clash) return { ok: false, error: "slugTaken" };
    const bondChanges = await bondTermsChanges(tx, id, bond);
    const changed = { ...Object.fromEntries(Object.entries(input).filter(([key, value]) => !same(before[key as keyof Offering], value))), ...bondChanges };
    if (Object.keys(changed).length === 0) return { ok: true, approvalWithdrawn: false, paused: false };
    const bondChanged = Object.keys(bondChanges).length > 0;
    const termsChanged = bondChanged || TERM_FIELDS.some((field) => field in changed);
    if (!termsChanged) {
      await tx.update(offerings).set(input).where(eq(offerings.id, id));
      await recordAudit(tx, { actorId: user.id, action: "offering.updated", targetType: "offering", targetId: id, detail: changed });
      return { ok: true, approvalWithdrawn: false, paused: false };
    }
    // The contract carries the symbol; the price of units already taken cannot change under them.
    if ("tokenSymbol" in changed && (before.tokenAddress || (await deployUnderway(tx, id)))) return { ok: false, error: "symbolFixed" };
    if ("priceYen" in changed && before.reservedUnits + before.soldUnits > 0) return { ok: false, error: "priceFixed" };
    // Units already taken were bought on these coupon and dates.
    if (bondChanged && before.reservedUnits + before.soldUnits > 0) return { ok: false, error: "bondFixed" };
    const revised = await reviseTerms(tx, user.id, before, input);
    // The bond's issue price follows the price per unit.
    if (bondChanged || "priceYen" in changed) await saveBondTerms(tx, user.id, id, bond, input.priceYen);
    await recordAudit(tx, { actorId: user.id, action: "offering.updated", targetType: "offering", targetId: id, detail: { ...changed, revision: revised.revision } });
    await recordRevision(tx, user.id, before, revised, "terms_changed");
    return { ok: true, approvalWithdrawn: revised.approvalWithdrawn, paused: revised.paused };
  });
}

type Revised = { revision: number; approvalWithdrawn: boolean; paused: boolean };

/**
 * Writes a new revision of the terms by `actorId`: the approval (of one revision) no longer covers
 * it, and an open sale pauses, since buyers must not reserve on terms nobody approved.
 */
async function reviseTerms(tx: Tx, actorId: string, before: Offering, set: Partial<Offering>): Promise<Revised> {
  const approvalWithdrawn = before.approvedRevision === before.termsRevision;
  const paused = approvalWithdrawn && before.status === "open";
  const revision = before.termsRevision + 1;
  // Approved before approval froze a copy (demo data): freeze it now from the still-approved columns.
  const frozen = approvalWithdrawn && !before.approvedTerms ? { approvedTerms: approvedTermsOf(before, await getBondTerms(before.id, tx)) } : {};
  await tx
    .update(offerings)
    .set({ ...set, ...frozen, termsRevision: revision, termsAuthorId: actorId, ...(paused ? { status: "paused" as const } : {}) })
    .where(eq(offerings.id, before.id));
  return { revision, approvalWithdrawn, paused };
}

async function recordRevision(tx: Tx, actorId: string, before: Offering, { revision, approvalWithdrawn, paused }: Revised, reason: "terms_changed" | "disclosure_published") {
  if (approvalWithdrawn) {
    await recordAudit(tx, { actorId, action: "offering.approval_withdrawn", targetType: "offering", targetId: before.id, detail: { approvedRevision: before.approvedRevision, revision, reason } });
  }
  if (paused) await recordAudit(tx, { actorId, action: "offering.paused", targetType: "offering", targetId: before.id, detail: { reason, revision } });
}

type DisclosureResult = ({ ok: true } & Omit<Revised, "revision">) | { ok: false; error: "notFound" | "closed" };

/**
 * A new version of the offering's pre-contract disclosure is a change of terms, as an edit is: a
 * new revision by the publisher, the approval withdrawn and an open sale paused, so buyers only
 * ever confirm a disclosure that a second staff member approved. (A bond's disclosure generated on
 * approval, lib/bonds/terms.ts publishBondDisclosure, is of the approved revision and does not come here.)
 */
export async function publishDisclosure(user: StaffUser, input: { offeringId: string; version: string; titleJa: string; titleEn: string; bodyJa: string; bodyEn: string }): Promise<DisclosureResult> {
  return getDb().transaction(async (tx): Promise<DisclosureResult> => {
    const [before] = await tx.select().from(offerings).where(eq(offerings.id, input.offeringId)).for("update");
    if (!before || !(await canActForIssuer(user, before.villageId, tx))) return { ok: false, error: "notFound" };
    if (before.status === "closed") return { ok: false, error: "closed" };
    const [doc] = await tx
      .insert(legalDocuments)
      .values({ kind: "pre_contract", ...input })
      .returning();
    const revised = await reviseTerms(tx, user.id, before, {});
    await recordAudit(tx, {
      actorId: user.id,
      action: "offering.disclosure_published",
      targetType: "offering",
      targetId: input.offeringId,
      detail: { documentId: doc!.id, version: input.version, revision: revised.revision },
    });
    await recordRevision(tx, user.id, before, revised, "disclosure_published");
    return { ok: true, approvalWithdrawn: revised.approvalWithdrawn, paused: revised.paused };
  });
}

import "server-only";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { legalDocuments, offerings, users, villages, type Offering } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { canActForIssuer, issuerIdsOf } from "@/lib/issuers/access";
import { deployUnderway } from "./deployment";
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
] as const satisfies readonly (keyof OfferingInput)[];

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
export async function createOffering(user: StaffUser, input: OfferingInput & { issuerId: string }): Promise<{ ok: true; id: string } | { ok: false; error: "slugTaken" | "issuer" }> {
  const { issuerId, ...terms } = input;
  return getDb().transaction(async (tx) => {
    if (!(await canActForIssuer(user, issuerId, tx))) return { ok: false as const, error: "issuer" as const };
    const [row] = await tx
      .insert(offerings)
      .values({ ...terms, villageId: issuerId, status: "draft", termsAuthorId: user.id, termsRevision: 1 })
      .onConflictDoNothing({ target: offerings.slug })
      .returning();
    if (!row) return { ok: false as const, error: "slugTaken" as const };
    await recordAudit(tx, { actorId: user.id, action: "offering.created", targetType: "offering", targetId: row.id, detail: { slug: row.slug, issuerId, revision: 1 } });
    return { ok: true as const, id: row.id };
  });
}

const same = (a: unknown, b: unknown) => (a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : String(a) === String(b));

type UpdateError = "notFound" | "closed" | "capBelowTaken" | "slugTaken" | "symbolFixed" | "priceFixed";
type UpdateResult = { ok: true; approvalWithdrawn: boolean; paused: boolean } | { ok: false; error: UpdateError };

/**
 * Edits an offering. Every change of terms is a new revision written by the editor, so the
 * approval (of one revision) no longer covers it. An open sale whose approved terms change is
 * paused: buyers must not reserve on terms nobody approved. It stays paused after the new
 * approval until staff open it again, a decision of its own (when to resume, with what notice).
 * The cap can never go below what is reserved or sold (checked under the row lock).
 */
export async function updateOffering(user: StaffUser, id: string, input: OfferingInput): Promise<UpdateResult> {
  return getDb().transaction(async (tx): Promise<UpdateResult> => {
    const [before] = await tx.select().from(offerings).where(eq(offerings.id, id)).for("update");
    if (!before || !(await canActForIssuer(user, before.villageId, tx))) return { ok: false, error: "notFound" };
    if (before.status === "closed") return { ok: false, error: "closed" };
    if (input.capUnits < before.reservedUnits + before.soldUnits) return { ok: false, error: "capBelowTaken" };
    const [clash] = await tx
      .select({ id: offerings.id })
      .from(offerings)
      .where(and(eq(offerings.slug, input.slug), sql`${offerings.id} <> ${id}`));
    if (clash) return { ok: false, error: "slugTaken" };
    const changed = Object.fromEntries(Object.entries(input).filter(([key, value]) => !same(before[key as keyof Offering], value)));
    if (Object.keys(changed).length === 0) return { ok: true, approvalWithdrawn: false, paused: false };
    const termsChanged = TERM_FIELDS.some((field) => field in changed);
    if (!termsChanged) {
      await tx.update(offerings).set(input).where(eq(offerings.id, id));
      await recordAudit(tx, { actorId: user.id, action: "offering.updated", targetType: "offering", targetId: id, detail: changed });
      return { ok: true, approvalWithdrawn: false, paused: false };
    }
    // The contract carries the symbol; the price of units already taken cannot change under them.
    if ("tokenSymbol" in changed && (before.tokenAddress || (await deployUnderway(tx, id)))) return { ok: false, error: "symbolFixed" };
    if ("priceYen" in changed && before.reservedUnits + before.soldUnits > 0) return { ok: false, error: "priceFixed" };
    const approvalWithdrawn = before.approvedRevision === before.termsRevision;
    const paused = approvalWithdrawn && before.status === "open";
    const revision = before.termsRevision + 1;
    await tx
      .update(offerings)
      .set({ ...input, termsRevision: revision, termsAuthorId: user.id, ...(paused ? { status: "paused" as const } : {}) })
      .where(eq(offerings.id, id));
    await recordAudit(tx, { actorId: user.id, action: "offering.updated", targetType: "offering", targetId: id, detail: { ...changed, revision } });
    if (approvalWithdrawn) {
      await recordAudit(tx, { actorId: user.id, action: "offering.approval_withdrawn", targetType: "offering", targetId: id, detail: { approvedRevision: before.approvedRevision, revision } });
    }
    if (paused) await recordAudit(tx, { actorId: user.id, action: "offering.paused", targetType: "offering", targetId: id, detail: { reason: "terms_changed", revision } });
    return { ok: true, approvalWithdrawn, paused };
  });
}

/** A new version of the offering's pre-contract disclosure; buyers must confirm it from then on. */
export async function publishDisclosure(
  user: StaffUser,
  input: { offeringId: string; version: string; titleJa: string; titleEn: string; bodyJa: string; bodyEn: string },
): Promise<{ ok: true } | { ok: false; error: "notFound" }> {
  return getDb().transaction(async (tx) => {
    const [offering] = await tx.select({ villageId: offerings.villageId }).from(offerings).where(eq(offerings.id, input.offeringId));
    if (!offering || !(await canActForIssuer(user, offering.villageId, tx))) return { ok: false as const, error: "notFound" as const };
    const [doc] = await tx
      .insert(legalDocuments)
      .values({ kind: "pre_contract", ...input })
      .returning();
    await recordAudit(tx, { actorId: user.id, action: "offering.disclosure_published", targetType: "offering", targetId: input.offeringId, detail: { documentId: doc!.id, version: input.version } });
    return { ok: true as const };
  });
}

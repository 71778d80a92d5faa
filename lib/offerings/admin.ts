import "server-only";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { legalDocuments, offerings, villages, type Offering } from "@/db/schema";
import { recordAudit, type AuditAction } from "@/lib/audit";
import type { OfferingInput } from "./schemas";

type Status = Offering["status"];

/** Which status changes staff may make: a closed offering stays closed. */
const ALLOWED: Record<Status, Status[]> = { draft: ["open", "closed"], open: ["paused", "closed"], paused: ["open", "closed"], closed: [] };

export async function listOfferingsForStaff() {
  return getDb().select().from(offerings).orderBy(desc(offerings.createdAt));
}

export async function getOfferingForStaff(id: string) {
  const [row] = await getDb().select().from(offerings).where(eq(offerings.id, id));
  if (!row) return null;
  const disclosures = await getDb()
    .select()
    .from(legalDocuments)
    .where(and(eq(legalDocuments.kind, "pre_contract"), eq(legalDocuments.offeringId, id)))
    .orderBy(desc(legalDocuments.publishedAt));
  return { offering: row, disclosures };
}

export async function createOffering(input: OfferingInput, staffId: string): Promise<{ ok: true; id: string } | { ok: false; error: "slugTaken" }> {
  const db = getDb();
  const [village] = await db.select({ id: villages.id }).from(villages).limit(1);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(offerings)
      .values({ ...input, villageId: village!.id, status: "draft" })
      .onConflictDoNothing({ target: offerings.slug })
      .returning();
    if (!row) return { ok: false as const, error: "slugTaken" as const };
    await recordAudit(tx, { actorId: staffId, action: "offering.created", targetType: "offering", targetId: row.id, detail: { slug: row.slug } });
    return { ok: true as const, id: row.id };
  });
}

/**
 * Edits terms; the cap can never go below what is already reserved or sold (the UPDATE checks it,
 * so a sale in between cannot slip past).
 */
export async function updateOffering(id: string, input: OfferingInput, staffId: string): Promise<{ ok: true } | { ok: false; error: "notFound" | "capBelowTaken" | "slugTaken" }> {
  const db = getDb();
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(offerings).where(eq(offerings.id, id)).for("update");
    if (!before) return { ok: false as const, error: "notFound" as const };
    if (input.capUnits < before.reservedUnits + before.soldUnits) return { ok: false as const, error: "capBelowTaken" as const };
    const [clash] = await tx
      .select({ id: offerings.id })
      .from(offerings)
      .where(and(eq(offerings.slug, input.slug), sql`${offerings.id} <> ${id}`));
    if (clash) return { ok: false as const, error: "slugTaken" as const };
    await tx.update(offerings).set(input).where(eq(offerings.id, id));
    const changed = Object.fromEntries(Object.entries(input).filter(([key, value]) => String(before[key as keyof typeof before]) !== String(value)));
    await recordAudit(tx, { actorId: staffId, action: "offering.updated", targetType: "offering", targetId: id, detail: changed });
    return { ok: true as const };
  });
}

const STATUS_ACTION = { open: "offering.open", paused: "offering.paused", closed: "offering.closed" } as const satisfies Record<Exclude<Status, "draft">, AuditAction>;

export async function setOfferingStatus(id: string, status: "open" | "paused" | "closed", staffId: string): Promise<{ ok: true } | { ok: false; error: "notAllowed" }> {
  const db = getDb();
  return db.transaction(async (tx) => {
    const from = (Object.keys(ALLOWED) as Status[]).filter((key) => ALLOWED[key].includes(status));
    const [row] = await tx
      .update(offerings)
      .set({ status })
      .where(and(eq(offerings.id, id), inArray(offerings.status, from)))
      .returning();
    if (!row) return { ok: false as const, error: "notAllowed" as const };
    await recordAudit(tx, { actorId: staffId, action: STATUS_ACTION[status], targetType: "offering", targetId: id });
    return { ok: true as const };
  });
}

/** A new version of the offering's pre-contract disclosure; buyers must confirm it from then on. */
export async function publishDisclosure(input: { offeringId: string; version: string; titleJa: string; titleEn: string; bodyJa: string; bodyEn: string }, staffId: string) {
  const db = getDb();
  return db.transaction(async (tx) => {
    const [doc] = await tx
      .insert(legalDocuments)
      .values({ kind: "pre_contract", ...input })
      .returning();
    await recordAudit(tx, { actorId: staffId, action: "offering.disclosure_published", targetType: "offering", targetId: input.offeringId, detail: { documentId: doc!.id, version: input.version } });
    return doc!;
  });
}

export function allowedTransitions(status: Status): Status[] {
  return ALLOWED[status];
}

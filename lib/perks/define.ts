import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/db/client";
import { offerings, perkClaims, perks, type Perk } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { recordCutoff } from "@/lib/bonds/snapshot";
import { enqueue } from "@/lib/jobs/enqueue";
import { JOBS } from "@/lib/jobs/names";
import { isUuid } from "./queries";
import type { PerkValues } from "./schemas";

/**
 * Staff define perks. Authorisation is the caller's (offeringForStaff); every function here also
 * takes the offering the caller was authorised for and finds nothing outside it, so a perk id of
 * another issuer answers "not_found" and changes nothing.
 */

export type CreatePerkOutcome = { id: string } | { refused: "not_found" | "not_village_token" };
export type UpdatePerkOutcome = "ok" | "not_found" | "stock_below_claimed" | "terms_locked";

/** A holding perk whose record date has ended needs its holders' snapshot now (the sweep would take it within the hour). */
async function askForSnapshot(tx: DbOrTx, perk: Pick<Perk, "kind" | "offeringId" | "recordDate">, now: Date): Promise<void> {
  if (perk.kind !== "holding" || !perk.recordDate) return;
  if (recordCutoff(perk.recordDate).getTime() <= now.getTime()) await enqueue(tx, JOBS.holdersSnapshot, { offeringId: perk.offeringId, recordDate: perk.recordDate });
}

function columns(values: PerkValues) {
  return {
    kind: values.kind,
    titleJa: values.titleJa,
    titleEn: values.titleEn,
    descriptionJa: values.descriptionJa,
    descriptionEn: values.descriptionEn,
    minUnits: values.kind === "holding" ? values.minUnits : null,
    recordDate: values.kind === "holding" ? values.recordDate : null,
    costUnits: values.kind === "redeeming" ? values.costUnits : null,
    stock: values.stock,
    claimOpensAt: values.claimOpensAt,
    claimClosesAt: values.claimClosesAt,
    needsAddress: values.needsAddress,
  };
}

/** Creates an open perk of a village token offering; audited perk.created. A bond offering is refused. */
export async function createPerk(input: { offeringId: string; values: PerkValues; photoImageId: string | null; actorId: string; now?: Date }, db: DbOrTx = getDb()): Promise<CreatePerkOutcome> {
  if (!isUuid(input.offeringId)) return { refused: "not_found" };
  const [offering] = await db.select({ kind: offerings.kind }).from(offerings).where(eq(offerings.id, input.offeringId));
  if (!offering) return { refused: "not_found" };
  if (offering.kind !== "village_token") return { refused: "not_village_token" };
  return db.transaction(async (tx) => {
    const [perk] = await tx
      .insert(perks)
      .values({ ...columns(input.values), offeringId: input.offeringId, photoImageId: input.photoImageId, createdBy: input.actorId })
      .returning();
    await recordAudit(tx, {
      actorId: input.actorId,
      action: "perk.created",
      targetType: "perk",
      targetId: perk!.id,
      detail: { offeringId: input.offeringId, kind: perk!.kind, titleJa: perk!.titleJa, stock: perk!.stock, minUnits: perk!.minUnits, recordDate: perk!.recordDate, costUnits: perk!.costUnits },
    });
    await askForSnapshot(tx, perk!, input.now ?? new Date());
    return { id: perk!.id };
  });
}

/**
 * Changes a perk of the offering. The stock cannot go below what is claimed; once claimed, the
 * terms a claim was decided on (kind, record date, minimum, cost) stay as they are, and a perk that
 * took claims without an address cannot start asking for one. Audited perk.updated.
 */
export async function updatePerk(input: { perkId: string; offeringId: string; values: PerkValues; photoImageId?: string | null; actorId: string; now?: Date }): Promise<UpdatePerkOutcome> {
  if (!isUuid(input.perkId) || !isUuid(input.offeringId)) return "not_found";
  return getDb().transaction(async (tx) => {
    // The row lock keeps claims (which raise `claimed`) out until the change is in.
    const [perk] = await tx
      .select()
      .from(perks)
      .where(and(eq(perks.id, input.perkId), eq(perks.offeringId, input.offeringId)))
      .for("update");
    if (!perk) return "not_found";
    const next = columns(input.values);
    // Asking for an address only now would leave the claims made without one unshippable.
    const termsChanged =
      next.kind !== perk.kind || next.recordDate !== perk.recordDate || next.minUnits !== perk.minUnits || next.costUnits !== perk.costUnits || (next.needsAddress && !perk.needsAddress);
    if (termsChanged) {
      const [claim] = await tx.select({ id: perkClaims.id }).from(perkClaims).where(eq(perkClaims.perkId, perk.id)).limit(1);
      if (claim) return "terms_locked";
    }
    if (next.stock < perk.claimed) return "stock_below_claimed";
    const changed = Object.entries(next)
      .filter(([key, value]) => {
        const before = perk[key as keyof typeof next];
        return before instanceof Date && value instanceof Date ? before.getTime() !== value.getTime() : before !== value;
      })
      .map(([key]) => key);
    const photoChanged = input.photoImageId !== undefined && input.photoImageId !== perk.photoImageId;
    await tx
      .update(perks)
      .set({ ...next, ...(input.photoImageId !== undefined ? { photoImageId: input.photoImageId } : {}), updatedAt: sql`now()` })
      .where(eq(perks.id, perk.id));
    await recordAudit(tx, {
      actorId: input.actorId,
      action: "perk.updated",
      targetType: "perk",
      targetId: perk.id,
      detail: { offeringId: perk.offeringId, changed: photoChanged ? [...changed, "photoImageId"] : changed, stock: next.stock },
    });
    if (next.recordDate !== perk.recordDate) await askForSnapshot(tx, { ...next, offeringId: perk.offeringId }, input.now ?? new Date());
    return "ok";
  });
}

/** Closes the perk to new claims; claims made stay and are shipped or cancelled. Audited perk.withdrawn (once). */
export async function withdrawPerk(input: { perkId: string; offeringId: string; actorId: string }): Promise<"ok" | "not_found"> {
  if (!isUuid(input.perkId) || !isUuid(input.offeringId)) return "not_found";
  return getDb().transaction(async (tx) => {
    const [perk] = await tx
      .select()
      .from(perks)
      .where(and(eq(perks.id, input.perkId), eq(perks.offeringId, input.offeringId)))
      .for("update");
    if (!perk) return "not_found";
    if (perk.status === "withdrawn") return "ok";
    await tx.update(perks).set({ status: "withdrawn", updatedAt: sql`now()` }).where(eq(perks.id, perk.id));
    await recordAudit(tx, { actorId: input.actorId, action: "perk.withdrawn", targetType: "perk", targetId: perk.id, detail: { offeringId: perk.offeringId, claimed: perk.claimed } });
    return "ok";
  });
}

import "server-only";
import { and, eq } from "drizzle-orm";
import { getDb, type Tx } from "@/db/client";
import { perkClaims, perks, type Offering, type Perk } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import type { SessionUser } from "@/lib/auth/roles";
import { offeringForStaff } from "@/lib/issuers/access";
import { checkImageFile, type ImageError } from "@/lib/uploads/image-check";
import { withStoredFiles } from "@/lib/uploads/images";
import { perkById } from "./queries";

/** What the staff perk pages and actions need beyond the agreed perk API (lib/perks/queries.ts). */

export type StaffPerk = NonNullable<Awaited<ReturnType<typeof perkById>>>;

/**
 * A village token offering of the user's issuers, or null: another issuer's offering and one
 * that is not a village token are both simply not found.
 */
export async function perkOfferingForStaff(user: Pick<SessionUser, "id" | "role">, offeringId: string): Promise<Offering | null> {
  const offering = await offeringForStaff(user, offeringId);
  return offering?.kind === "village_token" ? offering : null;
}

/** The perk, only when it belongs to this offering (an id of another offering is not found). */
export async function perkOfOffering(offeringId: string, perkId: string): Promise<StaffPerk | null> {
  const perk = await perkById(perkId);
  return perk?.offeringId === offeringId ? perk : null;
}

/** The claim's perk id, only when the claim is of a perk of this offering. */
export async function claimOfOffering(offeringId: string, claimId: string): Promise<{ claimId: string; perkId: string } | null> {
  const [row] = await getDb()
    .select({ claimId: perkClaims.id, perkId: perkClaims.perkId })
    .from(perkClaims)
    .innerJoin(perks, eq(perks.id, perkClaims.perkId))
    .where(and(eq(perkClaims.id, claimId), eq(perks.offeringId, offeringId)));
  return row ?? null;
}

/** A perk as the strings its edit form starts from (times as Tokyo `datetime-local`). */
export function perkFormValues(perk: Perk): Record<string, string> {
  const local = (date: Date) => new Date(date.getTime() + 9 * 3600_000).toISOString().slice(0, 16);
  return {
    kind: perk.kind,
    titleJa: perk.titleJa,
    titleEn: perk.titleEn,
    descriptionJa: perk.descriptionJa,
    descriptionEn: perk.descriptionEn,
    minUnits: perk.minUnits === null ? "" : String(perk.minUnits),
    recordDate: perk.recordDate ?? "",
    costUnits: perk.costUnits === null ? "" : String(perk.costUnits),
    stock: String(perk.stock),
    claimOpensAt: local(perk.claimOpensAt),
    claimClosesAt: local(perk.claimClosesAt),
    needsAddress: perk.needsAddress ? "true" : "",
  };
}

type PhotoResult<T> = { ok: true; value: T } | { ok: false; imageError: ImageError };

/**
 * Checks the uploaded photo by content and, if there is one, stores it (purpose "perk") in the
 * same transaction as `work`, which gets its image id; a failed transaction removes the file.
 */
export async function withPerkPhoto<T>(photo: File | undefined, actorId: string, uploadDir: string, work: (photoImageId: string | null, tx: Tx) => Promise<T>): Promise<PhotoResult<T>> {
  const checked = photo ? await checkImageFile(photo) : null;
  if (checked && !checked.ok) return { ok: false, imageError: checked.error };
  const value = await withStoredFiles(uploadDir, (files) =>
    getDb().transaction(async (tx) => {
      const image = checked?.ok ? await files.save(tx, checked.image, "perk", actorId) : null;
      return work(image?.id ?? null, tx);
    }),
  );
  return { ok: true, value };
}

/** Records that staff downloaded a perk's packing list (it holds holders' addresses). */
export async function auditPackingList(input: { perkId: string; offeringId: string; actorId: string; rows: number; locale: string }): Promise<void> {
  await recordAudit(getDb(), {
    actorId: input.actorId,
    action: "perk.packing_list_downloaded",
    targetType: "perk",
    targetId: input.perkId,
    detail: { offeringId: input.offeringId, rows: input.rows, locale: input.locale },
  });
}

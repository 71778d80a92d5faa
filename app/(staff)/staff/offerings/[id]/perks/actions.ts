"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { roleAction, type ActionState } from "@/lib/actions";
import { env } from "@/lib/env";
import type { Translate } from "@/lib/i18n/catalog";
import { msg } from "@/lib/i18n/keys";
import { cancelClaim, shipClaim } from "@/lib/perks/claims";
import { createPerk, updatePerk, withdrawPerk } from "@/lib/perks/define";
import { cancelClaimSchema, perkSchema, shipSchema } from "@/lib/perks/schemas";
import { claimOfOffering, perkOfferingForStaff, perkOfOffering, withPerkPhoto } from "@/lib/perks/ui-queries";
import { optionalFile } from "@/lib/projects/schemas";
import type { ImageError } from "@/lib/uploads/image-check";

// Staff of the offering's issuer only: every id named (perk, claim) must belong to that offering,
// so another issuer's ids answer "not found" and change nothing.

const id = z.uuid({ error: msg("errors.invalid") });
const ids = z.object({ offeringId: id });

const createSchema = z.intersection(z.object({ offeringId: id, photo: optionalFile }), perkSchema);
const updateSchema = z.intersection(z.object({ offeringId: id, perkId: id, photo: optionalFile }), perkSchema);
const withdrawSchema = z.object({ offeringId: id, perkId: id });
const shipActionSchema = z.intersection(ids, shipSchema);
const cancelActionSchema = z.intersection(ids, cancelClaimSchema);

const perkNotFound = (t: Translate): ActionState => ({ status: "error", message: t("perksStaff.errors.notFound") });
const claimNotFound = (t: Translate): ActionState => ({ status: "error", message: t("perksStaff.errors.claimNotFound") });
const photoRefused = (t: Translate, error: ImageError): ActionState => {
  const message = t(`projectsAdmin.errors.image.${error}`);
  return { status: "invalid", message: t("errors.invalid"), fieldErrors: { photo: message } };
};

function refresh(offeringId: string) {
  revalidatePath(`/staff/offerings/${offeringId}/perks`, "layout");
  revalidatePath("/perks", "layout");
}

/** A new perk of the offering, with its photo stored in the same transaction; then its page. */
export const createPerkAction = roleAction("staff", createSchema, async ({ offeringId, photo, ...values }, { user, t }) => {
  const offering = await perkOfferingForStaff(user, offeringId);
  if (!offering) return perkNotFound(t);
  const result = await withPerkPhoto(photo, user.id, env().uploadDir, (photoImageId, tx) => createPerk({ offeringId: offering.id, values, photoImageId, actorId: user.id }, tx));
  if (!result.ok) return photoRefused(t, result.imageError);
  if ("refused" in result.value) return perkNotFound(t);
  refresh(offering.id);
  redirect(`/staff/offerings/${offering.id}/perks/${result.value.id}`);
});

export const updatePerkAction = roleAction("staff", updateSchema, async ({ offeringId, perkId, photo, ...values }, { user, t }) => {
  const offering = await perkOfferingForStaff(user, offeringId);
  const perk = offering ? await perkOfOffering(offering.id, perkId) : null;
  if (!offering || !perk) return perkNotFound(t);
  const stockRefused = (claimed: number): ActionState => {
    const message = t("perksStaff.errors.stockBelowClaimed", { claimed });
    return { status: "invalid", message, fieldErrors: { stock: message } };
  };
  if (values.stock < perk.claimed) return stockRefused(perk.claimed);
  // updatePerk runs in its own transaction, so a new photo is stored (and committed) first.
  const stored = await withPerkPhoto(photo, user.id, env().uploadDir, async (photoImageId) => photoImageId);
  if (!stored.ok) return photoRefused(t, stored.imageError);
  const outcome = await updatePerk({ perkId: perk.id, offeringId: offering.id, values, ...(stored.value ? { photoImageId: stored.value } : {}), actorId: user.id });
  if (outcome === "not_found") return perkNotFound(t);
  if (outcome === "terms_locked") return { status: "error", message: t("perksStaff.errors.termsLocked") };
  if (outcome === "stock_below_claimed") return stockRefused((await perkOfOffering(offering.id, perk.id))?.claimed ?? perk.claimed);
  refresh(offering.id);
  return { status: "ok", message: t("perksStaff.saved") };
});

export const withdrawPerkAction = roleAction("staff", withdrawSchema, async ({ offeringId, perkId }, { user, t }) => {
  const offering = await perkOfferingForStaff(user, offeringId);
  const perk = offering ? await perkOfOffering(offering.id, perkId) : null;
  if (!offering || !perk) return perkNotFound(t);
  if ((await withdrawPerk({ perkId: perk.id, offeringId: offering.id, actorId: user.id })) !== "ok") return perkNotFound(t);
  refresh(offering.id);
  return { status: "ok", message: t("perksStaff.withdrawn") };
});

/** Marks a claim of one of the offering's perks shipped with its tracking number; the holder is told. */
export const shipClaimAction = roleAction("staff", shipActionSchema, async ({ offeringId, claimId, trackingNumber }, { user, t }) => {
  const offering = await perkOfferingForStaff(user, offeringId);
  const claim = offering ? await claimOfOffering(offering.id, claimId) : null;
  if (!offering || !claim) return claimNotFound(t);
  const outcome = await shipClaim({ claimId: claim.claimId, offeringId: offering.id, trackingNumber, actorId: user.id });
  if (outcome === "not_found") return claimNotFound(t);
  if (outcome === "not_burned") return { status: "error", message: t("perksStaff.claims.waitingBurn") };
  if (outcome === "not_allowed") return { status: "error", message: t("perksStaff.errors.notAllowed") };
  refresh(offering.id);
  return { status: "ok", message: t("perksStaff.claims.shipped") };
});

/** Cancels a claim not yet shipped, with the reason the holder is told; burned tokens come back. */
export const cancelClaimAction = roleAction("staff", cancelActionSchema, async ({ offeringId, claimId, reason }, { user, t }) => {
  const offering = await perkOfferingForStaff(user, offeringId);
  const claim = offering ? await claimOfOffering(offering.id, claimId) : null;
  if (!offering || !claim) return claimNotFound(t);
  const outcome = await cancelClaim({ claimId: claim.claimId, offeringId: offering.id, reason, actorId: user.id });
  if (outcome === "not_found") return claimNotFound(t);
  if (outcome !== "ok") return { status: "error", message: t("perksStaff.errors.notAllowed") };
  refresh(offering.id);
  return { status: "ok", message: t("perksStaff.claims.cancelled") };
});

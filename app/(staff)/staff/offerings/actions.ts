"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { roleAction, type ActionState } from "@/lib/actions";
import { msg } from "@/lib/i18n/keys";
import { offeringForStaff } from "@/lib/issuers/access";
import { createOffering, publishDisclosure, updateOffering } from "@/lib/offerings/admin";
import { closeOffering } from "@/lib/offerings/closing";
import { approveTerms, requeueDeployment, setOfferingStatus } from "@/lib/offerings/launch";
import { approveTermsSchema, createOfferingSchema, disclosureSchema, offeringIdSchema, offeringSchema, offeringStatusSchema } from "@/lib/offerings/schemas";

// Every action acts only for the issuers the staff member belongs to (lib/offerings checks it in
// its transaction): another issuer's offering is "not found" and nothing changes.

const refresh = () => revalidatePath("/staff/offerings", "layout");

export const createOfferingAction = roleAction("staff", createOfferingSchema, async (input, { user, t }): Promise<ActionState> => {
  const result = await createOffering(user, input);
  if (!result.ok) {
    if (result.error === "issuer") return { status: "invalid", fieldErrors: { issuerId: t("launch.errors.issuer") } };
    if (result.error === "noMunicipality") return { status: "invalid", fieldErrors: { residentUnits: t("residents.formErrors.noMunicipality") } };
    return { status: "invalid", fieldErrors: { slug: t("offeringAdmin.errors.slugTaken") } };
  }
  redirect(`/staff/offerings/${result.id}`);
});

export const updateOfferingAction = roleAction(
  "staff",
  offeringSchema.and(z.object({ offeringId: z.uuid({ error: msg("errors.invalid") }) })),
  async ({ offeringId, ...input }, { user, t }): Promise<ActionState> => {
    const result = await updateOffering(user, offeringId, input);
    if (!result.ok) {
      switch (result.error) {
        case "capBelowTaken":
          return { status: "invalid", fieldErrors: { capUnits: t("offeringAdmin.errors.capBelowTaken") } };
        case "slugTaken":
          return { status: "invalid", fieldErrors: { slug: t("offeringAdmin.errors.slugTaken") } };
        case "symbolFixed":
          return { status: "invalid", fieldErrors: { tokenSymbol: t("launch.errors.symbolFixed") } };
        case "priceFixed":
          return { status: "invalid", fieldErrors: { priceYen: t("launch.errors.priceFixed") } };
        case "bondFixed":
          return { status: "error", message: t("bonds.errors.bondFixed") };
        case "noMunicipality":
          return { status: "invalid", fieldErrors: { residentUnits: t("residents.formErrors.noMunicipality") } };
        case "residentAboveCap":
          return { status: "invalid", fieldErrors: { residentUnits: t("residents.formErrors.aboveCap") } };
        case "residentBelowTaken":
          return { status: "invalid", fieldErrors: { residentUnits: t("residents.formErrors.belowTaken") } };
        case "closed":
          return { status: "error", message: t("launch.errors.closed") };
        default:
          return { status: "error", message: t("offeringAdmin.errors.notFound") };
      }
    }
    refresh();
    if (result.paused) return { status: "ok", message: t("launch.saved.approvalWithdrawnPaused") };
    if (result.approvalWithdrawn) return { status: "ok", message: t("launch.saved.approvalWithdrawn") };
    return { status: "ok", message: t("offeringAdmin.saved") };
  },
);

export const approveTermsAction = roleAction("staff", approveTermsSchema, async ({ offeringId, revision }, { user, t }) => {
  const result = await approveTerms(user, offeringId, revision);
  if (!result.ok) return { status: "error", message: result.error === "notFound" ? t("offeringAdmin.errors.notFound") : t(`launch.errors.${result.error}`) };
  refresh();
  return { status: "ok", message: t("launch.terms.approvedMessage") };
});

export const requeueDeploymentAction = roleAction("staff", offeringIdSchema, async ({ offeringId }, { user, t }) => {
  const result = await requeueDeployment(user, offeringId);
  if (!result.ok) return { status: "error", message: result.error === "notFound" ? t("offeringAdmin.errors.notFound") : t(`launch.errors.${result.error}`) };
  refresh();
  return { status: "ok", message: t("launch.deploy.requeued") };
});

export const setOfferingStatusAction = roleAction("staff", offeringStatusSchema, async ({ offeringId, status }, { user, t }) => {
  if (status === "closed") {
    // Closing is shared with the job that closes at the end time; access is checked here first.
    const closed = (await offeringForStaff(user, offeringId)) ? await closeOffering(offeringId, user.id) : null;
    if (!closed) return { status: "error", message: t("offeringAdmin.errors.notFound") };
    if (!closed.ok) return { status: "error", message: t("offeringAdmin.errors.notAllowed") };
    refresh();
    return { status: "ok", message: t("launch.sale.closedMessage", { count: closed.released }) };
  }
  const result = await setOfferingStatus(user, offeringId, status);
  if (!result.ok) {
    if (result.error === "notFound") return { status: "error", message: t("offeringAdmin.errors.notFound") };
    if (result.error === "notAllowed") return { status: "error", message: t("offeringAdmin.errors.notAllowed") };
    return { status: "error", message: t(`launch.errors.${result.error}`) };
  }
  refresh();
  return { status: "ok", message: t("offeringAdmin.statusChanged") };
});

export const publishDisclosureAction = roleAction("staff", disclosureSchema, async (input, { user, t }) => {
  const result = await publishDisclosure(user, input);
  if (!result.ok) return { status: "error", message: result.error === "closed" ? t("launch.errors.closed") : t("offeringAdmin.errors.notFound") };
  refresh();
  if (result.paused) return { status: "ok", message: t("launch.published.approvalWithdrawnPaused") };
  if (result.approvalWithdrawn) return { status: "ok", message: t("launch.published.approvalWithdrawn") };
  return { status: "ok", message: t("offeringAdmin.published") };
});

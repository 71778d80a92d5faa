"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { msg } from "@/lib/i18n/keys";
import { roleAction, type ActionState } from "@/lib/actions";
import { createOffering, publishDisclosure, setOfferingStatus, updateOffering } from "@/lib/offerings/admin";
import { disclosureSchema, offeringSchema, offeringStatusSchema } from "@/lib/offerings/schemas";

export const createOfferingAction = roleAction("staff", offeringSchema, async (input, { user, t }) => {
  const result = await createOffering(input, user.id);
  if (!result.ok) return { status: "invalid", fieldErrors: { slug: t("offeringAdmin.errors.slugTaken") } };
  redirect(`/staff/offerings/${result.id}`);
});

export const updateOfferingAction = roleAction(
  "staff",
  offeringSchema.and(z.object({ offeringId: z.uuid({ error: msg("errors.invalid") }) })),
  async ({ offeringId, ...input }, { user, t }): Promise<ActionState> => {
    const result = await updateOffering(offeringId, input, user.id);
    if (!result.ok) {
      if (result.error === "capBelowTaken") return { status: "invalid", fieldErrors: { capUnits: t("offeringAdmin.errors.capBelowTaken") } };
      if (result.error === "slugTaken") return { status: "invalid", fieldErrors: { slug: t("offeringAdmin.errors.slugTaken") } };
      return { status: "error", message: t("offeringAdmin.errors.notFound") };
    }
    revalidatePath("/staff/offerings", "layout");
    return { status: "ok", message: t("offeringAdmin.saved") };
  },
);

export const setOfferingStatusAction = roleAction("staff", offeringStatusSchema, async ({ offeringId, status }, { user, t }) => {
  const result = await setOfferingStatus(offeringId, status, user.id);
  if (!result.ok) return { status: "error", message: t("offeringAdmin.errors.notAllowed") };
  revalidatePath("/staff/offerings", "layout");
  return { status: "ok", message: t("offeringAdmin.statusChanged") };
});

export const publishDisclosureAction = roleAction("staff", disclosureSchema, async (input, { user, t }) => {
  await publishDisclosure(input, user.id);
  revalidatePath("/staff/offerings", "layout");
  return { status: "ok", message: t("offeringAdmin.published") };
});

"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { roleAction, type ActionState } from "@/lib/actions";
import { env } from "@/lib/env";
import { grantIssuerStaff, revokeIssuerStaff, saveIssuer } from "@/lib/issuers/admin";
import { grantStaffSchema, issuerSchema, revokeStaffSchema } from "@/lib/issuers/schemas";

function refresh(issuerId?: string) {
  revalidatePath("/", "layout");
  revalidatePath("/staff/admin/issuers");
  if (issuerId) revalidatePath(`/staff/admin/issuers/${issuerId}`);
}

export const saveIssuerAction = roleAction("admin", issuerSchema, async (input, { user, t }): Promise<ActionState> => {
  const result = await saveIssuer(input, user.id, env().uploadDir);
  if (!result.ok) {
    switch (result.error) {
      case "image":
        return { status: "invalid", fieldErrors: { logo: t(`projectsAdmin.errors.image.${result.imageError}`) } };
      case "slugTaken":
      case "slugLocked":
        return { status: "invalid", fieldErrors: { slug: t(`issuers.errors.${result.error}`) } };
      default:
        return { status: "error", message: t("issuers.errors.notFound") };
    }
  }
  refresh(result.issuerId);
  if (result.created) redirect(`/staff/admin/issuers/${result.issuerId}`);
  return { status: "ok", message: t("issuers.admin.saved") };
});

export const grantStaffAction = roleAction("admin", grantStaffSchema, async (input, { user, t }): Promise<ActionState> => {
  const result = await grantIssuerStaff(input, user.id);
  if (!result.ok) {
    const message = t(result.error === "issuer" ? "issuers.errors.notFound" : `issuers.errors.${result.error}`);
    return result.error === "issuer" ? { status: "error", message } : { status: "invalid", fieldErrors: { email: message }, values: { email: input.email } };
  }
  refresh(input.issuerId);
  return { status: "ok", message: t(result.promoted ? "issuers.admin.staff.grantedPromoted" : "issuers.admin.staff.granted", { email: input.email }) };
});

export const revokeStaffAction = roleAction("admin", revokeStaffSchema, async (input, { user, t }): Promise<ActionState> => {
  const result = await revokeIssuerStaff(input, user.id);
  if (!result.ok) return { status: "error", message: t("issuers.errors.notMember") };
  refresh(input.issuerId);
  return { status: "ok", message: t(result.demoted ? "issuers.admin.staff.revokedDemoted" : "issuers.admin.staff.revoked") };
});

"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { roleAction, type ActionState } from "@/lib/actions";
import { env } from "@/lib/env";
import type { MessageKey, Translate } from "@/lib/i18n/catalog";
import { issuerIdsOf } from "@/lib/issuers/access";
import { saveProject, setProjectPublished } from "@/lib/projects/admin";
import { projectSchema, publishProjectSchema, publishUpdateSchema, removeSpendingSchema, spendingSchema, updateSchema } from "@/lib/projects/schemas";
import { recordSpending, removeSpending } from "@/lib/projects/spending";
import { saveUpdate, setUpdatePublished } from "@/lib/projects/updates";
import type { ImageError } from "@/lib/uploads/image-check";

const imageError = (error: ImageError): MessageKey => `projectsAdmin.errors.image.${error}`;
const notFound = (t: Translate): ActionState => ({ status: "error", message: t("projectsAdmin.errors.notFound") });

function refresh(projectId?: string) {
  revalidatePath("/projects", "layout");
  revalidatePath("/staff/projects", "layout");
  if (projectId) revalidatePath(`/staff/projects/${projectId}`, "layout");
}

export const saveProjectAction = roleAction("staff", projectSchema, async (input, { user, t }) => {
  const result = await saveProject(input, user.id, env().uploadDir, await issuerIdsOf(user));
  if (!result.ok) {
    switch (result.error) {
      case "image":
        return { status: "invalid", fieldErrors: { cover: t(imageError(result.imageError)) } };
      case "slugTaken":
      case "slugLocked":
        return { status: "invalid", fieldErrors: { slug: t(`projectsAdmin.errors.${result.error}`) } };
      case "offering":
        return { status: "invalid", fieldErrors: { offeringId: t("projectsAdmin.errors.offering") } };
      default:
        return notFound(t);
    }
  }
  refresh(result.projectId);
  if (result.created) redirect(`/staff/projects/${result.projectId}`);
  return { status: "ok", message: t("projectsAdmin.saved") };
});

export const setProjectPublishedAction = roleAction("staff", publishProjectSchema, async ({ projectId, publish }, { user, t }) => {
  if (!(await setProjectPublished(projectId, publish, user.id, await issuerIdsOf(user)))) return notFound(t);
  refresh(projectId);
  return { status: "ok", message: t(publish ? "projectsAdmin.published" : "projectsAdmin.unpublished") };
});

export const saveUpdateAction = roleAction("staff", updateSchema, async (input, { user, t }) => {
  const result = await saveUpdate(input, user.id, env().uploadDir, await issuerIdsOf(user));
  if (!result.ok) {
    if (result.error === "image") return { status: "invalid", fieldErrors: { images: t(imageError(result.imageError)) } };
    return notFound(t);
  }
  refresh(input.projectId);
  if (result.created) redirect(`/staff/projects/${input.projectId}/updates/${result.updateId}`);
  return { status: "ok", message: t("projectsAdmin.updates.savedPublished") };
});

export const setUpdatePublishedAction = roleAction("staff", publishUpdateSchema, async ({ updateId, publish }, { user, t }) => {
  const result = await setUpdatePublished(updateId, publish, user.id, await issuerIdsOf(user));
  if (!result.ok) return result.error === "projectDraft" ? { status: "error", message: t("projectsAdmin.updates.projectDraftFirst") } : notFound(t);
  refresh();
  return { status: "ok", message: publish ? t("projectsAdmin.updates.publishedNotified", { count: result.notified }) : t("projectsAdmin.updates.withdrawn") };
});

export const recordSpendingAction = roleAction("staff", spendingSchema(), async (input, { user, t }) => {
  const result = await recordSpending(input, user.id, env().uploadDir, await issuerIdsOf(user));
  if (!result.ok) {
    if (result.error === "image") return { status: "invalid", fieldErrors: { receipt: t(imageError(result.imageError)) } };
    return notFound(t);
  }
  refresh(input.projectId);
  return { status: "ok", message: t("projectsAdmin.spending.recorded") };
});

export const removeSpendingAction = roleAction("staff", removeSpendingSchema, async ({ spendingId }, { user, t }) => {
  const result = await removeSpending(spendingId, user.id, await issuerIdsOf(user));
  if (!result.ok) return notFound(t);
  refresh(result.projectId);
  return { status: "ok", message: t("projectsAdmin.spending.removed") };
});

"use server";

import { revalidatePath } from "next/cache";
import { signedInAction } from "@/lib/actions";
import { markAllRead, setEmailUpdates } from "@/lib/notifications";
import { emailPreferenceSchema, markReadSchema } from "@/lib/notifications/schemas";

export const markAllReadAction = signedInAction(markReadSchema, async (_input, { user }) => {
  await markAllRead(user.id);
  revalidatePath("/notifications");
});

export const saveEmailPreferenceAction = signedInAction(emailPreferenceSchema, async ({ emailUpdates }, { user, t }) => {
  await setEmailUpdates(user.id, emailUpdates);
  revalidatePath("/notifications");
  return { status: "ok", message: t("notifications.settingsSaved") };
});

"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { publicAction, signedInAction } from "@/lib/actions";
import { recordAudit } from "@/lib/audit";
import { confirmEmailChange, requestEmailChange } from "@/lib/auth/email-change";
import { hitRateLimit } from "@/lib/auth/rate-limit";
import { endAllSessions } from "@/lib/auth/sessions";
import { env } from "@/lib/env";
import { sendMail } from "@/lib/mail";
import { emailChangeSchema, tokenSchema } from "@/lib/onboarding/schemas";

export const signOutEverywhereAction = signedInAction(z.object({}), async (_input, { user }) => {
  const db = getDb();
  await endAllSessions(db, user.id);
  await recordAudit(db, { actorId: user.id, action: "account.signed_out_everywhere", targetType: "user", targetId: user.id });
  redirect("/sign-in");
});

export const requestEmailChangeAction = signedInAction(emailChangeSchema, async ({ newEmail }, { user, t }) => {
  const { perEmail, windowSeconds } = env().signInLimits;
  const limit = await hitRateLimit(getDb(), `email-change:${user.id}`, perEmail, windowSeconds);
  if (!limit.allowed) return { status: "error", message: t("auth.rateLimited", { minutes: Math.ceil(limit.retryAfterSeconds / 60) }) };
  const result = await requestEmailChange(user.id, newEmail);
  if (!result.ok) return { status: "invalid", fieldErrors: { newEmail: t(result.error === "same" ? "account.sameEmail" : "account.emailTaken") } };
  const origin = new URL(env().authUrl).origin;
  const link = `${origin}/account/confirm-email?token=${result.token}`;
  await sendMail({ to: newEmail, subject: t("account.mailSubject"), text: t("account.mailBody", { url: link }), link });
  return { status: "ok", message: t("account.confirmationSent") };
});

/** Public: the token proves control of the new address, and every session ends afterwards anyway. */
export const confirmEmailChangeAction = publicAction(tokenSchema, async ({ token }, { t }) => {
  const result = await confirmEmailChange(token);
  if (!result.ok) return { status: "error", message: t(result.error === "taken" ? "account.emailTaken" : "account.invalidLink") };
  redirect("/sign-in?changed=1");
});

"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { publicAction, signedInAction } from "@/lib/actions";
import { recordAudit } from "@/lib/audit";
import { cancelEmailChange, cancelPendingEmailChanges, confirmEmailChange, requestEmailChange } from "@/lib/auth/email-change";
import { emailChangeBuckets } from "@/lib/auth/rate-limit";
import { signedInRecently, signInAgainPath } from "@/lib/auth/recent-sign-in";
import { endAllSessions } from "@/lib/auth/sessions";
import { env } from "@/lib/env";
import { sendMail } from "@/lib/mail";
import { emailChangeSchema, tokenSchema } from "@/lib/onboarding/schemas";

export const signOutEverywhereAction = signedInAction(z.object({}), async (_input, { user }) => {
  await getDb().transaction(async (tx) => {
    await endAllSessions(tx, user.id);
    await cancelPendingEmailChanges(tx, user.id);
    await recordAudit(tx, { actorId: user.id, action: "account.signed_out_everywhere", targetType: "user", targetId: user.id });
  });
  redirect("/sign-in");
});

/**
 * Needs a sign-in within the last 10 minutes (checked before the rate limit, so a refusal is not
 * counted). The answer is the same whether or not another account uses the new address; only the
 * mail that address gets differs.
 */
// Data left open (`unknown`): EmailChangeForm reads `data.signInAgain`, the path to sign in again.
export const requestEmailChangeAction = signedInAction<typeof emailChangeSchema, unknown>(
  emailChangeSchema,
  async ({ newEmail }, { user, t }) => {
    const result = await requestEmailChange(user.id, newEmail);
    if (!result.ok) return { status: "invalid", fieldErrors: { newEmail: t("account.sameEmail") } };
    const origin = new URL(env().authUrl).origin;
    if (result.newAddressTaken) {
      const link = `${origin}/sign-in`;
      await sendMail({ to: newEmail, subject: t("account.takenMailSubject"), text: t("account.takenMailBody", { url: link }), link });
    } else {
      const link = `${origin}/account/confirm-email?token=${result.confirmToken}`;
      await sendMail({ to: newEmail, subject: t("account.mailSubject"), text: t("account.mailBody", { url: link }), link });
    }
    const cancelLink = `${origin}/account/cancel-email-change?token=${result.cancelToken}`;
    await sendMail({ to: user.email, subject: t("account.noticeMailSubject"), text: t("account.noticeMailBody", { email: newEmail, url: cancelLink }), link: cancelLink });
    return { status: "ok", message: t("account.confirmationSent") };
  },
  {
    guard: (_input, { user, t }) => {
      if (!signedInRecently(user)) return { status: "error", message: t("account.signInAgain"), data: { signInAgain: signInAgainPath("/account") } };
    },
    rateLimit: (_input, { user }) => emailChangeBuckets(user.id),
    rateLimitMessage: "auth.rateLimited",
  },
);

/** Public: the token proves control of the new address, and every session ends afterwards anyway. */
export const confirmEmailChangeAction = publicAction(tokenSchema, async ({ token }, { t }) => {
  const result = await confirmEmailChange(token);
  if (!result.ok) return { status: "error", message: t(result.error === "taken" ? "account.emailTaken" : "account.invalidLink") };
  redirect("/sign-in?changed=1");
});

/** Public: the token proves control of the old address (the owner may be signed out, or someone else signed in). */
export const cancelEmailChangeAction = publicAction(tokenSchema, async ({ token }, { t }) => {
  const result = await cancelEmailChange(token);
  if (!result.ok) return { status: "error", message: t("account.invalidLink") };
  redirect("/sign-in?cancelled=1");
});

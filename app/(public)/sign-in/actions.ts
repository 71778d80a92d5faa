"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { publicAction } from "@/lib/actions";
import { signIn } from "@/lib/auth";
import { clientIp } from "@/lib/auth/client-ip";
import { hitRateLimit } from "@/lib/auth/rate-limit";
import { signInSchema } from "@/lib/auth/schemas";
import { env } from "@/lib/env";

/**
 * Sends the magic link, then shows the same check-your-email page whether or not the account
 * exists. Requests are limited per address and per client IP (lib/auth/client-ip.ts).
 */
export const requestSignInLink = publicAction(signInSchema, async ({ email, callbackUrl }, { t }) => {
  const { perEmail, perIp, windowSeconds } = env().signInLimits;
  const db = getDb();
  const [byEmail, byIp] = await Promise.all([
    hitRateLimit(db, `sign-in:email:${email}`, perEmail, windowSeconds),
    hitRateLimit(db, `sign-in:ip:${clientIp(await headers(), env().trustedProxyHops)}`, perIp, windowSeconds),
  ]);
  if (!byEmail.allowed || !byIp.allowed) {
    const minutes = Math.ceil(Math.max(byEmail.retryAfterSeconds, byIp.retryAfterSeconds) / 60);
    return { status: "error", message: t("auth.rateLimited", { minutes }) };
  }
  await signIn("email", { email, redirectTo: callbackUrl, redirect: false });
  redirect("/sign-in/check-email");
});

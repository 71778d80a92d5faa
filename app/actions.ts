"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { publicAction, signedInAction } from "@/lib/actions";
import { signOut } from "@/lib/auth";
import { setUserLocale } from "@/lib/auth/account";
import { localeSchema } from "@/lib/auth/schemas";
import { LOCALE_COOKIE } from "@/lib/i18n/catalog";
import { z } from "zod";

/** Remembers the language in a cookie for a year, and on the account for mail. */
export const switchLocale = publicAction(localeSchema, async ({ locale, returnTo }, { user }) => {
  (await cookies()).set(LOCALE_COOKIE, locale, { path: "/", maxAge: 365 * 24 * 60 * 60, sameSite: "lax" });
  if (user) await setUserLocale(user.id, locale);
  redirect(returnTo);
});

export const signOutAction = signedInAction(z.object({}), async () => {
  await signOut({ redirectTo: "/" });
});

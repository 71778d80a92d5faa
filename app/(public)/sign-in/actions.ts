"use server";

import { redirect } from "next/navigation";
import { publicAction } from "@/lib/actions";
import { signIn } from "@/lib/auth";
import { signInSchema } from "@/lib/auth/schemas";

/** Sends the magic link, then shows the same check-your-email page whether or not the account exists. */
export const requestSignInLink = publicAction(signInSchema, async ({ email, callbackUrl }) => {
  await signIn("email", { email, redirectTo: callbackUrl, redirect: false });
  redirect("/sign-in/check-email");
});

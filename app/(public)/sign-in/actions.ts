"use server";

import { publicAction } from "@/lib/actions";
import { signIn } from "@/lib/auth";
import { signInSchema } from "@/lib/auth/schemas";

/** Sends the magic link; Auth.js then redirects to the check-your-email page. */
export const requestSignInLink = publicAction(signInSchema, async ({ email, callbackUrl }) => {
  await signIn("email", { email, redirectTo: callbackUrl });
});

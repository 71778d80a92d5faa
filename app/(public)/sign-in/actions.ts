"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { publicAction } from "@/lib/actions";
import { signIn } from "@/lib/auth";
import { signInBuckets } from "@/lib/auth/rate-limit";
import { signInSchema } from "@/lib/auth/schemas";

/**
 * Sends the magic link, then shows the same check-your-email page whether or not the account
 * exists. Requests are limited per address and per client IP (lib/auth/client-ip.ts).
 */
export const requestSignInLink = publicAction(
  signInSchema,
  async ({ email, callbackUrl }) => {
    await signIn("email", { email, redirectTo: callbackUrl, redirect: false });
    redirect("/sign-in/check-email");
  },
  { rateLimit: async ({ email }) => signInBuckets(email, await headers()), rateLimitMessage: "auth.rateLimited" },
);

import "server-only";
import { DrizzleAdapter } from "@auth/drizzle-adapter";
import NextAuth from "next-auth";
import { cookies, headers } from "next/headers";
import type { EmailConfig } from "next-auth/providers";
import { getDb } from "@/db/client";
import { accounts, sessions, users, verificationTokens } from "@/db/schema";
import { env } from "@/lib/env";
import { DEFAULT_LOCALE, isLocale, LOCALE_COOKIE, translator } from "@/lib/i18n/catalog";
import { sendMail } from "@/lib/mail";
import { setUserLocale } from "./account";
import { isBackgroundRefresh } from "./activity";
import type { Role } from "./roles";
import { withIdleTimeout } from "./sessions";

const MAGIC_LINK_MAX_AGE_SECONDS = 10 * 60;

/**
 * The emailed link opens a confirmation page instead of signing in: a mail scanner that only
 * GETs links cannot spend the one-time token; the person's POST from that page does.
 */
function confirmationUrl(callbackUrl: string): string {
  const callback = new URL(callbackUrl);
  return `${callback.origin}/sign-in/confirm${callback.search}`;
}

function localeFromRequest(request: Request) {
  const match = request.headers.get("cookie")?.match(new RegExp(`(?:^|;\\s*)${LOCALE_COOKIE}=(\\w+)`));
  return isLocale(match?.[1]) ? match[1] : DEFAULT_LOCALE;
}

const emailProvider: EmailConfig = {
  id: "email",
  type: "email",
  name: "Email",
  from: "",
  maxAge: MAGIC_LINK_MAX_AGE_SECONDS,
  options: {},
  async sendVerificationRequest({ identifier, url, request }) {
    const t = translator(localeFromRequest(request));
    const link = confirmationUrl(url);
    await sendMail({ to: identifier, subject: t("auth.mailSubject"), text: t("auth.mailBody", { url: link }), link });
  },
};

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  adapter: withIdleTimeout(
    DrizzleAdapter(getDb(), {
      usersTable: users,
      accountsTable: accounts,
      sessionsTable: sessions,
      verificationTokensTable: verificationTokens,
    }),
    getDb(),
    env().sessionIdleSeconds,
    async () => {
      try {
        return isBackgroundRefresh(await headers());
      } catch {
        return false; // outside a request: nothing to tell apart
      }
    },
  ),
  secret: env().authSecret,
  trustHost: true,
  // Expiry is fixed at sign-in (absolute limit); the idle limit is enforced by withIdleTimeout.
  session: { strategy: "database", maxAge: env().sessionAbsoluteSeconds, updateAge: env().sessionAbsoluteSeconds },
  providers: [emailProvider],
  pages: { signIn: "/sign-in", verifyRequest: "/sign-in/check-email", error: "/sign-in/error" },
  events: {
    // A new account keeps the language it signed up in: its notices and mail are written in it.
    async createUser({ user }) {
      const locale = (await cookies()).get(LOCALE_COOKIE)?.value;
      if (user.id && isLocale(locale)) await setUserLocale(user.id, locale);
    },
  },
  callbacks: {
    // Only what the portal reads: the adapter's session row (token included) must not reach /api/auth/session.
    // The session's creation is the sign-in, for actions that need a recent one (email change).
    session({ session, user }) {
      const signedInAt = (session as { createdAt?: Date }).createdAt;
      return {
        expires: session.expires,
        user: { id: user.id, email: user.email, name: user.name, role: (user as { role?: Role }).role ?? "investor", signedInAt: signedInAt?.toISOString() },
      };
    },
  },
}));

import "server-only";
import { DrizzleAdapter } from "@auth/drizzle-adapter";
import NextAuth from "next-auth";
import type { EmailConfig } from "next-auth/providers";
import { getDb } from "@/db/client";
import { accounts, sessions, users, verificationTokens } from "@/db/schema";
import { env } from "@/lib/env";
import { DEFAULT_LOCALE, isLocale, LOCALE_COOKIE, translator } from "@/lib/i18n/catalog";
import { sendMail } from "@/lib/mail";
import type { Role } from "./roles";

export const MAGIC_LINK_MAX_AGE_SECONDS = 10 * 60;
const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

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
    await sendMail({ to: identifier, subject: t("auth.mailSubject"), text: t("auth.mailBody", { url }), link: url });
  },
};

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  adapter: DrizzleAdapter(getDb(), {
    usersTable: users,
    accountsTable: accounts,
    sessionsTable: sessions,
    verificationTokensTable: verificationTokens,
  }),
  secret: env().authSecret,
  trustHost: true,
  session: { strategy: "database", maxAge: SESSION_MAX_AGE_SECONDS },
  providers: [emailProvider],
  pages: { signIn: "/sign-in", verifyRequest: "/sign-in/check-email", error: "/sign-in/error" },
  callbacks: {
    session({ session, user }) {
      return { ...session, user: { ...session.user, id: user.id, role: (user as { role?: Role }).role ?? "investor" } };
    },
  },
}));

import Link from "next/link";
import { Suspense } from "react";
import { signOutAction, switchLocale } from "@/app/actions";
import { ActionButton } from "@/components/ui/action-button";
import { hasRole } from "@/lib/auth/roles";
import { getCurrentUser } from "@/lib/auth/session";
import { getTranslator } from "@/lib/i18n/server";
import { LocaleSwitch } from "./locale-switch";

export async function SiteHeader() {
  const [{ locale, t }, user] = await Promise.all([getTranslator(), getCurrentUser()]);
  const link = "min-h-11 inline-flex items-center rounded-lg px-2 text-sm font-medium text-stone-700 hover:bg-stone-100 sm:px-3";
  return (
    <header className="border-b border-stone-200 bg-white/95 backdrop-blur">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-2 px-4 py-2">
        <Link href="/" className="flex min-h-11 items-center gap-2 font-bold text-forest-800">
          <span aria-hidden className="grid size-8 place-items-center rounded-lg bg-forest-700 text-white">
            森
          </span>
          <span className="text-sm sm:text-base">{t("meta.title")}</span>
        </Link>
        <nav aria-label="main" className="flex flex-wrap items-center gap-1">
          <Link className={link} href="/projects">
            {t("nav.projects")}
          </Link>
          <Link className={link} href="/votes" data-testid="nav-votes">
            {t("votes.title")}
          </Link>
          {user ? (
            <Link className={link} href="/dashboard">
              {t("nav.dashboard")}
            </Link>
          ) : null}
          {user ? (
            <Link className={link} href="/account">
              {t("dashboard.account")}
            </Link>
          ) : null}
          {user && hasRole(user.role, "staff") ? (
            <Link className={link} href="/staff">
              {t("nav.staff")}
            </Link>
          ) : null}
          {user ? (
            <ActionButton action={signOutAction} label={t("nav.signOut")} />
          ) : (
            <Link className={`${link} text-forest-700`} href="/sign-in">
              {t("nav.signIn")}
            </Link>
          )}
          <Suspense>
            <LocaleSwitch action={switchLocale} target={locale === "ja" ? "en" : "ja"} label={t("nav.language")} title={t("nav.languageLabel")} />
          </Suspense>
        </nav>
      </div>
    </header>
  );
}

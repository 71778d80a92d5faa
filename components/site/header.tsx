import Link from "next/link";
import { redirect } from "next/navigation";
import { signOutAction } from "@/app/actions";
import { buttonClass } from "@/components/ui/button-styles";
import { HydrateLater } from "@/components/ui/hydrate-later";
import { hasRole } from "@/lib/auth/roles";
import { getCurrentUser } from "@/lib/auth/session";
import { getTranslator } from "@/lib/i18n/server";
import { LocaleSwitch } from "./locale-switch";

async function signOutFromHeader(formData: FormData): Promise<void> {
  "use server";
  await signOutAction({ status: "idle" }, formData);
  // Reached only when there was no session to end (it had expired): the visitor is signed out either way.
  redirect("/");
}

/**
 * Server-rendered through and through: the header ships no client script to any page. Its links do
 * not prefetch: every page is dynamic and has no loading state, so a prefetch would only cost a
 * request per link on every page view.
 */
export async function SiteHeader() {
  const [{ locale, t }, user] = await Promise.all([getTranslator(), getCurrentUser()]);
  const link = "min-h-11 inline-flex items-center rounded-lg px-2 text-sm font-medium text-stone-700 hover:bg-stone-100 sm:px-3";
  return (
    <header className="border-b border-stone-200 bg-white">
      <HydrateLater>
        <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-2 px-4 py-2">
          <Link href="/" prefetch={false} className="flex min-h-11 items-center gap-2 font-bold text-forest-800">
            <span aria-hidden className="grid size-8 place-items-center rounded-lg bg-forest-700 text-white">
              森
            </span>
            <span className="text-sm sm:text-base">{t("meta.title")}</span>
          </Link>
          <nav aria-label="main" className="flex flex-wrap items-center gap-1">
            <Link prefetch={false} className={link} href="/projects">
              {t("nav.projects")}
            </Link>
            <Link prefetch={false} className={link} href="/votes" data-testid="nav-votes">
              {t("votes.title")}
            </Link>
            {user ? (
              <Link prefetch={false} className={link} href="/dashboard">
                {t("nav.dashboard")}
              </Link>
            ) : null}
            {user ? (
              <Link prefetch={false} className={link} href="/account">
                {t("dashboard.account")}
              </Link>
            ) : null}
            {user && hasRole(user.role, "staff") ? (
              <Link prefetch={false} className={link} href="/staff">
                {t("nav.staff")}
              </Link>
            ) : null}
            {user ? (
              <form action={signOutFromHeader} className="inline-flex items-center">
                <button type="submit" className={buttonClass("quiet")}>
                  {t("nav.signOut")}
                </button>
              </form>
            ) : (
              <Link prefetch={false} className={`${link} text-forest-700`} href="/sign-in">
                {t("nav.signIn")}
              </Link>
            )}
            <LocaleSwitch target={locale === "ja" ? "en" : "ja"} label={t("nav.language")} title={t("nav.languageLabel")} />
          </nav>
        </div>
      </HydrateLater>
    </header>
  );
}

import { env } from "@/lib/env";
import { getTranslator } from "@/lib/i18n/server";

export async function SiteFooter() {
  const { t } = await getTranslator();
  return (
    <footer className="mt-16 border-t border-stone-200 bg-white">
      <div className="mx-auto max-w-5xl space-y-1 px-4 py-8 text-xs text-stone-500">
        <p>{t("footer.issuer")}</p>
        <p>{t("footer.notice")}</p>
        {env().isDemo ? <p className="font-semibold text-amber-700">{t("footer.demo")}</p> : null}
        {env().staging ? (
          <p className="font-semibold text-amber-700" data-testid="staging-notice">
            {t("footer.staging")}
          </p>
        ) : null}
      </div>
    </footer>
  );
}

import type { Metadata } from "next";
import { IssuerCard } from "@/components/issuers/issuer-card";
import { PageHeading } from "@/components/ui/card";
import { getTranslator } from "@/lib/i18n/server";
import { issuers } from "@/lib/cache/public-reads";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTranslator();
  return { title: t("issuers.title") };
}

export default async function IssuersPage() {
  const [{ locale, t }, cards] = await Promise.all([getTranslator(), issuers()]);
  return (
    <>
      <PageHeading title={t("issuers.title")} lead={t("issuers.lead")} />
      {cards.length === 0 ? <p className="text-stone-600">{t("issuers.empty")}</p> : null}
      <div className="grid gap-4 sm:grid-cols-2">
        {cards.map((card) => (
          <IssuerCard key={card.issuer.id} card={card} locale={locale} t={t} />
        ))}
      </div>
    </>
  );
}

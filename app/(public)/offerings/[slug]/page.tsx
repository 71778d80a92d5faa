import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { OfferingCard } from "@/components/offerings/offering-card";
import { getTranslator } from "@/lib/i18n/server";
import { formatDateTime } from "@/lib/i18n/format";
import { getOfferingBySlug } from "@/lib/offerings/queries";

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const [{ locale }, offering] = await Promise.all([getTranslator(), getOfferingBySlug((await params).slug)]);
  return offering ? { title: locale === "ja" ? offering.nameJa : offering.nameEn } : {};
}

export default async function OfferingPage({ params }: Props) {
  const [{ locale, t }, offering] = await Promise.all([getTranslator(), getOfferingBySlug((await params).slug)]);
  if (!offering) notFound();
  return (
    <div className="space-y-4">
      <OfferingCard offering={offering} locale={locale} t={t} showLink={false} />
      <p className="text-sm text-stone-600">
        {t("offering.window")}: {formatDateTime(offering.opensAt, locale)} – {formatDateTime(offering.closesAt, locale)}
      </p>
    </div>
  );
}

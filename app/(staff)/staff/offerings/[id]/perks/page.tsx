import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { PerkForm } from "@/components/perks/perk-form";
import { Card, PageHeading } from "@/components/ui/card";
import { requireRole } from "@/lib/auth/session";
import { messagesFor } from "@/lib/i18n/catalog";
import { formatDateTime, formatNumber } from "@/lib/i18n/format";
import { localized } from "@/lib/i18n/localized";
import { getTranslator } from "@/lib/i18n/server";
import { perksOfOffering } from "@/lib/perks/queries";
import { perkOfferingForStaff } from "@/lib/perks/ui-queries";
import { createPerkAction } from "./actions";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTranslator();
  return { title: t("perksStaff.title") };
}

/** The perks of a village token offering with their claims counted, and the form for a new one: staff of its issuer only. */
export default async function StaffPerksPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireRole("staff", `/staff/offerings/${id}/perks`);
  if (!z.uuid().safeParse(id).success) notFound();
  const offering = await perkOfferingForStaff(user, id);
  if (!offering) notFound();
  const [{ locale, t }, rows] = await Promise.all([getTranslator(), perksOfOffering(offering.id)]);
  const base = `/staff/offerings/${offering.id}/perks`;
  const kinds = (["holding", "redeeming"] as const).map((value) => ({ value, label: t(`perks.kind.${value}`) }));
  return (
    <div className="space-y-4">
      <Link href={`/staff/offerings/${offering.id}`} className="inline-flex min-h-11 items-center text-sm text-forest-700 hover:underline">
        ← {t("perksStaff.back")}
      </Link>
      <PageHeading title={`${t("perksStaff.title")}: ${localized(offering, "name", locale)}`} lead={t("perksStaff.lead")} />
      <Card>
        <h2 className="mb-3 font-bold">{t("perksStaff.list.heading")}</h2>
        {rows.length === 0 ? <p className="text-sm text-stone-600">{t("perksStaff.list.empty")}</p> : null}
        <ul className="divide-y divide-stone-100" data-testid="staff-perks">
          {rows.map((perk) => (
            <li key={perk.id} className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between" data-testid="staff-perk">
              <div className="min-w-0">
                <p className="font-semibold break-words">
                  {localized(perk, "title", locale)}
                  <span className={`ml-2 rounded-full px-2 py-0.5 text-xs ${perk.status === "open" ? "bg-forest-50 text-forest-700" : "bg-stone-100 text-stone-600"}`}>
                    {t(`perksStaff.status.${perk.status}`)}
                  </span>
                </p>
                <p className="text-sm text-stone-600">
                  {t(`perks.kind.${perk.kind}`)} · {t("perksStaff.list.claimed", { claimed: formatNumber(perk.claimed, locale), stock: formatNumber(perk.stock, locale) })} ·{" "}
                  {t(perk.kind === "redeeming" ? "perksStaff.list.counts" : "perksStaff.list.countsHolding", {
                    toShip: perk.toShip,
                    awaitingBurn: perk.awaitingBurn,
                    shipped: perk.shipped,
                    cancelled: perk.cancelled,
                  })}
                </p>
                <p className="text-xs text-stone-500">{t("perks.terms.windowValue", { opens: formatDateTime(perk.claimOpensAt, locale), closes: formatDateTime(perk.claimClosesAt, locale) })}</p>
              </div>
              <Link href={`${base}/${perk.id}`} className="inline-flex min-h-11 shrink-0 items-center text-sm font-semibold text-forest-700 hover:underline" data-testid="staff-perk-link">
                {t("perksStaff.list.open")} →
              </Link>
            </li>
          ))}
        </ul>
      </Card>
      <Card>
        <h2 className="mb-3 font-bold">{t("perksStaff.form.newHeading")}</h2>
        <PerkForm action={createPerkAction} offeringId={offering.id} initial={{ kind: "holding", needsAddress: "true" }} kinds={kinds} m={messagesFor(locale).perksStaff.form} />
      </Card>
    </div>
  );
}

import Link from "next/link";
import { StatusActions } from "@/components/offerings/status-actions";
import { ButtonLink } from "@/components/ui/button-link";
import { PageHeading } from "@/components/ui/card";
import { requireRole } from "@/lib/auth/session";
import { getTranslator } from "@/lib/i18n/server";
import { localized } from "@/lib/i18n/localized";
import { formatDate, formatNumber, formatYen } from "@/lib/i18n/format";
import { listOfferingsForStaff } from "@/lib/offerings/admin";
import { setOfferingStatusAction } from "./actions";

export default async function StaffOfferingsPage() {
  const user = await requireRole("staff", "/staff/offerings");
  const [{ locale, t }, rows] = await Promise.all([getTranslator(), listOfferingsForStaff(user)]);
  return (
    <>
      <PageHeading title={t("offeringAdmin.title")} lead={t("offeringAdmin.lead")} />
      <ButtonLink href="/staff/offerings/new" className="mb-4">
        {t("offeringAdmin.create")}
      </ButtonLink>
      <ul className="space-y-3">
        {rows.map((offering) => (
          <li key={offering.id} className="rounded-2xl border border-stone-200 bg-white p-4" data-testid="staff-offering">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <div>
                <p className="font-semibold">
                  {localized(offering, "name", locale)} <span className="text-xs text-stone-500">{offering.tokenSymbol}</span>
                </p>
                <p className="text-sm text-stone-600">
                  {localized({ nameJa: offering.issuerNameJa, nameEn: offering.issuerNameEn }, "name", locale)} · {formatYen(offering.priceYen)} · {formatNumber(offering.soldUnits, locale)} /{" "}
                  {t("offering.units", { count: formatNumber(offering.capUnits, locale) })} · {formatDate(offering.closesAt, locale)}
                </p>
              </div>
              <span className="rounded-full bg-stone-100 px-3 py-1 text-xs font-semibold" data-testid="staff-offering-status">
                {t(`offering.status.${offering.status}`)}
              </span>
            </div>
            <div className="mt-2 flex flex-wrap items-center gap-2">
              <Link href={`/staff/offerings/${offering.id}`} className="inline-flex min-h-11 items-center text-sm font-semibold text-forest-700 hover:underline">
                {t("offeringAdmin.edit")}
              </Link>
              <StatusActions offering={offering} action={setOfferingStatusAction} t={t} />
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}

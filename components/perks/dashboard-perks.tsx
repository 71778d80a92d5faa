import Link from "next/link";
import { Card } from "@/components/ui/card";
import { localized } from "@/lib/i18n/localized";
import { getTranslator } from "@/lib/i18n/server";
import { perksForHolder } from "@/lib/perks/queries";
import { eligibilityText } from "./perk-parts";

const SHOWN = 3;

/** The dashboard's card of perks the holder can claim now, each with why; nothing when the holder has no perks at all. */
export async function DashboardPerks({ userId }: { userId: string }) {
  const [{ locale, t }, items] = await Promise.all([getTranslator(), perksForHolder(userId)]);
  if (items.length === 0) return null;
  const claimable = items.filter((item) => item.eligibility.status === "eligible");
  return (
    <section className="sm:col-span-2" data-testid="dashboard-perks">
      <Card>
        <h2 className="font-bold">{t("perks.dashboard.title")}</h2>
        {claimable.length === 0 ? <p className="mt-2 text-sm text-stone-600">{t("perks.dashboard.none")}</p> : null}
        <ul className="mt-2 divide-y divide-stone-100">
          {claimable.slice(0, SHOWN).map((item) => (
            <li key={item.perk.id} className="py-2" data-testid="dashboard-perk">
              <Link href={`/perks/${item.perk.id}`} className="inline-flex min-h-11 items-center font-semibold break-words text-forest-700 hover:underline">
                {localized(item.perk, "title", locale)}
              </Link>
              <p className="text-sm text-stone-600">{eligibilityText(item.perk, item.eligibility, localized(item, "offeringName", locale), t, locale)}</p>
            </li>
          ))}
        </ul>
        {claimable.length > SHOWN ? <p className="text-sm text-stone-600">{t("perks.dashboard.more", { count: claimable.length - SHOWN })}</p> : null}
        <Link href="/perks" className="mt-2 inline-flex min-h-11 items-center text-sm font-semibold text-forest-700 hover:underline" data-testid="dashboard-perks-link">
          {t("perks.dashboard.link")} →
        </Link>
      </Card>
    </section>
  );
}

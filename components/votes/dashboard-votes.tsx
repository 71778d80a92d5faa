import Link from "next/link";
import { Card } from "@/components/ui/card";
import { formatDateTime } from "@/lib/i18n/format";
import { localized } from "@/lib/i18n/localized";
import { getTranslator } from "@/lib/i18n/server";
import { runningVotesFor } from "@/lib/votes/queries";

/** The dashboard card of running votes the holder may vote in (units at the record date), and whether they have voted; nothing when there are none. */
export async function DashboardVotes({ userId }: { userId: string }) {
  const [{ locale, t }, votes] = await Promise.all([getTranslator(), runningVotesFor(userId)]);
  if (votes.length === 0) return null;
  return (
    <Card className="sm:col-span-2">
      <h2 className="font-bold" data-testid="dashboard-votes">
        {t("votes.dashboard.title")}
      </h2>
      <p className="mt-1 text-sm text-stone-600">{t("votes.dashboard.lead")}</p>
      <ul className="mt-2 divide-y divide-stone-100">
        {votes.map((vote) => (
          <li key={vote.id} data-testid="dashboard-vote" data-voted={vote.voted}>
            <Link href={`/votes/${vote.id}`} className="block min-h-11 py-2 hover:bg-stone-50">
              <span className="block break-words font-semibold text-forest-800">{localized(vote, "question", locale)}</span>
              <span className="mt-0.5 flex flex-wrap gap-x-3 text-sm text-stone-600">
                <span>{localized(vote, "offeringName", locale)}</span>
                <span>{t("votes.endsAtValue", { date: formatDateTime(vote.endsAt, locale) })}</span>
                <span className={vote.voted ? "font-semibold text-forest-700" : "font-semibold text-amber-800"} data-testid="dashboard-vote-status">
                  {t(vote.voted ? "votes.dashboard.voted" : "votes.dashboard.notVoted")}
                </span>
              </span>
            </Link>
          </li>
        ))}
      </ul>
      <Link href="/votes" className="mt-2 inline-flex min-h-11 items-center text-sm font-semibold text-forest-700 hover:underline">
        {t("votes.dashboard.all")} →
      </Link>
    </Card>
  );
}

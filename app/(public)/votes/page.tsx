import type { Metadata } from "next";
import Link from "next/link";
import { VoteStateBadge } from "@/components/votes/vote-facts";
import { Card, PageHeading } from "@/components/ui/card";
import type { Locale, Translate } from "@/lib/i18n/catalog";
import { formatCalendarDate, formatDateTime } from "@/lib/i18n/format";
import { localized } from "@/lib/i18n/localized";
import { getTranslator } from "@/lib/i18n/server";
import { listVotes, type VoteListRow } from "@/lib/votes/queries";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTranslator();
  return { title: t("votes.title") };
}

function VoteRow({ vote, locale, t }: { vote: VoteListRow; locale: Locale; t: Translate }) {
  return (
    <li data-testid="vote-row" data-vote-id={vote.id}>
      <Link href={`/votes/${vote.id}`} className="block min-h-11 rounded-lg p-3 hover:bg-stone-50">
        <span className="flex flex-wrap items-center gap-2">
          <VoteStateBadge state={vote.state} t={t} />
          <span className="text-xs text-stone-500">{localized(vote, "offeringName", locale)}</span>
        </span>
        <span className="mt-1 block break-words font-semibold text-forest-800">{localized(vote, "question", locale)}</span>
        <span className="mt-1 block text-sm text-stone-600">
          {t("votes.recordDateLabel")}: {formatCalendarDate(vote.recordDate, locale)} · {t("votes.endsAtValue", { date: formatDateTime(vote.endsAt, locale) })}
        </span>
        <span className="mt-1 block text-sm font-semibold text-forest-700">{vote.state === "ended" ? t("votes.seeResult") : t("votes.seeVote")} →</span>
      </Link>
    </li>
  );
}

/** Every holder vote: the running and upcoming ones, then the ended ones with their public results. */
export default async function VotesPage() {
  const [{ locale, t }, rows] = await Promise.all([getTranslator(), listVotes()]);
  const running = rows.filter((row) => row.state !== "ended");
  const ended = rows.filter((row) => row.state === "ended");
  return (
    <>
      <PageHeading title={t("votes.title")} lead={t("votes.lead")} />
      <div className="space-y-6">
        <section aria-labelledby="votes-running">
          <h2 id="votes-running" className="mb-3 text-xl font-bold">
            {t("votes.running")}
          </h2>
          <Card>
            {running.length === 0 ? <p className="text-sm text-stone-600">{t("votes.none")}</p> : null}
            <ul className="divide-y divide-stone-100" data-testid="votes-running">
              {running.map((vote) => (
                <VoteRow key={vote.id} vote={vote} locale={locale} t={t} />
              ))}
            </ul>
          </Card>
        </section>
        <section aria-labelledby="votes-ended">
          <h2 id="votes-ended" className="mb-3 text-xl font-bold">
            {t("votes.ended")}
          </h2>
          <Card>
            {ended.length === 0 ? <p className="text-sm text-stone-600">{t("votes.noneEnded")}</p> : null}
            <ul className="divide-y divide-stone-100" data-testid="votes-ended">
              {ended.map((vote) => (
                <VoteRow key={vote.id} vote={vote} locale={locale} t={t} />
              ))}
            </ul>
          </Card>
        </section>
      </div>
    </>
  );
}

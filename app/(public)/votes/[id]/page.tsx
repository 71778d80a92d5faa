import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { BallotForm } from "@/components/votes/ballot-form";
import { VoteFacts, VoteStateBadge } from "@/components/votes/vote-facts";
import { VoteResults } from "@/components/votes/vote-results";
import { ButtonLink } from "@/components/ui/button-link";
import { Card } from "@/components/ui/card";
import { getCurrentUser } from "@/lib/auth/session";
import type { Locale, Translate } from "@/lib/i18n/catalog";
import { formatCalendarDate, formatDateTime, formatNumber } from "@/lib/i18n/format";
import { localized } from "@/lib/i18n/localized";
import { getTranslator } from "@/lib/i18n/server";
import { ballotOf, eligibilityOf } from "@/lib/votes/ballots";
import { publicVote, type PublicVote } from "@/lib/votes/queries";
import { voteResult } from "@/lib/votes/results";
import { castBallotAction } from "./actions";

type Props = { params: Promise<{ id: string }> };

const load = async (id: string) => (z.uuid().safeParse(id).success ? publicVote(id) : null);

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const [{ locale, t }, found] = await Promise.all([getTranslator(), load((await params).id)]);
  return { title: found ? localized(found.vote, "question", locale) : t("votes.title") };
}

/** The signed-in holder's ballot, or why they cannot vote (signed out: a sign-in link). */
async function BallotCard({ found, locale, t }: { found: PublicVote; locale: Locale; t: Translate }) {
  const { vote } = found;
  const user = await getCurrentUser();
  if (!user) {
    return (
      <div className="space-y-2" data-testid="ballot-sign-in">
        <p className="text-sm">{t("votes.ballot.signIn")}</p>
        <ButtonLink href={`/sign-in?callbackUrl=${encodeURIComponent(`/votes/${vote.id}`)}`}>{t("votes.ballot.signInLink")}</ButtonLink>
      </div>
    );
  }
  const [eligibility, ballot] = await Promise.all([eligibilityOf(vote.id, user.id), ballotOf(vote.id, user.id)]);
  if (!eligibility?.eligible) {
    const reason = eligibility?.reason ?? "notOpen";
    return (
      <p className="text-sm text-stone-700" data-testid="ballot-ineligible" data-reason={reason}>
        {reason === "noUnits" ? t("votes.ballot.noUnits", { date: formatCalendarDate(vote.recordDate, locale) }) : t(`votes.errors.${reason}`)}
      </p>
    );
  }
  const units = formatNumber(eligibility.units, locale);
  const current = ballot ? found.options.find((option) => option.id === ballot.optionId) : undefined;
  return (
    <div className="space-y-3">
      <p className="text-sm font-semibold" data-testid="ballot-weight">
        {vote.counting === "by_units" ? t("votes.ballot.weightByUnits", { units }) : t("votes.ballot.weightPerHolder", { units })}
      </p>
      <p className="text-sm" data-testid="ballot-current">
        {current ? t("votes.ballot.current", { option: localized(current, "label", locale) }) : t("votes.ballot.none")}
      </p>
      <p className="text-sm text-stone-600" data-testid="ballot-change-until">
        {t("votes.ballot.changeUntil", { date: formatDateTime(vote.endsAt, locale) })}
      </p>
      <BallotForm
        action={castBallotAction}
        voteId={vote.id}
        options={found.options.map((option) => ({ id: option.id, label: localized(option, "label", locale) }))}
        currentOptionId={ballot?.optionId ?? null}
        m={{ legend: t("votes.ballot.legend"), submit: t(ballot ? "votes.ballot.change" : "votes.ballot.submit") }}
      />
      <p className="text-xs text-stone-500">{t("votes.ballot.privacy")}</p>
    </div>
  );
}

/** A holder vote, public: its terms and options; while it runs the holder's ballot and no numbers; after the end its result. */
export default async function VotePage({ params }: Props) {
  const [{ locale, t }, found] = await Promise.all([getTranslator(), load((await params).id)]);
  if (!found) notFound();
  const { vote, options } = found;
  // The result is asked of the database, which refuses it before the end whatever this clock says.
  const result = found.state === "ended" ? await voteResult(vote.id) : null;
  const ended = result?.ok === true;
  const description = localized(vote, "description", locale);
  return (
    <article className="space-y-6">
      <Link href="/votes" className="inline-flex min-h-11 items-center text-sm text-forest-700 hover:underline">
        ← {t("votes.back")}
      </Link>
      <header className="space-y-3">
        <VoteStateBadge state={ended || found.state !== "ended" ? found.state : "open"} t={t} />
        <h1 className="break-words text-2xl font-bold sm:text-3xl" data-testid="vote-question">
          {localized(vote, "question", locale)}
        </h1>
        {description ? <p className="whitespace-pre-line break-words text-stone-700">{description}</p> : null}
        <VoteFacts vote={vote} offeringName={localized(found, "offeringName", locale)} locale={locale} t={t} />
        <p className="text-xs text-stone-500">{t("votes.recordDateHint")}</p>
      </header>

      {result?.ok ? (
        <Card>
          <VoteResults result={result.result} locale={locale} t={t} />
        </Card>
      ) : (
        <>
          <Card className="space-y-3">
            <h2 className="font-bold">{t("votes.options")}</h2>
            <ol className="space-y-2">
              {options.map((option) => (
                <li key={option.id} className="break-words rounded-lg border border-stone-200 p-3" data-testid="vote-option">
                  <span className="font-semibold">{localized(option, "label", locale)}</span>
                  {option.project ? (
                    <Link href={`/projects/${option.project.slug}`} className="flex min-h-11 items-center text-sm text-forest-700 hover:underline">
                      {t("votes.projectLink", { project: localized(option.project, "title", locale) })} →
                    </Link>
                  ) : null}
                </li>
              ))}
            </ol>
            <p className="rounded-lg border border-stone-200 bg-stone-50 px-3 py-2 text-sm text-stone-700" data-testid="results-after-end">
              {t("votes.resultsAfterEnd", { date: formatDateTime(vote.endsAt, locale) })}
            </p>
          </Card>
          <Card className="space-y-3">
            <h2 className="font-bold">{t("votes.ballot.heading")}</h2>
            {found.state === "waiting" ? (
              <p className="text-sm text-stone-700" data-testid="vote-waiting">
                {t("votes.waitingLead", { date: formatCalendarDate(vote.recordDate, locale) })}
              </p>
            ) : (
              <BallotCard found={found} locale={locale} t={t} />
            )}
          </Card>
        </>
      )}
    </article>
  );
}

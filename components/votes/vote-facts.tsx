import type { Vote } from "@/db/schema";
import type { Locale, Translate } from "@/lib/i18n/catalog";
import { formatCalendarDate, formatDateTime } from "@/lib/i18n/format";
import type { VoteState } from "@/lib/votes/queries";

const STATE_TONE: Record<VoteState, string> = {
  waiting: "bg-stone-100 text-stone-700",
  open: "bg-forest-50 text-forest-700",
  ended: "bg-sky-50 text-sky-800",
};

export function VoteStateBadge({ state, t }: { state: VoteState; t: Translate }) {
  return (
    <span className={`inline-block rounded-full px-2.5 py-0.5 text-xs font-semibold ${STATE_TONE[state]}`} data-testid="vote-state" data-state={state}>
      {t(`votes.state.${state}`)}
    </span>
  );
}

/** The terms of a vote: record date, end and how it counts. */
export function VoteFacts({ vote, offeringName, locale, t }: { vote: Pick<Vote, "recordDate" | "endsAt" | "counting">; offeringName?: string; locale: Locale; t: Translate }) {
  return (
    <dl className="grid gap-3 text-sm sm:grid-cols-2" data-testid="vote-facts">
      {offeringName ? (
        <div>
          <dt className="text-xs font-medium text-stone-500">{t("votes.offeringLabel")}</dt>
          <dd className="break-words">{offeringName}</dd>
        </div>
      ) : null}
      <div>
        <dt className="text-xs font-medium text-stone-500">{t("votes.recordDateLabel")}</dt>
        <dd data-testid="vote-record-date">{formatCalendarDate(vote.recordDate, locale)}</dd>
      </div>
      <div>
        <dt className="text-xs font-medium text-stone-500">{t("votes.endsAtLabel")}</dt>
        <dd data-testid="vote-ends-at">{formatDateTime(vote.endsAt, locale)}</dd>
      </div>
      <div>
        <dt className="text-xs font-medium text-stone-500">{t("votes.countingLabel")}</dt>
        <dd data-testid="vote-counting">{t(`votes.counting.${vote.counting}`)}</dd>
      </div>
    </dl>
  );
}

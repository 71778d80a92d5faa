import Link from "next/link";
import type { Locale, Translate } from "@/lib/i18n/catalog";
import { formatCalendarDate, formatDateTime, formatNumber } from "@/lib/i18n/format";
import { localized } from "@/lib/i18n/localized";
import { explorerAddressUrl } from "@/lib/chain/queries";
import type { SnapshotFacts, VoteResult } from "@/lib/votes/results";

const percent = (value: number, locale: Locale) => value.toLocaleString(locale === "ja" ? "ja-JP" : "en-US", { maximumFractionDigits: 1 });

/** The record-date snapshot a result was counted by: aggregate numbers only, and where to check them on chain. */
function SnapshotFactsList({ snapshot, locale, t }: { snapshot: SnapshotFacts | null; locale: Locale; t: Translate }) {
  if (!snapshot) return <p className="text-sm text-stone-600">{t("votes.snapshot.none")}</p>;
  return (
    <div className="space-y-2 text-sm" data-testid="vote-snapshot">
      <p className="text-stone-600">{t("votes.snapshot.checked")}</p>
      <ul className="space-y-1">
        <li>{t("votes.snapshot.recordDate", { date: formatCalendarDate(snapshot.recordDate, locale), cutoff: formatDateTime(snapshot.cutoffAt, locale) })}</li>
        {snapshot.blockNumber !== null ? <li data-testid="vote-snapshot-block">{t("votes.snapshot.block", { number: formatNumber(snapshot.blockNumber, locale) })}</li> : null}
        <li>{t("votes.snapshot.holders", { count: formatNumber(snapshot.holders, locale) })}</li>
        {snapshot.supplyChain !== null ? <li>{t("votes.snapshot.supply", { units: formatNumber(snapshot.supplyChain, locale) })}</li> : null}
      </ul>
      {snapshot.tokenAddress ? (
        <a href={explorerAddressUrl(snapshot.tokenAddress)} className="inline-flex min-h-11 items-center font-semibold text-forest-700 hover:underline" rel="noopener">
          {t("votes.snapshot.token")} →
        </a>
      ) : null}
    </div>
  );
}

/** An ended vote's result: each option's votes (and weight when counted by units) with shares, the outcome (ties named as ties), turnout and snapshot. */
export function VoteResults({ result, locale, t }: { result: VoteResult; locale: Locale; t: Translate }) {
  const byUnits = result.vote.counting === "by_units";
  const label = (option: { labelJa: string; labelEn: string }) => localized(option, "label", locale);
  const leaders = result.options.filter((option) => option.leading);
  return (
    <section aria-labelledby="vote-result-heading" className="space-y-4" data-testid="vote-result">
      <h2 id="vote-result-heading" className="text-xl font-bold">
        {t("votes.results.heading")}
      </h2>
      {result.outcome.kind === "winner" ? (
        <p className="font-semibold text-forest-800" data-testid="result-winner">
          {t("votes.results.winner", { option: label(leaders[0]!) })}
        </p>
      ) : result.outcome.kind === "tie" ? (
        <p className="font-semibold text-amber-900" data-testid="result-tie">
          {t("votes.results.tie", { options: leaders.map(label).join(locale === "ja" ? "、" : ", ") })}
        </p>
      ) : (
        <p className="text-stone-600" data-testid="result-none">
          {t("votes.results.none")}
        </p>
      )}
      <p className="text-sm text-stone-600">{t(`votes.results.decidedBy.${result.vote.counting}`)}</p>
      <ol className="space-y-3">
        {result.options.map((option) => {
          const main = byUnits ? option.weightPercent : option.votesPercent;
          return (
            <li key={option.optionId} className="rounded-lg border border-stone-200 p-3" data-testid="result-row" data-option-position={option.position}>
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <span className="min-w-0 break-words font-semibold">
                  {label(option)}
                  {option.leading ? (
                    <span
                      className={`ml-2 rounded-full px-2 py-0.5 text-xs font-semibold ${result.outcome.kind === "tie" ? "bg-amber-100 text-amber-900" : "bg-forest-50 text-forest-700"}`}
                      data-testid={result.outcome.kind === "tie" ? "result-tie-marker" : "result-leading-marker"}
                    >
                      {t(result.outcome.kind === "tie" ? "votes.results.tieMarker" : "votes.results.leadingMarker")}
                    </span>
                  ) : null}
                </span>
                <span className="text-sm tabular-nums" data-testid="result-numbers">
                  <span data-testid="result-votes">{t("votes.results.votes", { count: formatNumber(option.votes, locale) })}</span> ({percent(option.votesPercent, locale)}%)
                  {byUnits ? (
                    <>
                      {" · "}
                      <span data-testid="result-weight">{t("votes.results.units", { count: formatNumber(option.weight, locale) })}</span> ({percent(option.weightPercent, locale)}%)
                    </>
                  ) : null}
                </span>
              </div>
              <div className="mt-2 h-2 overflow-hidden rounded-full bg-stone-100" aria-hidden>
                <div className="h-full rounded-full bg-forest-600" style={{ width: `${main}%` }} />
              </div>
              {option.project ? (
                <Link href={`/projects/${option.project.slug}`} className="mt-1 inline-flex min-h-11 items-center text-sm text-forest-700 hover:underline">
                  {t("votes.projectLink", { project: localized(option.project, "title", locale) })} →
                </Link>
              ) : null}
            </li>
          );
        })}
      </ol>
      <ul className="space-y-1 text-sm" data-testid="turnout">
        <li data-testid="turnout-holders">
          {t("votes.results.turnout", { ballots: formatNumber(result.ballots, locale), eligible: formatNumber(result.eligibleHolders, locale), percent: percent(result.turnoutPercent, locale) })}
        </li>
        <li data-testid="turnout-units">
          {t("votes.results.unitsTurnout", { units: formatNumber(result.unitsVoted, locale), total: formatNumber(result.eligibleUnits, locale), percent: percent(result.unitsPercent, locale) })}
        </li>
      </ul>
      <div className="border-t border-stone-100 pt-3">
        <h3 className="mb-2 font-bold">{t("votes.snapshot.heading")}</h3>
        <SnapshotFactsList snapshot={result.snapshot} locale={locale} t={t} />
      </div>
    </section>
  );
}

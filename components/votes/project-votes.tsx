import Link from "next/link";
import { Card } from "@/components/ui/card";
import type { Locale, Translate } from "@/lib/i18n/catalog";
import { formatDateTime, formatNumber } from "@/lib/i18n/format";
import { localized } from "@/lib/i18n/localized";
import { votesForProject } from "@/lib/votes/queries";
import { VoteStateBadge } from "./vote-facts";

/** On a project page: the holder votes with an option for this project, with their state and, once ended, how the option did. */
export async function ProjectVotes({ projectId, locale, t }: { projectId: string; locale: Locale; t: Translate }) {
  const votes = await votesForProject(projectId);
  if (votes.length === 0) return null;
  return (
    <section aria-labelledby="project-votes">
      <h2 id="project-votes" className="mb-3 text-xl font-bold">
        {t("votes.project.heading")}
      </h2>
      <Card>
        <ul className="divide-y divide-stone-100" data-testid="project-votes">
          {votes.map(({ vote, state, option, tie }) => (
            <li key={vote.id} data-testid="project-vote">
              <Link href={`/votes/${vote.id}`} className="block min-h-11 py-3 hover:bg-stone-50">
                <span className="flex flex-wrap items-center gap-2">
                  <VoteStateBadge state={state} t={t} />
                  {state === "ended" && option.votes !== undefined ? (
                    <span className="text-xs font-semibold" data-testid="project-vote-outcome">
                      {t(tie ? "votes.project.tied" : option.leading ? "votes.project.chosen" : "votes.project.notChosen")}
                    </span>
                  ) : null}
                </span>
                <span className="mt-1 block break-words font-semibold text-forest-800">{localized(vote, "question", locale)}</span>
                <span className="mt-1 block text-sm text-stone-600">
                  {t("votes.project.option", { option: localized(option, "label", locale) })}
                  {state === "ended" && option.votes !== undefined
                    ? ` · ${t("votes.results.votes", { count: formatNumber(option.votes, locale) })}${vote.counting === "by_units" ? ` · ${t("votes.results.units", { count: formatNumber(option.weight ?? 0, locale) })}` : ""}`
                    : ` · ${t("votes.endsAtValue", { date: formatDateTime(vote.endsAt, locale) })}`}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      </Card>
    </section>
  );
}

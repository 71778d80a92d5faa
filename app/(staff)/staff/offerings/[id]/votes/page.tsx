import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { Card, PageHeading } from "@/components/ui/card";
import { VoteStateBadge } from "@/components/votes/vote-facts";
import { VoteForm } from "@/components/votes/vote-form";
import { VOTE_COUNTINGS } from "@/db/schema";
import { requireRole } from "@/lib/auth/session";
import { messagesFor } from "@/lib/i18n/catalog";
import { formatCalendarDate, formatDateTime, formatNumber } from "@/lib/i18n/format";
import { localized } from "@/lib/i18n/localized";
import { getTranslator } from "@/lib/i18n/server";
import { tokyoDate, tokyoDateTimeInput } from "@/lib/projects/dates";
import { projectChoices } from "@/lib/votes/queries";
import { MAX_OPTIONS } from "@/lib/votes/schemas";
import { staffVotesFor } from "@/lib/votes/staff";
import { createVoteAction } from "./actions";

const DAY = 86_400_000;

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTranslator();
  return { title: t("votesStaff.title") };
}

/** An offering's holder votes for staff of its issuer: each with its ballots cast so far (never how they split), and the form for a new one. */
export default async function StaffVotesPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireRole("staff", `/staff/offerings/${id}/votes`);
  if (!z.uuid().safeParse(id).success) notFound();
  const found = await staffVotesFor(user, id);
  if (!found) notFound();
  const { offering, votes } = found;
  const [{ locale, t }, projects] = await Promise.all([getTranslator(), projectChoices(offering.id)]);
  const now = new Date();
  const base = `/staff/offerings/${offering.id}/votes`;
  return (
    <div className="space-y-4">
      <Link href={`/staff/offerings/${offering.id}`} className="inline-flex min-h-11 items-center text-sm text-forest-700 hover:underline">
        ← {t("votesStaff.back")}
      </Link>
      <PageHeading title={`${t("votesStaff.title")}: ${localized(offering, "name", locale)}`} lead={t("votesStaff.lead")} />
      <Card>
        {votes.length === 0 ? <p className="text-sm text-stone-600">{t("votesStaff.none")}</p> : null}
        <ul className="divide-y divide-stone-100" data-testid="staff-votes">
          {votes.map((vote) => (
            <li key={vote.id} data-testid="staff-vote-row">
              <Link href={`${base}/${vote.id}`} className="block min-h-11 py-3 hover:bg-stone-50">
                <span className="flex flex-wrap items-center gap-2">
                  <VoteStateBadge state={vote.state} t={t} />
                  <span className="text-sm tabular-nums text-stone-600" data-testid="staff-vote-ballots">
                    {t("votesStaff.list.ballots")}: {formatNumber(vote.ballots, locale)}
                  </span>
                </span>
                <span className="mt-1 block break-words font-semibold text-forest-800">{localized(vote, "question", locale)}</span>
                <span className="mt-1 block text-sm text-stone-600">
                  {t("votesStaff.list.recordDate")}: {formatCalendarDate(vote.recordDate, locale)} · {t("votesStaff.list.endsAt")}: {formatDateTime(vote.endsAt, locale)}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      </Card>
      <Card>
        <VoteForm
          action={createVoteAction}
          offeringId={offering.id}
          projects={projects.map((project) => ({ id: project.id, label: localized(project, "title", locale) }))}
          countings={VOTE_COUNTINGS.map((value) => ({ value, label: t(`votes.counting.${value}`) }))}
          maxOptions={MAX_OPTIONS}
          initial={{
            recordDate: tokyoDate(now),
            endsAt: tokyoDateTimeInput(new Date(now.getTime() + 8 * DAY))
              .slice(0, 11)
              .concat("18:00"),
          }}
          m={messagesFor(locale).votesStaff.form}
        />
      </Card>
    </div>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { StatusButton } from "@/components/staff/status-button";
import { Card, PageHeading } from "@/components/ui/card";
import { VoteFacts, VoteStateBadge } from "@/components/votes/vote-facts";
import { VoteResults } from "@/components/votes/vote-results";
import { requireRole } from "@/lib/auth/session";
import type { Locale, Translate } from "@/lib/i18n/catalog";
import { formatDateTime, formatNumber, percentOf } from "@/lib/i18n/format";
import { localized } from "@/lib/i18n/localized";
import { getTranslator } from "@/lib/i18n/server";
import type { SnapshotState } from "@/lib/votes/queries";
import { voteResult } from "@/lib/votes/results";
import { staffVoteFor } from "@/lib/votes/staff";
import { retakeVoteSnapshotAction } from "../actions";

type Props = { params: Promise<{ id: string; voteId: string }>; searchParams: Promise<{ created?: string }> };

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTranslator();
  return { title: t("votesStaff.title") };
}

function SnapshotLine({ snapshot, locale, t }: { snapshot: SnapshotState; locale: Locale; t: Translate }) {
  switch (snapshot.status) {
    case "frozen":
      return <p className="text-sm">{t("votesStaff.snapshot.frozen", { holders: snapshot.snapshot.holders, block: snapshot.snapshot.blockNumber ?? "—" })}</p>;
    case "mismatch":
      return <p className="text-sm font-semibold text-red-700">{t("votesStaff.snapshot.mismatch", { count: snapshot.count })}</p>;
    case "error":
      return (
        <>
          <p className="break-words text-sm font-semibold text-red-700">{t("votesStaff.snapshot.error", { message: snapshot.message || "—" })}</p>
          <p className="text-sm text-stone-600" data-testid="staff-vote-snapshot-tries">
            {snapshot.nextTryAt
              ? t("votesStaff.snapshot.nextTry", { count: formatNumber(snapshot.failures, locale), date: formatDateTime(snapshot.nextTryAt, locale) })
              : t("votesStaff.snapshot.noRetry", { count: formatNumber(snapshot.failures, locale) })}
          </p>
        </>
      );
    default:
      return <p className="text-sm text-stone-600">{t(snapshot.due ? "votesStaff.snapshot.pendingDue" : "votesStaff.snapshot.pending")}</p>;
  }
}

const CREATED = ["waiting", "queued", "opened"] as const;

/** One vote for staff of its issuer: its terms, the ballots cast so far, the snapshot's state (and a retake); the result once ended. */
export default async function StaffVotePage({ params, searchParams }: Props) {
  const [{ id, voteId }, { created }] = await Promise.all([params, searchParams]);
  const user = await requireRole("staff", `/staff/offerings/${id}/votes/${voteId}`);
  if (!z.uuid().safeParse(id).success || !z.uuid().safeParse(voteId).success) notFound();
  const found = await staffVoteFor(user, id, voteId);
  if (!found) notFound();
  const [{ locale, t }, result] = await Promise.all([getTranslator(), found.state === "ended" ? voteResult(voteId) : null]);
  const { vote, offering, snapshot } = found;
  const retakable = snapshot.status === "mismatch" || snapshot.status === "error" || (snapshot.status === "pending" && snapshot.due);
  const createdNote = CREATED.find((value) => value === created);
  return (
    <div className="space-y-4">
      <Link href={`/staff/offerings/${offering.id}/votes`} className="inline-flex min-h-11 items-center text-sm text-forest-700 hover:underline">
        ← {t("votesStaff.backToList")}
      </Link>
      <PageHeading
        title={localized(vote, "question", locale)}
        lead={`${localized(offering, "name", locale)} · ${t("votesStaff.detail.createdAt", { date: formatDateTime(vote.createdAt, locale) })}`}
      />
      {createdNote ? (
        <p role="status" className="rounded-lg border border-forest-100 bg-forest-50 px-3 py-2 text-sm text-forest-800" data-testid="vote-created">
          {t(`votesStaff.created.${createdNote}`)}
        </p>
      ) : null}
      <Card className="space-y-4">
        <VoteStateBadge state={found.state} t={t} />
        <VoteFacts vote={vote} locale={locale} t={t} />
        <ol className="list-decimal space-y-1 pl-5 text-sm">
          {found.options.map((option) => (
            <li key={option.id} className="break-words" data-testid="staff-vote-option">
              {option.labelJa} / {option.labelEn}
              {option.project ? ` · ${t("votes.projectLink", { project: localized(option.project, "title", locale) })}` : ""}
            </li>
          ))}
        </ol>
        <p className="text-sm font-semibold" data-testid="staff-vote-ballots">
          {t("votesStaff.detail.ballots", { count: formatNumber(found.ballots, locale) })}
        </p>
        {found.eligible !== null ? (
          <p className="text-sm text-stone-700" data-testid="staff-vote-eligible">
            {t("votesStaff.detail.eligible", { count: formatNumber(found.eligible, locale), percent: formatNumber(percentOf(found.ballots, found.eligible), locale) })}
          </p>
        ) : null}
        {found.state !== "ended" ? <p className="text-sm text-stone-600">{t("votesStaff.detail.hidden")}</p> : null}
        <Link href={`/votes/${vote.id}`} className="inline-flex min-h-11 items-center text-sm font-semibold text-forest-700 hover:underline">
          {t("votesStaff.detail.publicPage")} →
        </Link>
      </Card>
      <Card className="space-y-3">
        <h2 className="font-bold">{t("votesStaff.snapshot.heading")}</h2>
        <div data-testid="staff-vote-snapshot" data-status={snapshot.status}>
          <SnapshotLine snapshot={snapshot} locale={locale} t={t} />
        </div>
        {retakable ? (
          <StatusButton
            action={retakeVoteSnapshotAction}
            fields={{ offeringId: offering.id, voteId: vote.id }}
            label={t(snapshot.status === "pending" ? "votesStaff.snapshot.take" : "votesStaff.snapshot.retake")}
            variant="quiet"
            testId="vote-retake-snapshot"
            confirm={{ question: t("votesStaff.snapshot.confirm"), cancel: t("votesStaff.snapshot.cancel") }}
          />
        ) : null}
      </Card>
      {result?.ok ? (
        <Card>
          <VoteResults result={result.result} locale={locale} t={t} />
        </Card>
      ) : null}
    </div>
  );
}

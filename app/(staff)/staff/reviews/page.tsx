import type { ReactNode } from "react";
import { fieldLabels } from "@/components/onboarding/profile-change-parts";
import { ButtonLink } from "@/components/ui/button-link";
import { Card, PageHeading } from "@/components/ui/card";
import { requireRole } from "@/lib/auth/session";
import { messagesFor } from "@/lib/i18n/catalog";
import { getTranslator } from "@/lib/i18n/server";
import { formatDateTime } from "@/lib/i18n/format";
import { fieldsOf, listPendingChanges } from "@/lib/onboarding/profile-changes";
import { listReviewQueue } from "@/lib/onboarding/review";

export default async function ReviewQueuePage() {
  const user = await requireRole("staff", "/staff/reviews");
  const [{ locale, t }, queue, changes] = await Promise.all([getTranslator(), listReviewQueue(user.id), listPendingChanges(user.id)]);
  const m = messagesFor(locale);
  return (
    <>
      <PageHeading title={t("reviews.title")} lead={t("reviews.lead")} />
      {queue.length === 0 ? <p className="text-stone-600">{t("reviews.empty")}</p> : null}
      <ul className="space-y-3">
        {queue.map(({ document, email, profile }) => (
          <QueueItem key={document.id} email={email} profile={profile} href={`/staff/reviews/${document.id}`} openLabel={t("reviews.open")}>
            {t("reviews.submittedAt")}: {formatDateTime(document.submittedAt, locale)}
          </QueueItem>
        ))}
      </ul>

      <section className="mt-10" aria-labelledby="profile-changes">
        <h2 id="profile-changes" className="text-xl font-bold">
          {t("profileChanges.queueTitle")}
        </h2>
        <p className="mb-4 mt-1 text-sm text-stone-600">{t("profileChanges.queueLead")}</p>
        {changes.length === 0 ? <p className="text-stone-600">{t("profileChanges.queueEmpty")}</p> : null}
        <ul className="space-y-3" data-testid="profile-change-queue">
          {changes.map(({ request, email, profile }) => (
            <QueueItem key={request.id} email={email} profile={profile} href={`/staff/reviews/changes/${request.id}`} openLabel={t("reviews.open")}>
              {t("profileChanges.requestedAt")}: {formatDateTime(request.requestedAt, locale)} · {t("profileChanges.fields")}: {fieldLabels(fieldsOf(request.newValues), m, locale)}
            </QueueItem>
          ))}
        </ul>
      </section>
    </>
  );
}

/** One person waiting for review: who, when, and the link to open it. */
function QueueItem({
  email,
  profile,
  href,
  openLabel,
  children,
}: {
  email: string;
  profile: { familyNameKanji: string | null; givenNameKanji: string | null } | null;
  href: string;
  openLabel: string;
  children: ReactNode;
}) {
  return (
    <li>
      <Card className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <p className="font-semibold">
            {profile ? `${profile.familyNameKanji} ${profile.givenNameKanji}` : email}
            <span className="ml-2 text-sm font-normal text-stone-500">{email}</span>
          </p>
          <p className="text-xs text-stone-500">{children}</p>
        </div>
        <ButtonLink href={href}>{openLabel}</ButtonLink>
      </Card>
    </li>
  );
}

import Link from "next/link";
import { Card, PageHeading } from "@/components/ui/card";
import { requireRole } from "@/lib/auth/session";
import { getTranslator } from "@/lib/i18n/server";
import { formatDateTime } from "@/lib/i18n/format";
import { listReviewQueue } from "@/lib/onboarding/review";

export default async function ReviewQueuePage() {
  await requireRole("staff", "/staff/reviews");
  const [{ locale, t }, queue] = await Promise.all([getTranslator(), listReviewQueue()]);
  return (
    <>
      <PageHeading title={t("reviews.title")} lead={t("reviews.lead")} />
      {queue.length === 0 ? <p className="text-stone-600">{t("reviews.empty")}</p> : null}
      <ul className="space-y-3">
        {queue.map(({ document, email, profile }) => (
          <li key={document.id}>
            <Card className="flex flex-wrap items-center justify-between gap-3">
              <div>
                <p className="font-semibold">
                  {profile ? `${profile.familyNameKanji} ${profile.givenNameKanji}` : email}
                  <span className="ml-2 text-sm font-normal text-stone-500">{email}</span>
                </p>
                <p className="text-xs text-stone-500">{t("reviews.submittedAt")}: {formatDateTime(document.submittedAt, locale)}</p>
              </div>
              <Link href={`/staff/reviews/${document.id}`} className="inline-flex min-h-11 items-center rounded-lg bg-forest-700 px-4 text-sm font-semibold text-white">
                {t("reviews.open")}
              </Link>
            </Card>
          </li>
        ))}
      </ul>
    </>
  );
}

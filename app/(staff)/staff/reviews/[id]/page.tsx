import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { ReviewDecisionForms } from "@/components/onboarding/review-forms";
import { Card, PageHeading } from "@/components/ui/card";
import { requireRole } from "@/lib/auth/session";
import { messagesFor } from "@/lib/i18n/catalog";
import { getTranslator } from "@/lib/i18n/server";
import { formatDateTime } from "@/lib/i18n/format";
import { PREFECTURES } from "@/lib/onboarding/prefectures";
import { getReview } from "@/lib/onboarding/review";
import { decideReviewAction } from "../actions";

function addressShownOf(profile: { prefecture: string | null; city: string | null } | null | undefined): string {
  return `${profile?.prefecture ?? ""}|${profile?.city ?? ""}`;
}

export default async function ReviewPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireRole("staff", `/staff/reviews/${id}`);
  if (!z.uuid().safeParse(id).success) notFound();
  const [{ locale, t }, review] = await Promise.all([getTranslator(), getReview(id)]);
  if (!review) notFound();
  const { document, email, profile, walletAddress } = review;
  const m = messagesFor(locale);
  const prefecture = PREFECTURES.find(([code]) => code === profile?.prefecture);
  const rows: [string, string][] = profile
    ? [
        [m.onboarding.profile.familyNameKanji, `${profile.familyNameKanji} ${profile.givenNameKanji}`],
        [m.onboarding.profile.familyNameKana, `${profile.familyNameKana} ${profile.givenNameKana}`],
        [m.onboarding.profile.birthDate, profile.birthDate ?? ""],
        [m.onboarding.profile.postalCode, profile.postalCode ?? ""],
        [m.onboarding.profile.prefecture, prefecture ? (locale === "ja" ? prefecture[1] : prefecture[2]) : ""],
        // Apart: residence is matched on the prefecture and the city alone.
        [m.onboarding.profile.city, profile.city ?? ""],
        [m.onboarding.profile.street, profile.street ?? ""],
        [m.onboarding.profile.phone, profile.phone ?? ""],
        [m.account.email, email],
      ]
    : [[m.account.email, email]];
  const src = `/api/identity-documents/${document.id}`;
  return (
    <>
      <Link href="/staff/reviews" className="text-sm text-forest-700 hover:underline">
        ← {t("reviews.back")}
      </Link>
      <PageHeading title={t("reviews.title")} lead={`${t("reviews.submittedAt")}: ${formatDateTime(document.submittedAt, locale)}`} />
      <div className="grid gap-4 lg:grid-cols-2">
        <Card>
          <h2 className="mb-3 font-bold">{t("reviews.profile")}</h2>
          <dl className="space-y-2 text-sm">
            {rows.map(([label, value]) => (
              <div key={label} className="grid grid-cols-3 gap-2">
                <dt className="text-stone-500">{label}</dt>
                <dd className="col-span-2 break-words">{value}</dd>
              </div>
            ))}
          </dl>
        </Card>
        <Card>
          <h2 className="mb-3 font-bold">{t("reviews.document")}</h2>
          {document.contentType === "application/pdf" ? null : (
            // eslint-disable-next-line @next/next/no-img-element -- served privately with no-store; not for the image optimiser
            <img src={src} alt={t("reviews.document")} className="max-h-96 w-full rounded-lg border border-stone-200 object-contain" />
          )}
          <a href={src} target="_blank" rel="noopener" className="mt-2 inline-flex min-h-11 items-center text-sm font-semibold text-forest-700 hover:underline">
            {t("reviews.openDocument")} →
          </a>
        </Card>
      </div>
      <Card className="mt-4">
        {document.status === "in_review" && document.userId === user.id ? (
          <p role="status" className="font-semibold text-red-800" data-testid="own-review">
            {t("profileChanges.ownDocument")}
          </p>
        ) : document.status === "in_review" ? (
          <ReviewDecisionForms
            action={decideReviewAction}
            targetId={document.id}
            m={m.reviews}
            choice={{
              // The address as shown: if the investor changes it before the click, the answer is refused.
              hidden: { addressShown: addressShownOf(profile) },
              name: "addressMatches",
              legend: m.residents.review.addressLegend,
              options: [
                { value: "yes", label: m.residents.review.addressYes },
                { value: "no", label: m.residents.review.addressNo },
              ],
            }}
          />
        ) : (
          <div role="status" className="space-y-1">
            <p className="font-semibold" data-testid="review-outcome">
              {t("reviews.outcome", { status: t(`onboarding.identity.status.${document.status}`) })}
            </p>
            {document.reviewedAt ? <p className="text-sm text-stone-600">{formatDateTime(document.reviewedAt, locale)}</p> : null}
            {document.rejectionReason ? <p className="text-sm">{t("onboarding.identity.reason", { reason: document.rejectionReason })}</p> : null}
            {profile?.addressVerifiedAt ? (
              <p className="text-sm" data-testid="review-address-verified">
                {t("residents.review.addressVerified", { date: formatDateTime(profile.addressVerifiedAt, locale) })}
              </p>
            ) : null}
            {document.status === "approved" && walletAddress ? (
              <p className="break-all text-sm" data-testid="review-wallet">
                {t("reviews.walletCreated", { address: walletAddress })}
              </p>
            ) : null}
          </div>
        )}
      </Card>
    </>
  );
}

import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { displayValue } from "@/components/onboarding/profile-change-parts";
import { ReviewDecisionForms } from "@/components/onboarding/review-forms";
import { Card, PageHeading } from "@/components/ui/card";
import { requireRole } from "@/lib/auth/session";
import { messagesFor } from "@/lib/i18n/catalog";
import { getTranslator } from "@/lib/i18n/server";
import { formatDateTime } from "@/lib/i18n/format";
import { fieldsOf, getProfileChange } from "@/lib/onboarding/profile-changes";
import { ADDRESS_FIELDS } from "@/lib/residents/address";
import { decideProfileChangeAction } from "../../actions";

export default async function ProfileChangePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireRole("staff", `/staff/reviews/changes/${id}`);
  if (!z.uuid().safeParse(id).success) notFound();
  const [{ locale, t }, row] = await Promise.all([getTranslator(), getProfileChange(id)]);
  if (!row) notFound();
  const { request, email, profile } = row;
  const m = messagesFor(locale);
  const own = request.userId === user.id;
  return (
    <>
      <Link href="/staff/reviews" className="text-sm text-forest-700 hover:underline">
        ← {t("reviews.back")}
      </Link>
      <PageHeading title={t("profileChanges.title")} lead={`${t("profileChanges.requestedAt")}: ${formatDateTime(request.requestedAt, locale)}`} />
      <Card>
        <p className="mb-3 font-semibold">
          {profile ? `${profile.familyNameKanji} ${profile.givenNameKanji}` : email}
          <span className="ml-2 text-sm font-normal text-stone-500">{email}</span>
        </p>
        <table className="w-full text-left text-sm" data-testid="profile-change-values">
          <thead className="text-stone-500">
            <tr>
              <th scope="col" className="py-1 pr-2 font-medium">
                {t("profileChanges.field")}
              </th>
              <th scope="col" className="py-1 pr-2 font-medium">
                {t("profileChanges.current")}
              </th>
              <th scope="col" className="py-1 font-medium">
                {t("profileChanges.requestedValue")}
              </th>
            </tr>
          </thead>
          <tbody>
            {fieldsOf(request.newValues).map((field) => (
              <tr key={field} className="border-t border-stone-200 align-top">
                <th scope="row" className="py-2 pr-2 font-medium">
                  {m.onboarding.profile[field]}
                </th>
                <td className="break-words py-2 pr-2 text-stone-600">{displayValue(field, request.oldValues[field], locale)}</td>
                <td className="break-words py-2 font-semibold">{displayValue(field, request.newValues[field], locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card className="mt-4">
        {request.status !== "pending" ? (
          <div role="status" className="space-y-1">
            <p className="font-semibold" data-testid="review-outcome">
              {t("profileChanges.outcome", { status: t(`profileChanges.status.${request.status}`) })}
            </p>
            {request.reviewedAt ? <p className="text-sm text-stone-600">{formatDateTime(request.reviewedAt, locale)}</p> : null}
            {request.rejectionReason ? <p className="text-sm">{t("onboarding.identity.reason", { reason: request.rejectionReason })}</p> : null}
          </div>
        ) : own ? (
          <p role="status" className="font-semibold text-red-800" data-testid="own-review">
            {t("profileChanges.ownChange")}
          </p>
        ) : (
          <ReviewDecisionForms
            action={decideProfileChangeAction}
            targetId={request.id}
            idField="requestId"
            m={{ ...m.reviews, reason: m.profileChanges.reason }}
            choice={
              fieldsOf(request.newValues).some((field) => (ADDRESS_FIELDS as readonly string[]).includes(field))
                ? {
                    name: "addressConfirmed",
                    legend: m.residents.review.changeLegend,
                    options: [
                      { value: "yes", label: m.residents.review.changeYes },
                      { value: "no", label: m.residents.review.changeNo },
                    ],
                    defaultValue: "no",
                  }
                : undefined
            }
          />
        )}
      </Card>
    </>
  );
}

import { ActionButton } from "@/components/ui/action-button";
import type { Offering } from "@/db/schema";
import type { FormAction } from "@/lib/actions/core";
import type { Locale, Translate } from "@/lib/i18n/catalog";
import { formatDateTime } from "@/lib/i18n/format";

/** Which revision of the terms is current, who wrote it, and its approval by someone else (four eyes). */
export function TermsApproval({
  offering,
  viewerId,
  authorName,
  approverName,
  approve,
  locale,
  t,
}: {
  offering: Pick<Offering, "id" | "status" | "termsRevision" | "termsAuthorId" | "approvedRevision" | "approvedAt">;
  viewerId: string;
  authorName: string | null;
  approverName: string | null;
  approve: FormAction;
  locale: Locale;
  t: Translate;
}) {
  const approved = offering.approvedRevision === offering.termsRevision;
  const own = offering.termsAuthorId === viewerId;
  return (
    <div className="space-y-2 text-sm" data-testid="terms-approval" data-approved={approved ? "yes" : "no"}>
      <p className="font-semibold">{t("launch.terms.revision", { revision: offering.termsRevision })}</p>
      <p className="text-stone-600">{t("launch.terms.author", { name: authorName ?? t("launch.terms.authorSeed") })}</p>
      {approved ? (
        <p className="font-semibold text-forest-800">
          {t("launch.terms.approved", {
            revision: offering.termsRevision,
            name: approverName ?? t("launch.terms.authorSeed"),
            date: offering.approvedAt ? formatDateTime(offering.approvedAt, locale) : "—",
          })}
        </p>
      ) : (
        <p className="text-amber-900">{t("launch.terms.notApproved")}</p>
      )}
      {!approved && offering.status !== "closed" ? (
        own ? (
          <p className="rounded-lg bg-stone-100 p-3 text-stone-700" data-testid="own-terms">
            {t("launch.terms.ownTerms")}
          </p>
        ) : (
          <ActionButton
            action={approve}
            fields={{ offeringId: offering.id, revision: String(offering.termsRevision) }}
            label={t("launch.terms.approve", { revision: offering.termsRevision })}
            variant="primary"
            confirm={{ question: t("launch.confirm.approve", { revision: offering.termsRevision }), cancel: t("launch.confirm.cancel") }}
          />
        )
      ) : null}
    </div>
  );
}

import type { Locale, Messages, Translate } from "@/lib/i18n/catalog";
import { formatDateTime } from "@/lib/i18n/format";
import { PREFECTURES } from "@/lib/onboarding/prefectures";

type Field = keyof Messages["onboarding"]["profile"] & string;

/** A stored profile value as people read it: the prefecture by name, everything else as stored. */
export function displayValue(field: string, value: string | null | undefined, locale: Locale): string {
  if (field !== "prefecture") return value ?? "";
  const prefecture = PREFECTURES.find(([code]) => code === value);
  return prefecture ? (locale === "ja" ? prefecture[1] : prefecture[2]) : (value ?? "");
}

export function fieldLabels(fields: readonly string[], m: Messages, locale: Locale): string {
  return fields.map((field) => m.onboarding.profile[field as Field] as string).join(locale === "ja" ? "、" : ", ");
}

type Change = { status: "pending" | "approved" | "rejected" | "withdrawn"; requestedAt: Date; reviewedAt: Date | null; rejectionReason: string | null; fields: string[] };

/** What the investor sees about their newest change request (nothing once withdrawn). */
export function ProfileChangeNotice({ change, locale, t, m }: { change: Change | null; locale: Locale; t: Translate; m: Messages }) {
  if (!change || change.status === "withdrawn") return null;
  if (change.status === "pending") {
    return (
      <div className="mb-4 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900" role="status" data-testid="profile-change-status">
        <p className="font-semibold">{t("profileChanges.pendingTitle")}</p>
        <p className="mt-1">{t("profileChanges.pendingBody", { date: formatDateTime(change.requestedAt, locale), fields: fieldLabels(change.fields, m, locale) })}</p>
      </div>
    );
  }
  const rejected = change.status === "rejected";
  return (
    <div className={`mb-4 rounded-lg px-4 py-3 text-sm ${rejected ? "bg-red-50 text-red-800" : "bg-forest-50 text-forest-800"}`} role="status" data-testid="profile-change-status">
      <p className="font-semibold">{rejected ? t("profileChanges.rejectedTitle") : t("profileChanges.approvedTitle", { date: formatDateTime(change.reviewedAt ?? change.requestedAt, locale) })}</p>
      {rejected ? <p className="mt-1">{t("profileChanges.rejectedBody")}</p> : null}
      {rejected && change.rejectionReason ? <p className="mt-1">{t("onboarding.identity.reason", { reason: change.rejectionReason })}</p> : null}
    </div>
  );
}

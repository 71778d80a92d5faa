import type { Perk, PerkClaim } from "@/db/schema";
import type { Locale, Translate } from "@/lib/i18n/catalog";
import { formatCalendarDate, formatDateTime, formatNumber } from "@/lib/i18n/format";
import type { Eligibility } from "@/lib/perks/types";

/** Why the holder may or may not claim the perk now, in one sentence with the holding it was decided on. */
export function eligibilityText(perk: Perk, eligibility: Eligibility, offeringName: string, t: Translate, locale: Locale): string {
  const vars = {
    units: formatNumber(eligibility.units, locale),
    needed: formatNumber(eligibility.needed, locale),
    date: perk.recordDate ? formatCalendarDate(perk.recordDate, locale) : "—",
    opens: formatDateTime(perk.claimOpensAt, locale),
    closes: formatDateTime(perk.claimClosesAt, locale),
    stock: formatNumber(perk.stock, locale),
    offering: offeringName,
  };
  const { status } = eligibility;
  if (status === "eligible") return t(perk.kind === "holding" ? "perks.eligibility.eligibleHolding" : "perks.eligibility.eligibleRedeeming", vars);
  return t(`perks.eligibility.${status}`, vars);
}

const TONES: Record<Eligibility["status"], string> = {
  eligible: "border-forest-100 bg-forest-50 text-forest-800",
  claimed: "border-forest-100 bg-forest-50 text-forest-800",
  not_open_yet: "border-stone-200 bg-stone-50 text-stone-700",
  snapshot_pending: "border-stone-200 bg-stone-50 text-stone-700",
  closed: "border-stone-200 bg-stone-50 text-stone-700",
  withdrawn: "border-stone-200 bg-stone-50 text-stone-700",
  sold_out: "border-amber-200 bg-amber-50 text-amber-900",
  not_holder_at_record_date: "border-amber-200 bg-amber-50 text-amber-900",
  below_minimum: "border-amber-200 bg-amber-50 text-amber-900",
  insufficient_units: "border-amber-200 bg-amber-50 text-amber-900",
  wallet_frozen: "border-red-200 bg-red-50 text-red-800",
  wallet_in_recovery: "border-stone-200 bg-stone-50 text-stone-700",
  not_investor: "border-amber-200 bg-amber-50 text-amber-900",
};

export function EligibilityNote({ text, status }: { text: string; status: Eligibility["status"] }) {
  return (
    <p className={`rounded-lg border px-3 py-2 text-sm ${TONES[status]}`} data-testid="perk-eligibility" data-status={status}>
      {text}
    </p>
  );
}

/** The perk's terms: how it is earned, stock left, the claim window and whether it is delivered. */
export function PerkTerms({ perk, t, locale }: { perk: Perk; t: Translate; locale: Locale }) {
  const earned =
    perk.kind === "holding"
      ? t("perks.terms.minUnits", { count: formatNumber(perk.minUnits ?? 0, locale), date: perk.recordDate ? formatCalendarDate(perk.recordDate, locale) : "—" })
      : t("perks.terms.cost", { count: formatNumber(perk.costUnits ?? 0, locale) });
  return (
    <dl className="grid grid-cols-1 content-start gap-x-4 gap-y-1 text-sm sm:grid-cols-[auto_1fr]" data-testid="perk-terms">
      <dt className="text-stone-500">{t("perks.terms.kind")}</dt>
      <dd>
        {t(`perks.kind.${perk.kind}`)} · {earned}
      </dd>
      <dt className="text-stone-500">{t("perks.terms.stock")}</dt>
      <dd className="tabular-nums" data-testid="perk-stock-left">
        {t("perks.terms.stockValue", { left: formatNumber(Math.max(0, perk.stock - perk.claimed), locale), stock: formatNumber(perk.stock, locale) })}
      </dd>
      <dt className="text-stone-500">{t("perks.terms.window")}</dt>
      <dd>{t("perks.terms.windowValue", { opens: formatDateTime(perk.claimOpensAt, locale), closes: formatDateTime(perk.claimClosesAt, locale) })}</dd>
      <dt className="text-stone-500">{t("perks.terms.delivery")}</dt>
      <dd>{perk.needsAddress ? t("perks.terms.deliveryYes") : t("perks.terms.deliveryNo")}</dd>
    </dl>
  );
}

/** Where a redeeming claim's tokens are: waiting to burn, burned, being given back, given back. */
export function burnState(claim: PerkClaim): "pending" | "burned" | "restoring" | "restored" | "none" {
  if (claim.restoredAt) return "restored";
  if (claim.burnedAt) return claim.status === "cancelled" ? "restoring" : "burned";
  return claim.status === "cancelled" ? "none" : "pending";
}

const STATUS_TONES: Record<PerkClaim["status"], string> = {
  claimed: "bg-amber-50 text-amber-900",
  shipped: "bg-forest-50 text-forest-700",
  cancelled: "bg-stone-100 text-stone-600",
};

export function ClaimStatusBadge({ status, label }: { status: PerkClaim["status"]; label: string }) {
  return (
    <span className={`inline-block rounded-full px-2.5 py-0.5 text-xs font-semibold ${STATUS_TONES[status]}`} data-testid="perk-claim-status" data-status={status}>
      {label}
    </span>
  );
}

/** A claim as its holder follows it: status, tracking number, cancellation reason and, when tokens were given up, their burn or return. */
export function ClaimDetails({ claim, kind, t, locale }: { claim: PerkClaim; kind: Perk["kind"]; t: Translate; locale: Locale }) {
  const burn = kind === "redeeming" ? burnState(claim) : null;
  const count = formatNumber(claim.units, locale);
  const burnDate = burn === "restored" ? claim.restoredAt : claim.burnedAt;
  return (
    <div className="space-y-2 text-sm">
      <ClaimStatusBadge status={claim.status} label={t(`perks.claimStatus.status.${claim.status}`)} />
      <dl className="grid grid-cols-1 gap-x-4 gap-y-1 sm:grid-cols-[auto_1fr]">
        <dt className="text-stone-500">{t("perks.claimStatus.claimedAt")}</dt>
        <dd>{formatDateTime(claim.createdAt, locale)}</dd>
        {claim.shippedAt ? (
          <>
            <dt className="text-stone-500">{t("perks.claimStatus.shippedAt")}</dt>
            <dd>{formatDateTime(claim.shippedAt, locale)}</dd>
          </>
        ) : null}
        {claim.trackingNumber ? (
          <>
            <dt className="text-stone-500">{t("perks.claimStatus.trackingNumber")}</dt>
            <dd className="font-mono" data-testid="perk-claim-tracking">
              {claim.trackingNumber}
            </dd>
          </>
        ) : null}
        {claim.status === "cancelled" ? (
          <>
            <dt className="text-stone-500">{t("perks.claimStatus.cancelledAt")}</dt>
            <dd>{claim.cancelledAt ? formatDateTime(claim.cancelledAt, locale) : "—"}</dd>
            <dt className="text-stone-500">{t("perks.claimStatus.cancelReason")}</dt>
            <dd className="whitespace-pre-wrap" data-testid="perk-claim-cancel-reason">
              {claim.cancelReason ?? "—"}
            </dd>
          </>
        ) : null}
      </dl>
      {burn ? (
        <p className="text-stone-700" data-testid="perk-claim-burn" data-state={burn}>
          {t(`perks.claimStatus.burn.${burn}`, { count, date: burnDate ? formatDateTime(burnDate, locale) : "" })}
        </p>
      ) : null}
    </div>
  );
}

/** The perk's photo when it has one (public while the perk is open). */
export function PerkPhoto({ perk, className = "" }: { perk: Perk; className?: string }) {
  if (!perk.photoImageId) return null;
  return <img src={`/api/images/${perk.photoImageId}`} alt="" loading="lazy" decoding="async" className={`aspect-[4/3] w-full rounded-lg bg-stone-100 object-cover ${className}`} />;
}

import type { NoticeDetail, NoticeKind } from "@/db/schema";
import type { Locale, Translate } from "@/lib/i18n/catalog";
import { formatDateTime, formatYen } from "@/lib/i18n/format";

/** Notices of the holders' village (perks and votes) and of own wallets: their sentence and where they lead. */

const HOLDER_KINDS = [
  "perk_claimed",
  "perk_tokens_burned",
  "perk_shipped",
  "perk_cancelled",
  "perk_tokens_restored",
  "vote_opened",
  "wallet_link_approved",
  "wallet_link_rejected",
  "withdrawal_sent",
  "withdrawal_failed",
  "stablecoin_payment_failed",
  "payment_instructions",
  "payment_due_soon",
  "payment_underpaid",
  "payment_topup_requested",
  "order_cancelled_cooling_off",
] as const;
export type HolderNoticeKind = (typeof HOLDER_KINDS)[number];

export function isHolderNotice(kind: NoticeKind): kind is HolderNoticeKind {
  return (HOLDER_KINDS as readonly string[]).includes(kind);
}

/** The perk's page for a perk notice, the vote's for a vote notice. */
export function holderNoticePath(kind: HolderNoticeKind, detail: NoticeDetail): string {
  if (kind === "vote_opened") return detail.voteId ? `/votes/${detail.voteId}` : "/votes";
  if (kind === "stablecoin_payment_failed" || kind.startsWith("payment_") || kind === "order_cancelled_cooling_off") return detail.orderId ? `/orders/${detail.orderId}` : "/orders";
  if (kind.startsWith("withdrawal_") && detail.withdrawalId) return `/account/wallets/withdraw/${detail.withdrawalId}`;
  if (kind.startsWith("wallet_link_") || kind.startsWith("withdrawal_")) return "/account/wallets";
  return detail.perkId ? `/perks/${detail.perkId}` : "/perks";
}

/** The sentence of a perk or vote notice, for the notices page and its mail alike. */
export function holderNoticeLine(kind: HolderNoticeKind, detail: NoticeDetail, t: Translate, locale: Locale): string {
  const pick = (ja: string | undefined, en: string | undefined) => (locale === "ja" ? ja : en) ?? "";
  const vars = {
    perk: pick(detail.perkTitleJa, detail.perkTitleEn),
    units: t("orders.units", { count: detail.units ?? 0 }),
    tracking: detail.trackingNumber ?? "",
    reason: detail.reason ?? "",
    question: pick(detail.questionJa, detail.questionEn),
    endsAt: detail.endsAt ? formatDateTime(new Date(detail.endsAt), locale) : "",
    address: detail.address ?? "",
    offering: pick(detail.offeringNameJa, detail.offeringNameEn),
    amount: formatYen(detail.amountYen ?? 0),
    received: formatYen(detail.receivedYen ?? 0),
    remaining: formatYen(detail.remainingYen ?? 0),
    method: detail.paymentMethod === "bank_transfer" ? t("notices.method.bank_transfer") : t("notices.method.konbini"),
  };
  return t(`notices.holder.${kind}`, vars);
}

/** What a holder notice's mail subject may name besides the line. */
export function holderMailVars(detail: NoticeDetail, locale: Locale): { question: string; perk: string; offering: string } {
  const pick = (ja: string | undefined, en: string | undefined) => (locale === "ja" ? ja : en) ?? "";
  return { question: pick(detail.questionJa, detail.questionEn), perk: pick(detail.perkTitleJa, detail.perkTitleEn), offering: pick(detail.offeringNameJa, detail.offeringNameEn) };
}

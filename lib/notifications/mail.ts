import type { NoticeDetail, NoticeKind } from "@/db/schema";
import type { OutgoingMail } from "@/lib/mail";
import { translator, type Locale, type Translate } from "@/lib/i18n/catalog";
import { formatCalendarDate, formatYen } from "@/lib/i18n/format";
import { markdownToText } from "@/lib/markdown/render";
import { holderMailVars, holderNoticeLine, holderNoticePath, isHolderNotice } from "./holder-notices";

/** What a notice's mail is made of: the row, its reader, and the update or order it is about. */
export type MailSource = {
  kind: NoticeKind;
  email: string;
  locale: Locale;
  detail: NoticeDetail;
  orderId: string | null;
  orderSeq: number | null;
  updateId: string | null;
  titleJa: string | null;
  titleEn: string | null;
  bodyJa: string | null;
  bodyEn: string | null;
  slug: string | null;
  projectJa: string | null;
  projectEn: string | null;
};

/** Where a notice leads in the portal (a path), for the mail and the notifications page alike. */
export function noticePath(notice: { kind: NoticeKind; orderId: string | null; updateId: string | null; slug: string | null; detail?: NoticeDetail }): string {
  if (notice.kind === "update") return `/projects/${notice.slug}#update-${notice.updateId}`;
  if (isHolderNotice(notice.kind)) return holderNoticePath(notice.kind, notice.detail ?? {});
  if (notice.kind === "identity_approved") return "/account";
  if (notice.kind === "identity_rejected") return "/onboarding/identity";
  if (notice.kind === "coupon_waiting_account" || notice.kind === "coupon_failed") return "/account/payout";
  if (notice.kind === "coupon_scheduled" || notice.kind === "coupon_paid") return "/account/income";
  return `/orders/${notice.orderId}`;
}

const COUPON_KINDS = ["coupon_scheduled", "coupon_waiting_account", "coupon_paid", "coupon_failed"] as const;
type CouponKind = (typeof COUPON_KINDS)[number];

export function isCouponNotice(kind: NoticeKind): kind is CouponKind {
  return (COUPON_KINDS as readonly string[]).includes(kind);
}

/** The sentence of a coupon notice, for the notices page and its mail alike. */
export function couponNoticeLine(kind: CouponKind, detail: NoticeDetail, t: Translate, locale: Locale): string {
  return t(`notices.coupon.${kind}`, {
    offering: (locale === "ja" ? detail.offeringNameJa : detail.offeringNameEn) ?? "",
    amount: formatYen(detail.amountYen ?? 0),
    // A calendar date in Tokyo: noon keeps it the same day whatever the clock's zone.
    date: detail.paymentDate ? formatCalendarDate(detail.paymentDate, locale) : "",
    account: detail.bankAccount ?? "",
    national: formatYen(detail.nationalTaxYen ?? 0),
    local: formatYen(detail.localTaxYen ?? 0),
    principal: detail.principalYen ? t("notices.coupon.principal", { amount: formatYen(detail.principalYen) }) : "",
  });
}

/** The explorer may be the portal's own pages (a path): a mail needs the full address. */
function absolute(base: string, url: string): string {
  return url.startsWith("/") ? `${base}${url}` : url;
}

/** The mail of one notice, in its reader's language, with a link back to the portal. */
export function composeMail(row: MailSource, baseUrl: string): OutgoingMail {
  const base = baseUrl.replace(/\/$/, "");
  const t = translator(row.locale);
  const link = `${base}${noticePath(row)}`;
  const pick = (ja: string | null | undefined, en: string | null | undefined) => (row.locale === "ja" ? ja : en) ?? "";
  if (row.kind === "update") {
    const title = pick(row.titleJa, row.titleEn);
    return {
      to: row.email,
      subject: t("notifications.mailSubject", { project: pick(row.projectJa, row.projectEn), title }),
      text: t("notifications.mailBody", { title, excerpt: markdownToText(pick(row.bodyJa, row.bodyEn), 300), url: link, settings: `${base}/notifications` }),
      link,
    };
  }
  const { detail } = row;
  if (isCouponNotice(row.kind)) {
    const vars = { offering: pick(detail.offeringNameJa, detail.offeringNameEn), line: couponNoticeLine(row.kind, detail, t, row.locale), url: link };
    return {
      to: row.email,
      subject: t(`notices.mail.${row.kind}.subject`, vars),
      text: `${t(`notices.mail.${row.kind}.body`, vars)}${t("notices.mail.footer", { notifications: `${base}/notifications` })}`,
      link,
    };
  }
  if (isHolderNotice(row.kind)) {
    const vars = { ...holderMailVars(detail, row.locale), line: holderNoticeLine(row.kind, detail, t, row.locale), url: link };
    return {
      to: row.email,
      subject: t(`notices.mail.${row.kind}.subject`, vars),
      text: `${t(`notices.mail.${row.kind}.body`, vars)}${t("notices.mail.footer", { notifications: `${base}/notifications` })}`,
      link,
    };
  }
  const vars = {
    offering: pick(detail.offeringNameJa, detail.offeringNameEn),
    seq: row.orderSeq ?? "",
    units: t("orders.units", { count: detail.units ?? 0 }),
    amount: formatYen(detail.amountYen ?? 0),
    reason: detail.reason ?? "",
    txUrl: detail.explorerUrl ? absolute(base, detail.explorerUrl) : (detail.txHash ?? ""),
    url: link,
  };
  return {
    to: row.email,
    subject: t(`notices.mail.${row.kind}.subject`, vars),
    text: `${t(`notices.mail.${row.kind}.body`, vars)}${t("notices.mail.footer", { notifications: `${base}/notifications` })}`,
    link,
  };
}

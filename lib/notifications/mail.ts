import type { NoticeDetail, NoticeKind } from "@/db/schema";
import type { OutgoingMail } from "@/lib/mail";
import { translator, type Locale } from "@/lib/i18n/catalog";
import { formatYen } from "@/lib/i18n/format";
import { markdownToText } from "@/lib/markdown/render";

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
export function noticePath(notice: { kind: NoticeKind; orderId: string | null; updateId: string | null; slug: string | null }): string {
  if (notice.kind === "update") return `/projects/${notice.slug}#update-${notice.updateId}`;
  if (notice.kind === "identity_approved") return "/account";
  if (notice.kind === "identity_rejected") return "/onboarding/identity";
  return `/orders/${notice.orderId}`;
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

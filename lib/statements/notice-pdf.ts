import "server-only";
import { percentOfBp } from "@/lib/bonds/term-sheet";
import { translator, type Locale, type Messages, type Translate } from "@/lib/i18n/catalog";
import { formatNumber, formatYen } from "@/lib/i18n/format";
import { localized } from "@/lib/i18n/localized";
import { tokyoDate } from "@/lib/projects/dates";
import { formatCalendarDate } from "@/lib/i18n/format";
import { statusText } from "./format";
import type { Notice } from "./notice";
import { footers, note, startDocument, table } from "./pdf-parts";

export type NoticeLine = { label: string; value: string; emphasis?: boolean };

/** The notice's label/value lines in the reader's language: what the PDF prints, testable without parsing it. */
export function noticeLines(notice: Notice, t: Translate, locale: Locale): NoticeLine[] {
  const k = (key: Exclude<keyof Messages["statements"]["noticePdf"], "statuses">) => t(`statements.noticePdf.${key}`);
  const date = (value: string) => formatCalendarDate(value, locale);
  const lines: NoticeLine[] = [
    { label: k("issuer"), value: localized(notice.issuer, "name", locale) },
    { label: k("bond"), value: localized(notice.offering, "name", locale) },
    {
      label: k("paymentNumber"),
      value:
        notice.runKind === "final" ? `${t("statements.paymentNumber", { number: notice.paymentNumber })} ${t("statements.final")}` : t("statements.paymentNumber", { number: notice.paymentNumber }),
    },
    { label: k("paymentDate"), value: date(notice.paymentDate) },
  ];
  if (notice.dueDate) lines.push({ label: k("dueDate"), value: date(notice.dueDate) });
  if (notice.period) lines.push({ label: k("period"), value: t("statements.noticePdf.periodValue", { from: date(notice.period.from), to: date(notice.period.to), days: notice.period.days }) });
  if (notice.couponRateBp !== null) lines.push({ label: k("rate"), value: t("statements.noticePdf.rateValue", { rate: percentOfBp(notice.couponRateBp) }) });
  lines.push({ label: k("units"), value: t("statements.units", { count: formatNumber(notice.units, locale) }) });
  if (notice.faceValueYen !== null) lines.push({ label: k("faceValue"), value: formatYen(notice.units * notice.faceValueYen) });
  lines.push(
    { label: k("gross"), value: formatYen(notice.grossYen) },
    { label: k("nationalTax"), value: formatYen(notice.nationalTaxYen) },
    { label: k("localTax"), value: formatYen(notice.localTaxYen) },
    { label: k("net"), value: formatYen(notice.netYen), emphasis: notice.principalYen === 0 },
  );
  if (notice.principalYen > 0) {
    lines.push({ label: k("principal"), value: formatYen(notice.principalYen) }, { label: k("total"), value: formatYen(notice.netYen + notice.principalYen), emphasis: true });
  }
  const account = notice.account;
  lines.push(
    {
      label: k("transferTo"),
      value: account
        ? `${account.bankName} (${account.bankCode}) ${account.branchName} (${account.branchCode}) ${t(`payouts.accountTypes.${account.accountType}`)} ${account.maskedNumber}`
        : k("noAccount"),
    },
    { label: k("status"), value: statusText(notice.status, t, locale, "statements.noticePdf.statuses") },
  );
  return lines;
}

/** The payment notice (支払通知書) as a one-page PDF, in Japanese unless `locale` says otherwise. */
export function noticePdf(notice: Notice, locale: Locale = "ja", issuedAt = new Date()): Promise<Buffer> {
  const t = translator(locale);
  const title = t("statements.noticePdf.title");
  const { doc, done, width } = startDocument(locale, { title: `${title}: ${localized(notice.offering, "name", locale)}`, author: localized(notice.issuer, "name", locale) });

  doc
    .font("regular")
    .fontSize(9.5)
    .text(`${t("statements.noticePdf.issuedOn")}: ${formatCalendarDate(tokyoDate(issuedAt), locale)}`, { align: "right" });
  doc.moveDown(0.5);
  if (notice.holder.postalCode) doc.text(`〒${notice.holder.postalCode}`);
  if (notice.holder.address) doc.text(notice.holder.address);
  doc
    .font("bold")
    .fontSize(12)
    .text(t("statements.noticePdf.recipient", { name: notice.holder.name }));
  doc.moveDown(1.2);
  doc.font("bold").fontSize(18).text(title, { align: "center" });
  doc.moveDown(0.4);
  doc
    .font("regular")
    .fontSize(10)
    .text(localized(notice.issuer, "name", locale), { align: "right" });
  doc.moveDown(0.6);
  doc.fontSize(10).text(t("statements.noticePdf.lead"));
  doc.moveDown(0.6);
  const labelWidth = 210;
  table(
    doc,
    noticeLines(notice, t, locale).map((line) => ({
      bold: line.emphasis,
      cells: [
        { text: line.label, width: labelWidth },
        { text: line.value, width: width - labelWidth, align: /^-?¥/.test(line.value) ? "right" : "left" },
      ],
    })),
    10,
  );
  doc.moveDown(1);
  note(doc, t("statements.noticePdf.note"));
  footers(doc, () => `${title} · ${localized(notice.offering, "name", locale)}`);
  doc.end();
  return done;
}

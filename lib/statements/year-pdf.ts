import "server-only";
import { translator, type Locale, type Messages } from "@/lib/i18n/catalog";
import { formatNumber, formatYen } from "@/lib/i18n/format";
import { localized } from "@/lib/i18n/localized";
import { tokyoDate } from "@/lib/projects/dates";
import { formatCalendarDate } from "@/lib/i18n/format";
import { type Cell, footers, heading, note, type Row, startDocument, table } from "./pdf-parts";
import type { YearStatement } from "./year-statement";

/** The year's statement as a PDF, in Japanese unless `locale` says otherwise; the figures are the CSV's. */
export function yearPdf(statement: YearStatement, locale: Locale = "ja", issuedAt = new Date()): Promise<Buffer> {
  const t = translator(locale);
  const k = (key: Exclude<keyof Messages["statements"]["yearPdf"], "period" | "holdings" | "page">) => t(`statements.yearPdf.${key}`);
  const title = `${k("title")} ${t("statements.years.year", { year: statement.year })}`;
  const { doc, done, width } = startDocument(locale, { title, author: statement.holder.name });
  const name = (row: { nameJa: string; nameEn: string }) => localized(row, "name", locale);
  const date = (value: string) => formatCalendarDate(value, locale);
  const yen = (value: number, cellWidth: number): Cell => ({ text: formatYen(value), width: cellWidth, align: "right" });
  const units = (value: number, cellWidth: number): Cell => ({ text: formatNumber(value, locale), width: cellWidth, align: "right" });
  const head = (labels: [string, number, ("left" | "right")?][]): Row => ({ bold: true, cells: labels.map(([text, cellWidth, align]) => ({ text, width: cellWidth, align })) });
  const none = () => note(doc, k("none"));

  doc.font("bold").fontSize(18).text(title);
  doc.moveDown(0.6);
  table(doc, [
    {
      cells: [
        { text: k("holder"), width: 110 },
        { text: [statement.holder.name, statement.holder.postalCode ? `〒${statement.holder.postalCode}` : "", statement.holder.address].filter(Boolean).join("  "), width: width - 110 },
      ],
    },
    {
      cells: [
        { text: k("periodLabel"), width: 110 },
        { text: t("statements.yearPdf.period", { year: statement.year }), width: width - 110 },
      ],
    },
    {
      cells: [
        { text: k("issuedOn"), width: 110 },
        { text: date(tokyoDate(issuedAt)), width: width - 110 },
      ],
    },
  ]);

  const D = 84;
  const U = 50;
  const Y = 80;
  heading(doc, k("purchases"));
  if (statement.purchases.length === 0) none();
  else
    table(doc, [
      head([
        [k("date"), D],
        [k("offering"), width - D - U - Y],
        [k("units"), U, "right"],
        [k("amount"), Y, "right"],
      ]),
      ...statement.purchases.map((row) => ({ cells: [{ text: date(row.date), width: D }, { text: name(row), width: width - D - U - Y }, units(row.units, U), yen(row.yen, Y)] })),
      { bold: true, cells: [{ text: k("total"), width: width - Y }, yen(statement.totals.purchasesYen, Y)] },
    ]);

  heading(doc, k("refunds"));
  if (statement.refunds.length === 0) none();
  else
    table(doc, [
      head([
        [k("date"), D],
        [k("offering"), width - D - Y],
        [k("amount"), Y, "right"],
      ]),
      ...statement.refunds.map((row) => ({ cells: [{ text: date(row.date), width: D }, { text: name(row), width: width - D - Y }, yen(row.yen, Y)] })),
      { bold: true, cells: [{ text: k("total"), width: width - Y }, yen(statement.totals.refundsYen, Y)] },
    ]);

  heading(doc, k("coupons"), 90);
  if (statement.coupons.length === 0) none();
  else {
    const M = 66;
    const O = width - D - U - M * 4;
    table(
      doc,
      [
        head([
          [k("date"), D],
          [k("offering"), O],
          [k("units"), U, "right"],
          [t("statements.csv.gross"), M, "right"],
          [t("statements.csv.nationalTax"), M, "right"],
          [t("statements.csv.localTax"), M, "right"],
          [t("statements.csv.net"), M, "right"],
        ]),
        ...statement.coupons.map((row) => ({
          cells: [
            { text: date(row.date), width: D },
            { text: name(row), width: O },
            units(row.units, U),
            yen(row.grossYen, M),
            yen(row.nationalTaxYen, M),
            yen(row.localTaxYen, M),
            yen(row.netYen, M),
          ],
        })),
        {
          bold: true,
          cells: [
            { text: k("total"), width: D + O + U },
            yen(statement.totals.grossYen, M),
            yen(statement.totals.nationalTaxYen, M),
            yen(statement.totals.localTaxYen, M),
            yen(statement.totals.netYen, M),
          ],
        },
      ],
      8.5,
    );
  }

  heading(doc, k("redemptions"));
  if (statement.redemptions.length === 0) none();
  else
    table(doc, [
      head([
        [k("date"), D],
        [k("offering"), width - D - U - Y],
        [k("units"), U, "right"],
        [t("statements.principal"), Y, "right"],
      ]),
      ...statement.redemptions.map((row) => ({ cells: [{ text: date(row.date), width: D }, { text: name(row), width: width - D - U - Y }, units(row.units, U), yen(row.principalYen, Y)] })),
      { bold: true, cells: [{ text: k("total"), width: width - Y }, yen(statement.totals.principalYen, Y)] },
    ]);

  heading(doc, t("statements.yearPdf.holdings", { date: date(`${statement.year}-12-31`) }));
  if (statement.holdings.length === 0) none();
  else
    table(doc, [
      head([
        [k("offering"), width - U - Y],
        [k("units"), U, "right"],
        [k("faceValue"), Y, "right"],
      ]),
      ...statement.holdings.map((row) => ({
        cells: [{ text: name(row), width: width - U - Y }, units(row.units, U), row.faceValueYen === null ? { text: "", width: Y } : yen(row.faceValueYen, Y)],
      })),
    ]);

  doc.moveDown(1);
  note(doc, k("note"));
  footers(doc, (page, pages) => `${title} · ${t("statements.yearPdf.page", { page, pages })}`);
  doc.end();
  return done;
}

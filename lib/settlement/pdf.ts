import "server-only";
import PDFDocument from "pdfkit";
import { translator, type Locale } from "@/lib/i18n/catalog";
import { formatYen } from "@/lib/i18n/format";
import { localized } from "@/lib/i18n/localized";
import { loadFonts } from "@/lib/pdf/fonts";
import type { Figures } from "./figures";
import { figureLines, formatValue, headerLines, invariantLines, receiptNotes, reconciliationText, type ReportMeta } from "./present";

const A4 = { margin: 48 };
const GREY = "#57534e";

type Cell = { text: string; width: number; align?: "left" | "right" };

/** Draws rows of cells, starting a new page when the next row would not fit. */
function table(doc: PDFKit.PDFDocument, rows: { cells: Cell[]; bold?: boolean; rule?: boolean }[]) {
  const left = doc.page.margins.left;
  for (const row of rows) {
    doc.font(row.bold ? "bold" : "regular").fontSize(9.5);
    const height = Math.max(...row.cells.map((cell) => doc.heightOfString(cell.text, { width: cell.width - 6 }))) + 4;
    if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage();
    const top = doc.y;
    let x = left;
    for (const cell of row.cells) {
      doc.text(cell.text, x + 3, top + 2, { width: cell.width - 6, align: cell.align ?? "left" });
      x += cell.width;
    }
    doc.y = top + height;
    if (row.rule !== false) {
      doc.moveTo(left, doc.y).lineTo(x, doc.y).lineWidth(0.4).strokeColor("#d6d3d1").stroke();
    }
  }
  doc.x = left;
}

/** A section heading, on a new page when the section's first lines (`keep` points) would not fit under it. */
function heading(doc: PDFKit.PDFDocument, text: string, keep = 60) {
  doc.moveDown(0.8);
  if (doc.y + keep > doc.page.height - doc.page.margins.bottom) doc.addPage();
  doc.font("bold").fontSize(12).fillColor("black").text(text, doc.page.margins.left);
  doc.moveDown(0.3);
}

function note(doc: PDFKit.PDFDocument, text: string) {
  doc
    .font("regular")
    .fontSize(8.5)
    .fillColor(GREY)
    .text(text, doc.page.margins.left, doc.y, { width: doc.page.width - doc.page.margins.left - doc.page.margins.right });
  doc.fillColor("black");
}

/** Renders one version of the report in the given language; resolves with the whole file. */
export function reportPdf(f: Figures, meta: ReportMeta, locale: Locale): Promise<Buffer> {
  const t = translator(locale);
  const { regular, bold } = loadFonts();
  const title = `${t("settlement.title")}: ${localized(f.offering, "name", locale)}`;
  const doc = new PDFDocument({
    size: "A4",
    margin: A4.margin,
    bufferPages: true,
    lang: locale === "ja" ? "ja-JP" : "en-GB",
    displayTitle: true,
    info: { Title: title, Author: localized(f.issuer, "name", locale), Subject: t("settlement.versionValue", { version: meta.version }), CreationDate: meta.createdAt },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  doc.registerFont("regular", regular);
  doc.registerFont("bold", bold);
  const width = doc.page.width - A4.margin * 2;

  doc.font("bold").fontSize(18).text(t("settlement.title"));
  doc
    .font("regular")
    .fontSize(11)
    .fillColor(GREY)
    .text(`${localized(f.issuer, "name", locale)} · ${localized(f.offering, "name", locale)} · ${t("settlement.versionValue", { version: meta.version })}`);
  doc.fillColor("black").moveDown(0.8);
  table(
    doc,
    headerLines(f, meta, t, locale).map((line) => ({
      cells: [
        { text: line.label, width: 130 },
        { text: line.value, width: width - 130 },
      ],
    })),
  );

  heading(doc, t("settlement.figures"));
  table(
    doc,
    figureLines(f, t).map((line) => ({
      bold: line.emphasis,
      cells: [
        { text: line.label, width: width - 160 },
        { text: formatValue(line.value, line.kind, t, locale), width: 160, align: "right" },
      ],
    })),
  );
  doc.moveDown(0.3);
  note(doc, t("settlement.feesNote"));
  for (const line of receiptNotes(f, t)) note(doc, line);

  heading(doc, t("settlement.invariants.title"));
  table(
    doc,
    invariantLines(f, t).map((line) => ({
      cells: [
        { text: line.label, width: width - 160 },
        { text: line.result, width: 160, align: "right" },
      ],
    })),
  );
  heading(doc, t("settlement.reconciliation.title"));
  doc
    .font("regular")
    .fontSize(9.5)
    .text(reconciliationText(f, t, locale), { width });

  heading(doc, t("settlement.projects.title"), 130);
  note(doc, t("settlement.projects.lead"));
  doc.moveDown(0.3);
  const money = 82;
  const nameWidth = width - money * 4;
  const p = (key: "project" | "budget" | "allocated" | "spent" | "remaining") => t(`settlement.projects.${key}`);
  const yenCell = (value: number | null): Cell => ({ text: value === null ? "" : formatYen(value), width: money, align: "right" });
  table(doc, [
    {
      bold: true,
      cells: [{ text: p("project"), width: nameWidth }, ...(["budget", "allocated", "spent", "remaining"] as const).map((key) => ({ text: p(key), width: money, align: "right" as const }))],
    },
    ...f.projects.map((project) => ({
      cells: [{ text: localized(project, "title", locale), width: nameWidth }, yenCell(project.budgetYen), yenCell(project.allocatedYen), yenCell(project.spentYen), yenCell(project.remainingYen)],
    })),
    { cells: [{ text: t("settlement.projects.unallocated"), width: nameWidth }, yenCell(null), yenCell(f.unallocatedYen), yenCell(null), yenCell(null)] },
  ]);
  if (f.projects.length === 0) note(doc, t("settlement.projects.none"));

  doc.moveDown(1.2);
  note(doc, t("settlement.pdf.frozen"));

  // Page numbers, once every page exists.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font("regular")
      .fontSize(8)
      .fillColor(GREY)
      .text(`${title} · ${t("settlement.pdf.page", { page: i + 1, pages: range.count })}`, A4.margin, doc.page.height - 32, { width, align: "center" });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}

import "server-only";
import PDFDocument from "pdfkit";
import type { Locale } from "@/lib/i18n/catalog";
import { loadFonts } from "@/lib/pdf/fonts";

/** Drawing helpers the payment notice and the year's statement share (A4, Noto Sans JP). */

const MARGIN = 48;
const GREY = "#57534e";

export type Cell = { text: string; width: number; align?: "left" | "right" };
export type Row = { cells: Cell[]; bold?: boolean; rule?: boolean };

/** A new A4 document with the Japanese fonts registered as "regular" and "bold"; `done` resolves with the file. */
export function startDocument(locale: Locale, info: { title: string; author: string }) {
  const { regular, bold } = loadFonts();
  const doc = new PDFDocument({ size: "A4", margin: MARGIN, bufferPages: true, lang: locale === "ja" ? "ja-JP" : "en-GB", displayTitle: true, info: { Title: info.title, Author: info.author } });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  doc.registerFont("regular", regular);
  doc.registerFont("bold", bold);
  doc.font("regular");
  return { doc, done, width: doc.page.width - MARGIN * 2 };
}

/** Draws rows of cells, starting a new page when the next row would not fit. */
export function table(doc: PDFKit.PDFDocument, rows: Row[], fontSize = 9.5) {
  const left = doc.page.margins.left;
  for (const row of rows) {
    doc.font(row.bold ? "bold" : "regular").fontSize(fontSize);
    const height = Math.max(...row.cells.map((cell) => doc.heightOfString(cell.text || " ", { width: cell.width - 6 }))) + 5;
    if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage();
    const top = doc.y;
    let x = left;
    for (const cell of row.cells) {
      doc.text(cell.text, x + 3, top + 2.5, { width: cell.width - 6, align: cell.align ?? "left" });
      x += cell.width;
    }
    doc.y = top + height;
    if (row.rule !== false) doc.moveTo(left, doc.y).lineTo(x, doc.y).lineWidth(0.4).strokeColor("#d6d3d1").stroke();
  }
  doc.x = left;
}

/** A section heading, on a new page when the section's first lines (`keep` points) would not fit under it. */
export function heading(doc: PDFKit.PDFDocument, text: string, keep = 60) {
  doc.moveDown(0.8);
  if (doc.y + keep > doc.page.height - doc.page.margins.bottom) doc.addPage();
  doc.font("bold").fontSize(11.5).fillColor("black").text(text, doc.page.margins.left);
  doc.moveDown(0.3);
}

export function note(doc: PDFKit.PDFDocument, text: string) {
  doc
    .font("regular")
    .fontSize(8.5)
    .fillColor(GREY)
    .text(text, doc.page.margins.left, doc.y, { width: doc.page.width - doc.page.margins.left - doc.page.margins.right });
  doc.fillColor("black");
}

/** Footer text on every page, once every page exists. */
export function footers(doc: PDFKit.PDFDocument, text: (page: number, pages: number) => string) {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font("regular")
      .fontSize(8)
      .fillColor(GREY)
      .text(text(i + 1, range.count), MARGIN, doc.page.height - 32, { width: doc.page.width - MARGIN * 2, align: "center" });
    doc.page.margins.bottom = bottom;
  }
}

/** CSV for Excel in Japan: UTF-8 with a byte-order mark, CRLF line ends, RFC 4180 quoting. */

const BOM = "\uFEFF";

/**
 * A text cell that starts like a formula is prefixed with an apostrophe, so a name such as
 * "=HYPERLINK(...)" is shown, not run, when staff open the file in a spreadsheet.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: (string | number | null | undefined)[][]): string {
  return `${BOM + rows.map((row) => row.map(csvCell).join(",")).join("\r\n")}\r\n`;
}

import type { Locale, Translate } from "@/lib/i18n/catalog";
import { formatCalendarDate } from "@/lib/i18n/format";
import type { IncomeStatus } from "./queries";

/** The status of an amount in plain words; `prefix` picks the history's or the notice's wording. */
export function statusText(status: IncomeStatus, t: Translate, locale: Locale, prefix: "statements.status" | "statements.noticePdf.statuses"): string {
  switch (status.kind) {
    case "paid":
      return t(`${prefix}.paid`, { date: formatCalendarDate(status.on, locale) });
    case "in_file":
      return t(`${prefix}.inFile`);
    case "waiting_account":
      return t(`${prefix}.waitingAccount`);
    case "failed":
      return t(`${prefix}.failed`);
    case "carried":
      return status.into ? t(`${prefix}.carried`, { date: formatCalendarDate(status.into, locale) }) : t(`${prefix}.carriedLater`);
  }
}

/** A file name from any text: only ASCII letters, digits, dot, dash and underscore survive, the extension kept. */
function safeFileName(name: string): string {
  const dot = name.lastIndexOf(".");
  const base =
    (dot > 0 ? name.slice(0, dot) : name)
      .replace(/[^A-Za-z0-9_-]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 80) || "file";
  const extension = dot > 0 ? name.slice(dot + 1).replace(/[^A-Za-z0-9]/g, "") : "";
  return extension ? `${base}.${extension}` : base;
}

/** Response headers for a private download. */
export function downloadHeaders(contentType: string, fileName: string): HeadersInit {
  return {
    "content-type": contentType,
    "content-disposition": `attachment; filename="${safeFileName(fileName)}"`,
    "cache-control": "private, no-store",
    "x-content-type-options": "nosniff",
  };
}

import type { Locale } from "./catalog";

export const TIME_ZONE = "Asia/Tokyo";

/** Integer yen as `¥1,000` (half-width yen sign in both locales; JPY has no minor unit). */
export function formatYen(yen: number): string {
  if (!Number.isInteger(yen)) throw new Error(`yen must be an integer, got ${yen}`);
  const digits = Math.abs(yen).toLocaleString("en-US");
  return yen < 0 ? `-¥${digits}` : `¥${digits}`;
}

export function formatNumber(value: number, locale: Locale): string {
  return value.toLocaleString(locale === "ja" ? "ja-JP" : "en-US");
}

/** A calendar date in Tokyo: `2026年11月22日` or `22 Nov 2026`. */
export function formatDate(date: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === "ja" ? "ja-JP" : "en-GB", {
    timeZone: TIME_ZONE,
    year: "numeric",
    month: locale === "ja" ? "long" : "short",
    day: "numeric",
  }).format(date);
}

/** Date and time in Tokyo, with the zone named so nobody reads it as their own. */
/** A calendar date 'YYYY-MM-DD' (Tokyo) as the reader writes it: 2026年6月22日 or 22 Jun 2026. */
export function formatCalendarDate(date: string, locale: Locale): string {
  return formatDate(new Date(`${date}T12:00:00+09:00`), locale);
}

export function formatDateTime(date: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === "ja" ? "ja-JP" : "en-GB", {
    timeZone: TIME_ZONE,
    year: "numeric",
    month: locale === "ja" ? "long" : "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
    timeZoneName: "short",
  }).format(date);
}

/** Whole percent of part in total, floored, so 99.6% never shows as 100%. */
export function percentOf(part: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(100, Math.floor((part / total) * 100));
}

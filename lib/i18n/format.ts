import type { Locale } from "./catalog";

export const TIME_ZONE = "Asia/Tokyo";

const YEN_DIGITS = new Intl.NumberFormat("en-US");

/** Integer yen as `¥1,000` (half-width yen sign in both locales; JPY has no minor unit). */
export function formatYen(yen: number): string {
  if (!Number.isInteger(yen)) throw new Error(`yen must be an integer, got ${yen}`);
  const digits = YEN_DIGITS.format(Math.abs(yen));
  return yen < 0 ? `-¥${digits}` : `¥${digits}`;
}

// One formatter per locale, made once: building an Intl formatter costs more than formatting with it.
const NUMBER: Record<Locale, Intl.NumberFormat> = { ja: new Intl.NumberFormat("ja-JP"), en: new Intl.NumberFormat("en-US") };

export function formatNumber(value: number, locale: Locale): string {
  return NUMBER[locale].format(value);
}

const dateFormat = (locale: Locale, withTime: boolean) =>
  new Intl.DateTimeFormat(locale === "ja" ? "ja-JP" : "en-GB", {
    timeZone: TIME_ZONE,
    year: "numeric",
    month: locale === "ja" ? "long" : "short",
    day: "numeric",
    ...(withTime ? { hour: "2-digit", minute: "2-digit", hour12: false, timeZoneName: "short" } : {}),
  });

const DATE: Record<Locale, Intl.DateTimeFormat> = { ja: dateFormat("ja", false), en: dateFormat("en", false) };
const DATE_TIME: Record<Locale, Intl.DateTimeFormat> = { ja: dateFormat("ja", true), en: dateFormat("en", true) };

/** A calendar date in Tokyo: `2026年11月22日` or `22 Nov 2026`. */
export function formatDate(date: Date, locale: Locale): string {
  return DATE[locale].format(date);
}

/** A calendar date 'YYYY-MM-DD' (Tokyo) as the reader writes it: 2026年6月22日 or 22 Jun 2026. */
export function formatCalendarDate(date: string, locale: Locale): string {
  return formatDate(new Date(`${date}T12:00:00+09:00`), locale);
}

/** Date and time in Tokyo, with the zone named so nobody reads it as their own. */
export function formatDateTime(date: Date, locale: Locale): string {
  return DATE_TIME[locale].format(date);
}

/** Whole percent of part in total, floored, so 99.6% never shows as 100%. */
export function percentOf(part: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(100, Math.floor((part / total) * 100));
}

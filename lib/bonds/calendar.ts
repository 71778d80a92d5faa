import holidayJp from "@holiday-jp/holiday_jp";

/**
 * Bank business days in Japan on plain calendar dates (YYYY-MM-DD). Arithmetic goes through UTC
 * day numbers only, so the server's time zone never shifts a date.
 */

/** A calendar date as YYYY-MM-DD. */
export type IsoDate = string;

const HOLIDAYS: Readonly<Record<string, unknown>> = holidayJp.holidays;

/** The last year the holiday list covers: later dates cannot be checked, so terms may not reach past it. */
export const HOLIDAYS_KNOWN_UNTIL = `${Math.max(...Object.keys(HOLIDAYS).map((key) => Number(key.slice(0, 4))))}-12-31`;

const DAY_MS = 86_400_000;

function parts(date: IsoDate): [number, number, number] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new Error(`not a calendar date: ${date}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** Days since 1970-01-01. */
export function dayNumber(date: IsoDate): number {
  const [y, m, d] = parts(date);
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

function fromDayNumber(day: number): IsoDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function isValidDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  return fromDayNumber(dayNumber(date)) === date;
}

function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(dayNumber(date) + days);
}

/** The date `months` later on the same day, or the month's last day when it has fewer days; `endOfMonth` always takes the last day. */
export function addMonths(date: IsoDate, months: number, endOfMonth = false): IsoDate {
  const [y, m, d] = parts(date);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = endOfMonth ? lastDay : Math.min(d, lastDay);
  return `${String(year).padStart(4, "0")}-${String(month + 1).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

export function isLastDayOfMonth(date: IsoDate): boolean {
  return addDays(date, 1).slice(8) === "01";
}

/** Banks are closed on weekends, national holidays (substitute ones included) and 12/31–1/3. */
export function isBusinessDay(date: IsoDate): boolean {
  const weekday = new Date(dayNumber(date) * DAY_MS).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  if (Object.hasOwn(HOLIDAYS, date)) return false;
  const monthDay = date.slice(5);
  return !["12-31", "01-01", "01-02", "01-03"].includes(monthDay);
}

/** The date itself when it is a business day, otherwise the next one. */
export function nextBusinessDay(date: IsoDate): IsoDate {
  let day = date;
  while (!isBusinessDay(day)) day = addDays(day, 1);
  return day;
}

/** The business day `n` business days before `date` (n = 0: `date` itself, moved to a business day). */
export function businessDaysBefore(date: IsoDate, n: number): IsoDate {
  if (n === 0) return nextBusinessDay(date);
  let day = date;
  for (let left = n; left > 0; ) {
    day = addDays(day, -1);
    if (isBusinessDay(day)) left -= 1;
  }
  return day;
}

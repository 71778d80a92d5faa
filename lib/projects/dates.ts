import { TIME_ZONE } from "@/lib/i18n/format";

/** Calendar dates and wall-clock times as people in the village mean them: in Asia/Tokyo (UTC+9, no DST). */

const DATE_INPUT = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME_INPUT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

function valid(date: Date): Date | null {
  return Number.isNaN(date.getTime()) ? null : date;
}

/** `2026-11-22` → the instant that day starts in Tokyo. */
export function tokyoDayStart(value: string): Date | null {
  if (!DATE_INPUT.test(value)) return null;
  const date = valid(new Date(`${value}T00:00:00+09:00`));
  return date && tokyoDate(date) === value ? date : null;
}

/** `2026-11-22T18:30` (a datetime-local input) → that instant in Tokyo. */
export function tokyoDateTime(value: string): Date | null {
  if (!DATETIME_INPUT.test(value)) return null;
  const date = valid(new Date(`${value}:00+09:00`));
  return date && tokyoDate(date) === value.slice(0, 10) ? date : null;
}

/** The Tokyo calendar date of an instant, as `YYYY-MM-DD`. */
export function tokyoDate(date: Date): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" }).format(date);
}

/** The Tokyo wall-clock time of an instant, as a datetime-local value `YYYY-MM-DDTHH:mm`. */
export function tokyoDateTimeInput(date: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", { timeZone: TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

import { tokyoDate } from "@/lib/projects/dates";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Tokyo has no daylight saving: its midnight is 15:00 UTC of the day before. */
const TOKYO_OFFSET_MS = 9 * 60 * 60 * 1000;

/**
 * The moment the cooling-off right ends: the start of the Tokyo day after its last day, the day of
 * the application counting as day 1 (so 8 days from 1 December end as 9 December begins). Null: none.
 */
export function coolingOffEndsAt(appliedAt: Date, days: number): Date | null {
  if (!Number.isInteger(days) || days <= 0) return null;
  const [y, m, d] = tokyoDate(appliedAt).split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days) - TOKYO_OFFSET_MS);
}

/** The last Tokyo calendar day of the right ('YYYY-MM-DD'), for "until the end of …" texts. */
export function coolingOffLastDay(endsAt: Date): string {
  return tokyoDate(new Date(endsAt.getTime() - DAY_MS));
}

import type { DeferredMethod, Offering } from "@/db/schema";
import { tokyoDate } from "@/lib/projects/dates";

/** Stripe lets a konbini voucher live 1 to 60 days; the portal asks for 3 (Stripe's default). */
export const KONBINI_DAYS = 3;
/** What one konbini payment may be (Stripe's limits for konbini in yen). */
export const KONBINI_MIN_YEN = 120;
export const KONBINI_MAX_YEN = 300_000;
/** How long the portal waits for a bank transfer (the processor's instructions have no end of their own). */
export const BANK_TRANSFER_DAYS = 7;
/** A deferred payment needs at least this long before the sale closes, or the buyer could not pay in time. */
const MIN_HOURS_BEFORE_CLOSE = 24;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Tokyo has no daylight saving: its midnight is 15:00 UTC of the day before. */
const TOKYO_OFFSET_MS = 9 * 60 * 60 * 1000;

/**
 * The longest konbini voucher (in days) that ends before the sale closes: a voucher of N days ends
 * at 23:59:59 Tokyo time N days after today, so only whole Tokyo days from tomorrow on count.
 */
export function konbiniDaysBeforeClose(now: Date, closesAt: Date): number {
  const [y, m, d] = tokyoDate(now).split("-").map(Number) as [number, number, number];
  const tomorrowStarts = Date.UTC(y, m - 1, d + 1) - TOKYO_OFFSET_MS;
  return Math.floor((closesAt.getTime() - tomorrowStarts) / DAY_MS);
}

/** The pay-later methods this offering accepts now: enabled by its staff, and the sale open long enough. */
export function deferredMethodsOf(offering: Pick<Offering, "konbiniEnabled" | "bankTransferEnabled" | "closesAt">, now = new Date()): DeferredMethod[] {
  if (offering.closesAt.getTime() - now.getTime() < MIN_HOURS_BEFORE_CLOSE * 60 * 60 * 1000) return [];
  const methods: DeferredMethod[] = [];
  // Not even a one-day voucher ends before the close: the sale would end (and cancel it) while it still said "pay by".
  if (offering.konbiniEnabled && konbiniDaysBeforeClose(now, offering.closesAt) >= 1) methods.push("konbini");
  if (offering.bankTransferEnabled) methods.push("bank_transfer");
  return methods;
}

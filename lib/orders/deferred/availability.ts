import type { DeferredMethod, Offering } from "@/db/schema";

/** Stripe lets a konbini voucher live 1 to 60 days; the portal asks for 3 (Stripe's default). */
export const KONBINI_DAYS = 3;
/** What one konbini payment may be (Stripe's limits for konbini in yen). */
export const KONBINI_MIN_YEN = 120;
export const KONBINI_MAX_YEN = 300_000;
/** How long the portal waits for a bank transfer (the processor's instructions have no end of their own). */
export const BANK_TRANSFER_DAYS = 7;
/** A deferred payment needs at least this long before the sale closes, or the buyer could not pay in time. */
const MIN_HOURS_BEFORE_CLOSE = 24;

/** The pay-later methods this offering accepts now: enabled by its staff, and the sale open long enough. */
export function deferredMethodsOf(offering: Pick<Offering, "konbiniEnabled" | "bankTransferEnabled" | "closesAt">, now = new Date()): DeferredMethod[] {
  if (offering.closesAt.getTime() - now.getTime() < MIN_HOURS_BEFORE_CLOSE * 60 * 60 * 1000) return [];
  const methods: DeferredMethod[] = [];
  if (offering.konbiniEnabled) methods.push("konbini");
  if (offering.bankTransferEnabled) methods.push("bank_transfer");
  return methods;
}

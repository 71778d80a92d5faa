import { DEFERRED_METHODS, type DeferredMethod, type PaymentInstructions } from "@/db/schema";
import { BANK_TRANSFER_DAYS, KONBINI_DAYS, konbiniDaysBeforeClose } from "./availability";

/** How long a konbini voucher or a bank transfer runs, and how long its order's units are held. No server code: pages may import it. */

const DAY_MS = 24 * 60 * 60 * 1000;
/** The units stay held a little past the instruction's end, for the processor's last event to arrive. */
const DEFERRED_GRACE_MS = 15 * 60 * 1000;
/** How far a staff top-up request moves the deadline of an underpaid transfer. */
const TOPUP_DAYS = 3;

/** The processor may be briefly unreachable: the cancel job is retried with backoff (and swept). */
export const CANCEL_JOB_OPTIONS = { retryLimit: 10, retryDelay: 30, retryBackoff: true } as const;

export function isDeferredMethod(method: string | null | undefined): method is DeferredMethod {
  return (DEFERRED_METHODS as readonly string[]).includes(method ?? "");
}

/**
 * The voucher's days: Stripe ends it at 23:59:59 Tokyo time that many days after today, so it may
 * run only for whole Tokyo days before the sale closes (at least 1, at most KONBINI_DAYS).
 */
export function konbiniDays(now: Date, closesAt: Date): number {
  return Math.max(1, Math.min(KONBINI_DAYS, konbiniDaysBeforeClose(now, closesAt)));
}

/** The portal's deadline for a bank transfer: BANK_TRANSFER_DAYS, never past the sale's close. */
export function bankTransferDeadline(now: Date, closesAt: Date): Date {
  return new Date(Math.min(now.getTime() + BANK_TRANSFER_DAYS * DAY_MS, closesAt.getTime()));
}

/** Until when the order holds its units: the instruction's end and the grace. */
export function reservationEndOf(instructions: Pick<PaymentInstructions, "expiresAt">): Date {
  return new Date(new Date(instructions.expiresAt).getTime() + DEFERRED_GRACE_MS);
}

/** The top-up's new deadline: TOPUP_DAYS past the current one (or now, if later), never past the sale's close. */
export function topUpDeadline(current: Date, now: Date, closesAt: Date): Date {
  const from = Math.max(current.getTime(), now.getTime());
  return new Date(Math.min(from + TOPUP_DAYS * DAY_MS, closesAt.getTime()));
}

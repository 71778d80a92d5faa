/**
 * The purchase rules' refusals, each saying what applies. reserve_order (migration 0022) checks
 * them in this order, in the reservation's one round trip: status, window, order size, yearly cap.
 */

export type PurchaseRefusal =
  | { error: "notOpen" }
  | { error: "notStarted"; opensAt: Date }
  | { error: "ended" }
  | { error: "belowMin"; min: number }
  | { error: "aboveMax"; max: number }
  | { error: "yearlyCap"; remainingYen: number };

/** Name of the database rule (a trigger on orders) that refuses yen past the yearly cap. */
export const YEARLY_CAP_CONSTRAINT = "investor_yearly_cap";

/** The calendar year in Tokyo that `at` falls in (Tokyo has no daylight saving). */
export function tokyoYear(at: Date): number {
  return new Date(at.getTime() + 9 * 3600_000).getUTCFullYear();
}

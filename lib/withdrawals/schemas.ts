import { z } from "zod";
import { msg } from "@/lib/i18n/keys";

/** Shared by the withdrawal forms (and the confirm step's query string) and the server actions. */

/** The most units one withdrawal (or one day's limit) may name. */
export const MAX_WITHDRAWAL_UNITS = 1_000_000;

const units = z.coerce
  .number({ error: msg("withdrawals.errors.units") })
  .int({ error: msg("withdrawals.errors.units") })
  .min(1, { error: msg("withdrawals.errors.units") })
  .max(MAX_WITHDRAWAL_UNITS, { error: msg("withdrawals.errors.unitsTooMany") });

/** What the investor chose: the token, the linked wallet and the units (the confirm step's query string carries these, nothing secret). */
export const withdrawalChoiceSchema = z.object({
  offeringId: z.uuid({ error: msg("errors.invalid") }),
  linkedWalletId: z.uuid({ error: msg("withdrawals.errors.chooseWallet") }),
  units,
});

/** The confirmed request: the choice and the random key the confirm step made, so a form sent twice is one withdrawal. */
export const withdrawalRequestSchema = withdrawalChoiceSchema.extend({
  requestKey: z.string({ error: msg("withdrawals.errors.requestKey") }).regex(/^[A-Za-z0-9_-]{16,64}$/, { error: msg("withdrawals.errors.requestKey") }),
});

export type WithdrawalChoice = z.output<typeof withdrawalChoiceSchema>;

/** Staff: an offering's daily limit per investor (0 turns withdrawals off). */
export const withdrawalLimitSchema = z.object({
  offeringId: z.uuid({ error: msg("errors.invalid") }),
  // Digits only: an empty field must not become 0 and turn withdrawals off unnoticed.
  withdrawalDailyLimitUnits: z
    .string({ error: msg("withdrawals.errors.limit") })
    .trim()
    .regex(/^\d{1,7}$/, { error: msg("withdrawals.errors.limit") })
    .transform(Number)
    .pipe(z.number().max(MAX_WITHDRAWAL_UNITS, { error: msg("withdrawals.errors.limit") })),
});

/** The confirm step of a choice: where "sign in again" comes back to, the choice kept in the query string. */
export function withdrawConfirmPath(choice: WithdrawalChoice): string {
  const query = new URLSearchParams({ offeringId: choice.offeringId, linkedWalletId: choice.linkedWalletId, units: String(choice.units), step: "confirm" });
  return `/account/wallets/withdraw?${query}`;
}

import { z } from "zod";
import { msg } from "@/lib/i18n/keys";
import { isKatakanaName, normaliseDigits, normaliseHolderName } from "./kana";

export const ACCOUNT_TYPES = ["ordinary", "current", "savings"] as const;

function digits(length: number, error: ReturnType<typeof msg>) {
  return z
    .string({ error })
    .transform(normaliseDigits)
    .pipe(z.string().regex(new RegExp(`^[0-9]{${length}}$`), { error }));
}

/** Shared by the payout account form and its action; messages are catalog keys. */
export const payoutAccountSchema = z.object({
  bankCode: digits(4, msg("payouts.errors.bankCode")),
  branchCode: digits(3, msg("payouts.errors.branchCode")),
  accountType: z.enum(ACCOUNT_TYPES, { error: msg("payouts.errors.accountType") }),
  accountNumber: digits(7, msg("payouts.errors.accountNumber")),
  holderNameKana: z
    .string({ error: msg("payouts.errors.holderNameKana") })
    .max(60, { error: msg("errors.tooLong") })
    .transform(normaliseHolderName)
    .refine(isKatakanaName, { error: msg("payouts.errors.holderNameKana") }),
});

export type PayoutAccountInput = z.output<typeof payoutAccountSchema>;

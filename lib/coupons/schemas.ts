import { z } from "zod";
import { msg } from "@/lib/i18n/keys";
import { normaliseDigits } from "@/lib/payouts/kana";
import { toZenginKana } from "./zengin-kana";

/** Shared by the staff coupon forms and their actions; messages are catalog keys. */

const id = z.uuid({ error: msg("errors.invalid") });
const reason = z
  .string({ error: msg("coupons.errors.reason") })
  .trim()
  .min(1, { error: msg("coupons.errors.reason") })
  .max(500, { error: msg("errors.tooLong") });

export const paymentNumberSchema = z.object({
  offeringId: id,
  paymentNumber: z.coerce
    .number({ error: msg("errors.invalid") })
    .int()
    .min(1)
    .max(480),
});
export const runSchema = z.object({ offeringId: id, runId: id });
export const cancelRunSchema = runSchema.extend({ reason });
export const paymentSchema = runSchema.extend({ paymentId: id });
export const failPaymentSchema = paymentSchema.extend({ reason });

function digits(length: number, error: ReturnType<typeof msg>) {
  return z
    .string({ error })
    .transform(normaliseDigits)
    .pipe(z.string().regex(new RegExp(`^[0-9]{${length}}$`), { error }));
}

/** 委託者名: at most 40 characters once in the file's half-width form. */
const REQUESTER_NAME_LENGTH = 40;

export const issuerSettingsSchema = z.object({
  offeringId: id,
  requesterCode: digits(10, msg("coupons.settings.errors.requesterCode")),
  requesterNameKana: z
    .string({ error: msg("coupons.settings.errors.requesterNameKana") })
    .trim()
    .min(1, { error: msg("coupons.settings.errors.requesterNameKana") })
    .max(80, { error: msg("errors.tooLong") })
    .refine((value) => toZenginKana(value).ok, { error: msg("coupons.settings.errors.requesterNameKana") })
    .refine(
      (value) => {
        const kana = toZenginKana(value);
        return kana.ok && kana.value.length <= REQUESTER_NAME_LENGTH;
      },
      { error: msg("coupons.settings.errors.requesterNameLength") },
    ),
  bankCode: digits(4, msg("payouts.errors.bankCode")),
  branchCode: digits(3, msg("payouts.errors.branchCode")),
  accountType: z.enum(["ordinary", "current"], { error: msg("payouts.errors.accountType") }),
  accountNumber: digits(7, msg("payouts.errors.accountNumber")),
});

export type IssuerSettingsInput = Omit<z.output<typeof issuerSettingsSchema>, "offeringId">;

import { z } from "zod";
import type { PaymentMethod } from "@/db/schema";
import { msg } from "@/lib/i18n/keys";

export const purchaseSchema = z.object({
  offeringId: z.uuid({ error: msg("errors.invalid") }),
  units: z.coerce
    .number({ error: msg("buy.errors.units") })
    .int({ error: msg("buy.errors.units") })
    .positive({ error: msg("buy.errors.units") })
    .max(1_000_000, { error: msg("buy.errors.units") }),
  disclosureId: z.uuid({ error: msg("buy.errors.mustConfirm") }),
  confirmDisclosure: z.literal("on", { error: msg("buy.errors.mustConfirm") }),
  paymentMethod: z.enum(["card", "stablecoin", "konbini", "bank_transfer"] satisfies PaymentMethod[], { error: msg("errors.invalid") }).default("card"),
});

export const refundSchema = z.object({ orderId: z.uuid({ error: msg("errors.invalid") }) });

export const exceptionRefundSchema = z.object({ exceptionId: z.uuid({ error: msg("errors.invalid") }) });

export const exceptionDismissSchema = z.object({
  exceptionId: z.uuid({ error: msg("errors.invalid") }),
  note: z
    .string({ error: msg("staffPayments.noteRequired") })
    .trim()
    .min(3, { error: msg("staffPayments.noteRequired") })
    .max(500, { error: msg("staffPayments.noteTooLong") })
    // PostgreSQL text cannot hold U+0000: refused here, not as a failed query.
    .refine((note) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(note), { error: msg("errors.invalid") }),
});

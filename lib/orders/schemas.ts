import { z } from "zod";

export const purchaseSchema = z.object({
  offeringId: z.uuid({ error: "errors.invalid" }),
  units: z.coerce
    .number({ error: "buy.errors.units" })
    .int({ error: "buy.errors.units" })
    .positive({ error: "buy.errors.units" })
    .max(1_000_000, { error: "buy.errors.units" }),
  disclosureId: z.uuid({ error: "buy.errors.mustConfirm" }),
  confirmDisclosure: z.literal("on", { error: "buy.errors.mustConfirm" }),
});

export type PurchaseInput = z.output<typeof purchaseSchema>;

export const refundSchema = z.object({ orderId: z.uuid({ error: "errors.invalid" }) });

export const exceptionRefundSchema = z.object({ exceptionId: z.uuid({ error: "errors.invalid" }) });

export const exceptionDismissSchema = z.object({
  exceptionId: z.uuid({ error: "errors.invalid" }),
  note: z.string({ error: "staffPayments.noteRequired" }).trim().min(3, { error: "staffPayments.noteRequired" }).max(500, { error: "staffPayments.noteTooLong" }),
});

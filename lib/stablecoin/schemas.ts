import { z } from "zod";
import { msg } from "@/lib/i18n/keys";
import { submittedAuthorizationSchema } from "./authorization";

/** The order page asks for the typed data to sign, for the wallet the browser offers. */
export const preparePaymentSchema = z.object({
  orderId: z.uuid({ error: msg("stablecoin.errors.notFound") }),
  from: z
    .string()
    .regex(/^0x[0-9a-fA-F]{40}$/, { error: msg("stablecoin.errors.walletNotLinked") })
    .optional(),
});

/** The signed authorisation, field by field, with its order. */
export const submitPaymentSchema = submittedAuthorizationSchema.extend({ orderId: z.uuid({ error: msg("stablecoin.errors.notFound") }) });

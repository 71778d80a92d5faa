import { getAddress, isAddress } from "viem";
import { z } from "zod";
import { msg } from "@/lib/i18n/keys";

/** Shared by the own-wallet forms and their server actions; messages are catalog keys (area "ownWallets"). */

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

const uuid = z.uuid({ error: msg("errors.invalid") });

/** An address as a wallet reports it (any case), kept EIP-55 checksummed. */
const address = z
  .string({ error: msg("errors.required") })
  .trim()
  .refine((value) => isAddress(value, { strict: false }), { error: msg("ownWallets.errors.address") })
  .transform((value) => getAddress(value));

export const challengeSchema = z.object({ address });

/** The EIP-4361 message as the wallet signed it, and its signature (65 bytes, or longer for a smart-contract wallet). */
export const linkSchema = z.object({
  message: z
    .string({ error: msg("errors.required") })
    .min(1, { error: msg("errors.required") })
    .max(2_000, { error: msg("errors.tooLong") })
    // A multipart form post turns every line break into CRLF; the wallet signed the message with LF.
    .transform((value) => value.replace(/\r\n/g, "\n")),
  signature: z
    .string({ error: msg("errors.required") })
    .trim()
    .regex(/^0x[0-9a-fA-F]{130,4000}$/, { error: msg("ownWallets.errors.signature") }),
});

export const requestApprovalSchema = z.object({ linkedWalletId: uuid, offeringId: uuid });

export const unlinkSchema = z.object({ linkedWalletId: uuid });

export const approveSchema = z.object({ offeringId: uuid, approvalId: uuid });

export const rejectSchema = z.object({
  offeringId: uuid,
  approvalId: uuid,
  reason: z
    .string({ error: msg("errors.required") })
    .transform((value) => value.normalize("NFC").replace(/\s+/g, " ").trim())
    .pipe(
      z
        .string()
        .min(1, { error: msg("errors.required") })
        .max(500, { error: msg("errors.tooLong") })
        .refine((value) => !CONTROL.test(value), { error: msg("ownWallets.errors.characters") }),
    ),
});

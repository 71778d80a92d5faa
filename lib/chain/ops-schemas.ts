import { z } from "zod";
import { msg } from "@/lib/i18n/keys";

// The forms of the chain-operations page (app/(staff)/staff/offerings/[id]/chain).

const offeringId = z.uuid({ error: msg("chainOps.errors.notFound") });

const reason = z
  .string({ error: msg("chainOps.errors.reasonRequired") })
  .trim()
  .min(3, { error: msg("chainOps.errors.reasonRequired") })
  .max(500, { error: msg("chainOps.errors.reasonTooLong") });

const holder = z
  .string({ error: msg("chainOps.errors.holderRequired") })
  .trim()
  .min(3, { error: msg("chainOps.errors.holderRequired") })
  .max(320, { error: msg("chainOps.errors.holderRequired") });

const flag = z.enum(["true", "false"], { error: msg("errors.invalid") }).transform((value) => value === "true");

export const pauseSchema = z.object({ offeringId, paused: flag, reason });

export const freezeSchema = z.object({ offeringId, frozen: flag, holder, reason });

export const transactionSchema = z.object({ offeringId, chainTransactionId: z.uuid({ error: msg("errors.invalid") }) });

export const giveUpSchema = transactionSchema.extend({ reason });

export const orderRefundSchema = z.object({ offeringId, orderId: z.uuid({ error: msg("errors.invalid") }) });

export const forcedTransferRequestSchema = z.object({ offeringId, holder, reason });

export const forcedTransferDecisionSchema = z.object({ offeringId, requestId: z.uuid({ error: msg("errors.invalid") }) });

export const forcedTransferRejectSchema = forcedTransferDecisionSchema.extend({ reason });

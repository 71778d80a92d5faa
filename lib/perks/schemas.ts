import { z } from "zod";
import { msg } from "@/lib/i18n/keys";

/**
 * Shared by the perk forms and the server actions; messages are catalog keys (area "perks").
 * STUB: the perks helper completes these (field rules, Tokyo datetime-local parsing, limits).
 */

export const perkSchema = z.object({
  kind: z.enum(["holding", "redeeming"], { error: msg("errors.required") }),
  titleJa: z.string().trim().min(1).max(100),
  titleEn: z.string().trim().min(1).max(100),
  descriptionJa: z.string().trim().min(1).max(2000),
  descriptionEn: z.string().trim().min(1).max(2000),
  minUnits: z.coerce.number().int().min(1).optional(),
  recordDate: z.string().optional(),
  costUnits: z.coerce.number().int().min(1).optional(),
  stock: z.coerce.number().int().min(1).max(1_000_000),
  /** datetime-local values read as Tokyo time. */
  claimOpensAt: z.string(),
  claimClosesAt: z.string(),
  needsAddress: z.coerce.boolean(),
});
export type PerkValues = z.output<typeof perkSchema>;

export const deliverySchema = z.object({
  recipientName: z.string().trim().min(1).max(100),
  recipientKana: z.string().trim().min(1).max(100),
  postalCode: z.string().trim(),
  address: z.string().trim().min(1).max(300),
  phone: z.string().trim(),
});
export type DeliveryValues = z.output<typeof deliverySchema>;

export const shipSchema = z.object({ claimId: z.uuid(), trackingNumber: z.string().trim().min(1).max(60) });
export const cancelClaimSchema = z.object({ claimId: z.uuid(), reason: z.string().trim().min(1).max(500) });

import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { offerings } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import type { SessionUser } from "@/lib/auth/roles";
import { msg } from "@/lib/i18n/keys";
import { offeringForStaff } from "@/lib/issuers/access";

/** A ticked checkbox is sent as "on"; an unticked one is not sent at all. */
const ticked = z
  .literal("on", { error: msg("errors.invalid") })
  .optional()
  .transform((value) => value === "on");

/** Staff: the pay-later methods an offering takes besides card. */
export const paymentMethodsSchema = z.object({
  offeringId: z.uuid({ error: msg("errors.invalid") }),
  konbini: ticked,
  bankTransfer: ticked,
});

export type PaymentMethodChoice = { konbini: boolean; bankTransfer: boolean };

/**
 * Staff of the offering's issuer (or an admin) choose whether it takes konbini and bank transfer.
 * An operating setting, not a term investors buy on: no new revision or approval. Orders already
 * placed keep their method; whether a method is offered now also depends on the sale's close
 * (lib/orders/deferred/availability.ts).
 */
export async function setPaymentMethods(
  offeringId: string,
  staff: Pick<SessionUser, "id" | "role">,
  choice: PaymentMethodChoice,
): Promise<{ ok: true; changed: boolean } | { ok: false; error: "notFound" }> {
  return getDb().transaction(async (tx) => {
    const before = await offeringForStaff(staff, offeringId, tx);
    if (!before) return { ok: false as const, error: "notFound" as const };
    if (before.konbiniEnabled === choice.konbini && before.bankTransferEnabled === choice.bankTransfer) return { ok: true as const, changed: false };
    await tx.update(offerings).set({ konbiniEnabled: choice.konbini, bankTransferEnabled: choice.bankTransfer }).where(eq(offerings.id, offeringId));
    await recordAudit(tx, {
      actorId: staff.id,
      action: "offering.payment_methods_changed",
      targetType: "offering",
      targetId: offeringId,
      detail: { konbini: choice.konbini, bankTransfer: choice.bankTransfer, before: { konbini: before.konbiniEnabled, bankTransfer: before.bankTransferEnabled } },
    });
    return { ok: true as const, changed: true };
  });
}

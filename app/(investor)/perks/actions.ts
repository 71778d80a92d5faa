"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { signedInAction, type ActionState } from "@/lib/actions";
import type { Locale, Translate } from "@/lib/i18n/catalog";
import { formatNumber } from "@/lib/i18n/format";
import { localized } from "@/lib/i18n/localized";
import { eligibilityText } from "@/components/perks/perk-parts";
import { claimPerk } from "@/lib/perks/claims";
import { perkById } from "@/lib/perks/queries";
import { claimSchema, deliverySchema } from "@/lib/perks/schemas";
import type { ClaimOutcome, Delivery } from "@/lib/perks/types";

// A holder claims only for themselves: the user id comes from the session, never from the form.

const claimWithAddressSchema = z.intersection(claimSchema, deliverySchema);

type Perk = NonNullable<Awaited<ReturnType<typeof perkById>>>;

function outcomeState(outcome: ClaimOutcome, perk: Perk, t: Translate, locale: Locale): ActionState {
  switch (outcome.status) {
    case "claimed":
      return {
        status: "ok",
        message: perk.kind === "redeeming" ? t("perks.claim.outcome.claimedRedeeming", { count: formatNumber(perk.costUnits ?? 0, locale) }) : t("perks.claim.outcome.claimed"),
      };
    case "already_claimed":
      return { status: "error", message: t("perks.claim.outcome.already_claimed") };
    case "sold_out":
      return { status: "error", message: t("perks.claim.outcome.sold_out") };
    case "not_eligible":
      return { status: "error", message: eligibilityText(perk, outcome.eligibility, localized(perk, "offeringName", locale), t, locale) };
    case "delivery_required":
      return { status: "error", message: t("perks.claim.outcome.needsAddress") };
    case "not_found":
      return { status: "error", message: t("perks.claim.outcome.notFound") };
  }
}

async function claim(user: { id: string }, id: string, delivery: Delivery | null, t: Translate, locale: Locale): Promise<ActionState> {
  const perk = await perkById(id);
  if (!perk?.offeringPublic) return { status: "error", message: t("perks.claim.outcome.notFound") };
  if (perk.needsAddress && !delivery) return { status: "error", message: t("perks.claim.outcome.needsAddress") };
  const outcome = await claimPerk({ perkId: perk.id, userId: user.id, delivery: perk.needsAddress ? delivery : null });
  if (outcome.status === "claimed" || outcome.status === "already_claimed") {
    revalidatePath("/perks", "layout");
    revalidatePath("/dashboard");
  }
  return outcomeState(outcome, perk, t, locale);
}

/** Claims a perk that is delivered, with the address given for this claim (prefilled from the profile). */
export const claimPerkAction = signedInAction(claimWithAddressSchema, async ({ perkId: id, recipientName, recipientKana, postalCode, address, phone }, { user, t, locale }) =>
  claim(user, id, { recipientName, recipientKana, postalCode, address, phone }, t, locale),
);

/** Claims a perk that needs no delivery address. */
export const claimPerkWithoutAddressAction = signedInAction(claimSchema, async ({ perkId: id }, { user, t, locale }) => claim(user, id, null, t, locale));

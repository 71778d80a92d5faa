import type { Perk, PerkClaim } from "@/db/schema";

/**
 * Why a holder may or may not claim a perk now; the pages show the reason with the holding it was
 * decided on (units at the record date for a holding perk, units held now for a redeeming one).
 */
export type EligibilityStatus =
  | "eligible"
  | "claimed"
  | "not_open_yet"
  | "closed"
  | "withdrawn"
  | "sold_out"
  | "snapshot_pending"
  | "not_holder_at_record_date"
  | "below_minimum"
  | "insufficient_units"
  | "wallet_frozen"
  | "wallet_in_recovery"
  | "not_investor";

export type Eligibility = {
  status: EligibilityStatus;
  /** Holding perk: the holder's units at the record date; redeeming: units free to give up now. */
  units: number;
  /** Units the perk asks for (minimum held, or the cost). */
  needed: number;
  /** The holder's live claim, when status is "claimed". */
  claim: PerkClaim | null;
};

export type PerkForHolder = {
  perk: Perk;
  offeringSlug: string;
  offeringNameJa: string;
  offeringNameEn: string;
  eligibility: Eligibility;
};

/**
 * What claiming answered: `delivery_required` when the perk ships something and no address was
 * given; `not_found` for an unknown perk id or a perk of an offering not public yet (a draft).
 */
export type ClaimOutcome =
  | { status: "claimed"; claimId: string }
  | { status: "already_claimed"; claimId: string }
  | { status: "sold_out" }
  | { status: "not_eligible"; eligibility: Eligibility }
  | { status: "delivery_required" }
  | { status: "not_found" };

/**
 * What a staff step on a claim answered: `not_found` also for a claim of another offering than the
 * one passed; `not_allowed` when the claim is no longer waiting (shipped or cancelled);
 * `not_burned` when a redeeming claim's tokens are not burned yet (ship after the burn).
 */
export type ClaimStepOutcome = "ok" | "not_found" | "not_allowed" | "not_burned";

/** A delivery address as given for one claim (prefilled from the profile). */
export type Delivery = { recipientName: string; recipientKana: string; postalCode: string; address: string; phone: string };

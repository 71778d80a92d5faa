import "server-only";
import type { Delivery, ClaimOutcome, ClaimStepOutcome } from "./types";

// STUB signatures (the perks helper implements them).

/** Claims a perk for a holder: once per holder, never beyond stock, even under concurrency. */
export async function claimPerk(_input: { perkId: string; userId: string; delivery: Delivery | null; now?: Date }): Promise<ClaimOutcome> {
  throw new Error("not implemented");
}

/** Staff: marks a live claim shipped with a tracking number (a redeeming claim only once burned); holder notified. */
export async function shipClaim(_input: { claimId: string; trackingNumber: string; actorId: string }): Promise<ClaimStepOutcome> {
  throw new Error("not implemented");
}

/** Staff: cancels a claim not yet shipped, with a reason; stock given back; burned units restored by a new allocation. */
export async function cancelClaim(_input: { claimId: string; reason: string; actorId: string }): Promise<ClaimStepOutcome> {
  throw new Error("not implemented");
}

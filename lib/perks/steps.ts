import type { Perk, PerkClaim } from "@/db/schema";

/**
 * Where a claim stands for the staff who ship it: ready to ship, waiting for its tokens to burn, its
 * burn failed (staff retry it on the chain page or cancel the claim), shipped, or cancelled.
 * No database here: the staff page and the packing list both use it.
 */
export type ClaimStep = "to_ship" | "burn_failed" | "awaiting_burn" | "shipped" | "cancelled";

export const CLAIM_STEPS: readonly ClaimStep[] = ["to_ship", "burn_failed", "awaiting_burn", "shipped", "cancelled"];

export function claimStep(claim: Pick<PerkClaim, "status" | "burnedAt">, kind: Perk["kind"], burnFailed: boolean): ClaimStep {
  if (claim.status !== "claimed") return claim.status;
  if (kind === "holding" || claim.burnedAt) return "to_ship";
  return burnFailed ? "burn_failed" : "awaiting_burn";
}

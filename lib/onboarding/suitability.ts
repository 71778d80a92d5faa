import type { SuitabilityInput } from "./schemas";

export type SuitabilityReason = "shortTermProfit" | "noCushion";

/**
 * The token has no market to sell on and its value is not guaranteed: it does not suit money
 * meant for a quick profit, nor someone without experience whose savings could not absorb a loss.
 */
export function assessSuitability(answers: SuitabilityInput): { suitable: boolean; reasons: SuitabilityReason[] } {
  const reasons: SuitabilityReason[] = [];
  if (answers.purpose === "short_term_profit") reasons.push("shortTermProfit");
  if (answers.assetBand === "under_1m" && answers.experience === "none") reasons.push("noCushion");
  return { suitable: reasons.length === 0, reasons };
}

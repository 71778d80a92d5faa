import type { VoteCounting } from "@/db/schema";

/** How the ballots of an ended vote came out, computed from the ballots alone (no database here). */

export type OptionTally = { optionId: string; votes: number; weight: number };

/** One option ahead, several tied at the top, or no ballots at all. */
export type VoteOutcome = { kind: "winner"; optionIds: [string] } | { kind: "tie"; optionIds: string[] } | { kind: "none"; optionIds: [] };

/** The option(s) ahead by count (one vote per holder) or by units (weighted); equal leaders are a tie, never broken. */
export function decide(rows: OptionTally[], counting: VoteCounting): VoteOutcome {
  const score = (row: OptionTally) => (counting === "by_units" ? row.weight : row.votes);
  const top = Math.max(0, ...rows.map(score));
  if (top === 0) return { kind: "none", optionIds: [] };
  const leaders = rows.filter((row) => score(row) === top).map((row) => row.optionId);
  return leaders.length === 1 ? { kind: "winner", optionIds: [leaders[0]!] } : { kind: "tie", optionIds: leaders };
}

/** A share as a percentage with one decimal, floored so that 99.96% never shows as 100%. */
export function share(part: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(100, Math.floor((part * 1000) / total) / 10);
}

/** Every option with its count and weight (options nobody chose count zero), in the options' order. */
export function tallyOptions(optionIds: string[], ballots: { optionId: string; votes: number; weight: number }[]): OptionTally[] {
  const byOption = new Map(ballots.map((row) => [row.optionId, row]));
  return optionIds.map((optionId) => ({ optionId, votes: byOption.get(optionId)?.votes ?? 0, weight: byOption.get(optionId)?.weight ?? 0 }));
}

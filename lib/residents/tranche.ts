import type { Offering } from "@/db/schema";

/**
 * The residents' tranche and window as arithmetic over an offering's figures (no database here).
 * Before `residentsUntil`, with `residentUnits` > 0, residents take tranche units first and then
 * general ones while the others buy only from the general part (cap − tranche); with
 * `residentUnits` = 0 only residents buy (a window). From `residentsUntil` on, all unsold units are
 * for everyone.
 */

export type TrancheFacts = Pick<Offering, "capUnits" | "reservedUnits" | "soldUnits" | "residentUnits" | "residentTakenUnits" | "residentsUntil">;

/** none: no residents' terms; window: residents only; tranche: residents' units kept; ended: all for everyone. */
export type ResidentPhase = "none" | "window" | "tranche" | "ended";

export function residentPhase(offering: Pick<Offering, "residentUnits" | "residentsUntil">, now: Date): ResidentPhase {
  if (!offering.residentsUntil) return "none";
  if (now >= offering.residentsUntil) return "ended";
  return offering.residentUnits > 0 ? "tranche" : "window";
}

/** Units left in the tranche, in the general part (cap − tranche), and in all. */
export function trancheFigures(offering: TrancheFacts) {
  const totalLeft = Math.max(0, offering.capUnits - offering.reservedUnits - offering.soldUnits);
  const generalTaken = offering.reservedUnits + offering.soldUnits - offering.residentTakenUnits;
  return {
    trancheLeft: Math.min(totalLeft, Math.max(0, offering.residentUnits - offering.residentTakenUnits)),
    generalLeft: Math.min(totalLeft, Math.max(0, offering.capUnits - offering.residentUnits - generalTaken)),
    totalLeft,
  };
}

/** The units this buyer could still reserve at `now` (a non-resident: none in a window, only general ones before the tranche ends). */
export function unitsLeftFor(offering: TrancheFacts, resident: boolean, now: Date): number {
  const figures = trancheFigures(offering);
  const phase = residentPhase(offering, now);
  if (phase === "none" || phase === "ended") return figures.totalLeft;
  if (resident) return Math.min(figures.totalLeft, figures.trancheLeft + figures.generalLeft);
  return phase === "window" ? 0 : figures.generalLeft;
}

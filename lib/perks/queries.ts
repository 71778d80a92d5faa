import "server-only";
import type { Perk, PerkClaim } from "@/db/schema";
import type { Delivery, Eligibility, PerkForHolder } from "./types";

// STUB signatures (the perks helper implements them).

/** Whether and why a holder may claim the perk now. */
export async function perkEligibility(_perk: Perk, _userId: string, _now?: Date): Promise<Eligibility> {
  throw new Error("not implemented");
}

/** Open perks of the offerings the holder holds (now or at a perk's record date), with eligibility; for the dashboard and /perks. */
export async function perksForHolder(_userId: string, _now?: Date): Promise<PerkForHolder[]> {
  throw new Error("not implemented");
}

/** The holder's claims, newest first, with the perk's titles. */
export async function claimsOfHolder(_userId: string): Promise<(PerkClaim & { perkTitleJa: string; perkTitleEn: string; perkKind: Perk["kind"] })[]> {
  throw new Error("not implemented");
}

/** A published perk by id (null when unknown), with its offering's slug and names. */
export async function perkById(_perkId: string): Promise<(Perk & { offeringSlug: string; offeringNameJa: string; offeringNameEn: string; villageId: string }) | null> {
  throw new Error("not implemented");
}

/** Staff: the perks of an offering with counts of claims by status. */
export async function perksOfOffering(_offeringId: string): Promise<(Perk & { shipped: number; cancelled: number; live: number })[]> {
  throw new Error("not implemented");
}

/** Staff: a perk's claims with the holder's email and the delivery address. */
export async function claimsOfPerk(_perkId: string): Promise<(PerkClaim & { email: string })[]> {
  throw new Error("not implemented");
}

/** The delivery address prefilled from the holder's profile (blank fields when unknown). */
export async function deliveryFromProfile(_userId: string): Promise<Delivery> {
  throw new Error("not implemented");
}

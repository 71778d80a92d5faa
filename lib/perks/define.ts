import "server-only";
import type { DbOrTx } from "@/db/client";
import type { PerkValues } from "./schemas";

// STUB signatures (the perks helper implements them; staff authorisation is done by the caller).

/** Creates an open perk of the offering (a village token of the staff member's issuer); audited perk.created. */
export async function createPerk(_input: { offeringId: string; values: PerkValues; photoImageId: string | null; actorId: string }, _db?: DbOrTx): Promise<{ id: string }> {
  throw new Error("not implemented");
}

/** Changes a perk; stock cannot go below what is claimed. Audited perk.updated. */
export async function updatePerk(_input: { perkId: string; values: PerkValues; photoImageId?: string | null; actorId: string }): Promise<"ok" | "not_found" | "stock_below_claimed"> {
  throw new Error("not implemented");
}

/** Closes the perk to new claims; claims made stay. Audited perk.withdrawn. */
export async function withdrawPerk(_input: { perkId: string; actorId: string }): Promise<"ok" | "not_found"> {
  throw new Error("not implemented");
}

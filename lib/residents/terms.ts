import "server-only";
import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { villages } from "@/db/schema";

export type ResidentTermsError = "noMunicipality" | "residentBelowTaken";

/**
 * Checks of the residents' terms that need the database (the form's schema checks the rest): only
 * an issuer with a municipality can keep units or a window for its residents, and a tranche cannot
 * shrink below the units residents already hold in it.
 */
export async function residentTermsError(db: DbOrTx, issuerId: string, terms: { residentUnits?: number; residentsUntil?: Date | null }, residentTakenUnits = 0): Promise<ResidentTermsError | null> {
  const units = terms.residentUnits ?? 0;
  if (units > 0 || terms.residentsUntil) {
    const [issuer] = await db.select({ prefecture: villages.residentPrefecture, city: villages.residentCity }).from(villages).where(eq(villages.id, issuerId));
    if (!issuer?.prefecture || !issuer.city) return "noMunicipality";
  }
  if (terms.residentUnits !== undefined && terms.residentUnits < residentTakenUnits) return "residentBelowTaken";
  return null;
}

import "server-only";
import { eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { investorProfiles, villages } from "@/db/schema";
import { sameMunicipality } from "./municipality";

/**
 * Residence comes from the verified address: staff confirmed the profile's prefecture and city
 * against the identity document (investor_profiles.addressVerifiedAt), and they are the issuer's
 * municipality. An issuer without a municipality has no residents.
 */

/** resident; unverified: the profile names the municipality but nobody confirmed it; other: lives elsewhere; none: the issuer has no municipality. */
export type ResidenceStatus = "resident" | "unverified" | "other" | "none";

export async function residenceStatus(db: DbOrTx, userId: string, issuerId: string): Promise<ResidenceStatus> {
  const [[issuer], [profile]] = await Promise.all([
    db.select({ prefecture: villages.residentPrefecture, city: villages.residentCity }).from(villages).where(eq(villages.id, issuerId)),
    db
      .select({ prefecture: investorProfiles.prefecture, city: investorProfiles.city, verifiedAt: investorProfiles.addressVerifiedAt })
      .from(investorProfiles)
      .where(eq(investorProfiles.userId, userId)),
  ]);
  if (!issuer?.prefecture || !issuer.city) return "none";
  if (!profile || !sameMunicipality(profile, issuer)) return "other";
  return profile.verifiedAt ? "resident" : "unverified";
}

export async function isResidentOf(db: DbOrTx, userId: string, issuerId: string): Promise<boolean> {
  return (await residenceStatus(db, userId, issuerId)) === "resident";
}

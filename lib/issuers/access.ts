import "server-only";
import { eq } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/db/client";
import { issuerStaff, offerings, villages, type Offering } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/roles";

/**
 * The issuers a user acts for: an admin (the portal's operator) for every issuer, a staff member
 * for the issuers they belong to, an investor for none. Every staff query is scoped by this list.
 */
export async function issuerIdsOf(user: Pick<SessionUser, "id" | "role">, db: DbOrTx = getDb()): Promise<string[]> {
  if (user.role === "admin") return (await db.select({ id: villages.id }).from(villages)).map((row) => row.id);
  if (user.role !== "staff") return [];
  return (await db.select({ id: issuerStaff.issuerId }).from(issuerStaff).where(eq(issuerStaff.userId, user.id))).map((row) => row.id);
}

export async function canActForIssuer(user: Pick<SessionUser, "id" | "role">, issuerId: string, db: DbOrTx = getDb()): Promise<boolean> {
  return (await issuerIdsOf(user, db)).includes(issuerId);
}

/**
 * The offering, if the user acts for its issuer; null both when it does not exist and when it is
 * another issuer's (a stranger learns nothing from the difference).
 */
export async function offeringForStaff(user: Pick<SessionUser, "id" | "role">, offeringId: string, db: DbOrTx = getDb()): Promise<Offering | null> {
  const [offering] = await db.select().from(offerings).where(eq(offerings.id, offeringId));
  if (!offering) return null;
  return (await canActForIssuer(user, offering.villageId, db)) ? offering : null;
}

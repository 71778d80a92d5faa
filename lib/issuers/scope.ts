import "server-only";
import { inArray } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/db/client";
import { offerings, projects } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/roles";
import { issuerIdsOf } from "./access";

/**
 * What a staff page may show and change: everything (an admin, the portal's operator) or only what
 * belongs to the issuers a staff member is part of. Rows that belong to no issuer (a payment no
 * order matched, an investor's own account) are the operator's: `all` only.
 */
export type StaffScope = { userId: string; all: boolean; issuerIds: string[] };

export async function staffScopeOf(user: Pick<SessionUser, "id" | "role">, db: DbOrTx = getDb()): Promise<StaffScope> {
  return { userId: user.id, all: user.role === "admin", issuerIds: await issuerIdsOf(user, db) };
}

/** The offerings of these issuers, as a subquery for `inArray(column, …)`. */
export function offeringIdsOf(issuerIds: readonly string[], db: DbOrTx = getDb()) {
  return db
    .select({ id: offerings.id })
    .from(offerings)
    .where(inArray(offerings.villageId, [...issuerIds]));
}

/** The projects funded by offerings of these issuers, as a subquery. */
export function projectIdsOf(issuerIds: readonly string[], db: DbOrTx = getDb()) {
  return db
    .select({ id: projects.id })
    .from(projects)
    .where(inArray(projects.offeringId, offeringIdsOf(issuerIds, db)));
}

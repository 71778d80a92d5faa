import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { investorProfiles } from "@/db/schema";
import { recordAudit } from "@/lib/audit";

/**
 * The reviewer confirmed the profile's address against an identity document: the address counts
 * as verified from now (residence rests on it). `source` names the review that confirmed it.
 */
export async function markAddressVerified(tx: Tx, input: { userId: string; reviewerId: string | null; source: { documentId: string } | { requestId: string } }): Promise<void> {
  await tx.update(investorProfiles).set({ addressVerifiedAt: sql`now()`, addressVerifiedBy: input.reviewerId }).where(eq(investorProfiles.userId, input.userId));
  await recordAudit(tx, { actorId: input.reviewerId, action: "identity.address_verified", targetType: "user", targetId: input.userId, detail: { userId: input.userId, ...input.source } });
}

/** The address changed without a document to confirm it: the investor is no longer a verified resident anywhere. */
export async function clearAddressVerification(tx: Tx, userId: string): Promise<void> {
  await tx.update(investorProfiles).set({ addressVerifiedAt: null, addressVerifiedBy: null }).where(eq(investorProfiles.userId, userId));
}

/** The profile fields residence is read from: changing any of them needs the address confirmed again. */
export const ADDRESS_FIELDS = ["prefecture", "city", "street"] as const;

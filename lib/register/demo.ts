import "server-only";
import { and, asc, eq, inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { ledgerEntries, offerings, users } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { env } from "@/lib/env";

/**
 * Demo mode only: makes a user a holder without a payment, as ledger entries marked `demo`
 * (yen received and tokens allocated), so that holder features can be tried and tested end to end.
 */
export async function grantDemoHolding(input: { email: string; units: number; offeringSlug?: string; actorId: string; issuerIds: readonly string[] }) {
  if (!env().isDemo) throw new Error("demo holdings exist only in demo mode");
  const db = getDb();
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, input.email.toLowerCase()));
  if (!user) return { ok: false as const, error: "user" as const };
  // Only in an offering of the issuers the staff member acts for; by default the first of them.
  const [offering] = await db
    .select()
    .from(offerings)
    .where(and(inArray(offerings.villageId, [...input.issuerIds]), input.offeringSlug ? eq(offerings.slug, input.offeringSlug) : undefined))
    .orderBy(asc(offerings.createdAt))
    .limit(1);
  if (!offering) return { ok: false as const, error: "offering" as const };
  await db.transaction(async (tx) => {
    const detail = { demo: true };
    await tx.insert(ledgerEntries).values([
      { kind: "yen_received", offeringId: offering.id, userId: user.id, yen: input.units * offering.priceYen, detail },
      { kind: "tokens_allocated", offeringId: offering.id, userId: user.id, units: input.units, detail },
    ]);
    await recordAudit(tx, { actorId: input.actorId, action: "demo.holding_granted", targetType: "user", targetId: user.id, detail: { offeringId: offering.id, units: input.units } });
  });
  return { ok: true as const, userId: user.id, offeringId: offering.id };
}

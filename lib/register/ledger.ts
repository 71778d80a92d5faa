import "server-only";
import { and, asc, eq, inArray, isNotNull, lte, sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/db/client";
import { ledgerEntries } from "@/db/schema";

/**
 * Reads of the append-only ledger for the register, the notifications and the project pages.
 * Signs are normalised here (allocations add, clawbacks and redemptions subtract, refunds
 * subtract) so the result does not depend on which sign the writer of an entry chose. Forced
 * transfers are left out: they move a holder's units between their own wallets.
 */
const signedUnits = sql<number>`case ${ledgerEntries.kind} when 'tokens_allocated' then abs(${ledgerEntries.units}) when 'tokens_clawed_back' then -abs(${ledgerEntries.units}) when 'tokens_redeemed' then -abs(${ledgerEntries.units}) else 0 end`;
const HOLDING_KINDS = ["tokens_allocated", "tokens_clawed_back", "tokens_redeemed"] as const;
const signedYen = sql<number>`case ${ledgerEntries.kind} when 'yen_received' then abs(${ledgerEntries.yen}) when 'yen_refunded' then -abs(${ledgerEntries.yen}) else 0 end`;

export type Holding = { userId: string; offeringId: string; units: number };

/**
 * Every user with a positive token balance, per offering, counting ledger entries up to `asOf`;
 * with `withRedeemed`, also those whose bond units were redeemed (a balance of zero, for the register).
 */
export async function holderBalances(db: DbOrTx, options: { offeringId?: string; asOf?: Date; withRedeemed?: boolean } = {}): Promise<Holding[]> {
  const units = sql<number>`sum(${signedUnits})::int`;
  // A bond redeemed in full stays on the register at zero; units given up for a perk are no redemption of the holding.
  const kept = sql`sum(${signedUnits}) > 0 or bool_or(${ledgerEntries.kind} = 'tokens_redeemed' and ${ledgerEntries.detail}->>'perkClaimId' is null)`;
  return db
    .select({ userId: sql<string>`${ledgerEntries.userId}`, offeringId: ledgerEntries.offeringId, units })
    .from(ledgerEntries)
    .where(
      and(
        isNotNull(ledgerEntries.userId),
        inArray(ledgerEntries.kind, [...HOLDING_KINDS]),
        options.offeringId ? eq(ledgerEntries.offeringId, options.offeringId) : undefined,
        options.asOf ? lte(ledgerEntries.at, options.asOf) : undefined,
      ),
    )
    .groupBy(ledgerEntries.userId, ledgerEntries.offeringId)
    .having(options.withRedeemed ? kept : sql`sum(${signedUnits}) > 0`)
    .orderBy(asc(ledgerEntries.offeringId), asc(ledgerEntries.userId));
}

/** Token movements of the given holders up to `asOf`: their acquisition history (perkClaimId: a perk's burn or give-back). */
export async function tokenMovements(userIds: string[], offeringId: string, asOf?: Date) {
  if (userIds.length === 0) return [];
  return getDb()
    .select({
      id: ledgerEntries.id,
      userId: ledgerEntries.userId,
      orderId: ledgerEntries.orderId,
      kind: ledgerEntries.kind,
      units: signedUnits,
      at: ledgerEntries.at,
      perkClaimId: sql<string | null>`${ledgerEntries.detail}->>'perkClaimId'`,
    })
    .from(ledgerEntries)
    .where(and(inArray(ledgerEntries.userId, userIds), eq(ledgerEntries.offeringId, offeringId), inArray(ledgerEntries.kind, [...HOLDING_KINDS]), asOf ? lte(ledgerEntries.at, asOf) : undefined))
    .orderBy(asc(ledgerEntries.at), asc(ledgerEntries.id));
}

/** Yen received minus refunds of an offering, as a running total by time. */
export async function yenReceivedSeries(offeringId: string): Promise<{ at: Date; totalYen: number }[]> {
  const rows = await getDb()
    .select({ at: ledgerEntries.at, yen: signedYen })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.offeringId, offeringId), inArray(ledgerEntries.kind, ["yen_received", "yen_refunded"])))
    .orderBy(asc(ledgerEntries.at), asc(ledgerEntries.id));
  let total = 0;
  return rows.map((row) => {
    total += Number(row.yen);
    return { at: row.at, totalYen: total };
  });
}

import "server-only";
import { and, eq, inArray, isNull, or, sql } from "drizzle-orm";
import { getAddress, type Address } from "viem";
import type { DbOrTx } from "@/db/client";
import { chainTransactions, perkClaims, perks, type ChainTransaction } from "@/db/schema";

/**
 * What the perk burns (lib/perks/burn.ts) and give-backs (lib/perks/restore.ts) share: the
 * transactions that carry a claim (ref.perkClaimIds, in the order of the call's arguments) and
 * the units they move that the ledger has not booked yet.
 */

export type PerkTxKind = "perk_burn" | "perk_restore";

export const claimIdsOf = (row: ChainTransaction): string[] => {
  const ids = row.payload?.ref.perkClaimIds;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === "string") : [];
};

/** Each claim of a transaction with the address its call names (burned from, or allocated to). */
export function itemsOf(row: ChainTransaction): { claimId: string; address: Address }[] {
  const args = row.payload?.args ?? [];
  const single = row.payload?.functionName === "redeem" || row.payload?.functionName === "allocate";
  const addresses = single ? [args[1]] : Array.isArray(args[1]) ? args[1] : [];
  return claimIdsOf(row).map((claimId, i) => ({ claimId, address: getAddress(String(addresses[i])) }));
}

const anyOf = (ids: string[]) =>
  sql`${chainTransactions.payload}->'ref'->'perkClaimIds' ?| array[${sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  )}]::text[]`;

/** The open or mined transactions of this kind carrying any of the claims: those claims need no new one. */
export async function carriers(db: DbOrTx, ctx: { chainId: number }, kind: PerkTxKind, claimIds: string[]): Promise<ChainTransaction[]> {
  if (claimIds.length === 0) return [];
  return db
    .select()
    .from(chainTransactions)
    .where(and(eq(chainTransactions.kind, kind), eq(chainTransactions.chainId, ctx.chainId), inArray(chainTransactions.status, ["pending", "sent", "confirmed"]), anyOf(claimIds)));
}

/**
 * Failed transactions dealt with by the job (their claims sent again each on its own, or found done
 * on chain already), so no longer a chain issue for staff.
 */
export async function resolveFailed(tx: DbOrTx, ids: string[], reason = "each perk claim sent again on its own by the perk job"): Promise<void> {
  if (ids.length === 0) return;
  const resolution = { action: "retried" as const, by: "system", at: new Date().toISOString(), reason };
  await tx
    .update(chainTransactions)
    .set({ payload: sql`jsonb_set(${chainTransactions.payload}, '{resolution}', ${JSON.stringify(resolution)}::jsonb)`, updatedAt: sql`now()` })
    .where(and(inArray(chainTransactions.id, ids), eq(chainTransactions.status, "failed"), sql`${chainTransactions.payload}->'resolution' is null`));
}

/**
 * A failed burn whose claims are all cancelled or burned by now is given up in the cancelling staff
 * member's name: it is never sent again, so the chain page no longer asks staff about it.
 */
export async function giveUpSettledBurn(tx: DbOrTx, txId: string, staffId: string): Promise<void> {
  const [row] = await tx.select().from(chainTransactions).where(eq(chainTransactions.id, txId));
  if (row?.status !== "failed" || row.payload?.resolution) return;
  const ids = claimIdsOf(row);
  const open =
    ids.length === 0
      ? []
      : await tx
          .select({ id: perkClaims.id })
          .from(perkClaims)
          .where(and(inArray(perkClaims.id, ids), eq(perkClaims.status, "claimed"), isNull(perkClaims.burnedAt)));
  if (open.length > 0) return;
  const resolution = { action: "given_up" as const, by: staffId, at: new Date().toISOString(), reason: "every perk claim of it was cancelled before its burn" };
  await tx
    .update(chainTransactions)
    .set({ payload: sql`jsonb_set(${chainTransactions.payload}, '{resolution}', ${JSON.stringify(resolution)}::jsonb)`, updatedAt: sql`now()` })
    .where(eq(chainTransactions.id, row.id));
}

/**
 * Units of an offering's perk transactions sent or mined but not booked yet, per address (burns
 * negative, give-backs positive): for reconciliation they are on their way, not a difference.
 */
export async function perkUnitsInFlight(db: DbOrTx, offeringId: string): Promise<{ address: Address; units: number }[]> {
  const rows = await db
    .select({ claimId: perkClaims.id, units: perkClaims.units, tx: chainTransactions })
    .from(perkClaims)
    .innerJoin(perks, eq(perks.id, perkClaims.perkId))
    .innerJoin(
      chainTransactions,
      or(
        and(eq(chainTransactions.id, perkClaims.burnChainTransactionId), isNull(perkClaims.burnedAt)),
        and(eq(chainTransactions.id, perkClaims.restoreChainTransactionId), isNull(perkClaims.restoredAt)),
      ),
    )
    .where(and(eq(perks.offeringId, offeringId), inArray(chainTransactions.status, ["sent", "confirmed"])));
  return rows.flatMap((row) => {
    const item = itemsOf(row.tx).find((candidate) => candidate.claimId === row.claimId);
    return item ? [{ address: item.address, units: row.tx.kind === "perk_burn" ? -row.units : row.units }] : [];
  });
}

type Sendable = { txId: string | null; givenUp: boolean; token: string | null };

/**
 * How waiting claims go to the chain: one whose transaction failed goes again on its own, only
 * from the job (`retryFailed`) and never once staff gave it up, its failed transaction marked
 * resolved; fresh ones in batches per token. Returns the groups, one transaction each.
 */
export async function sendGroups<C extends Sendable>(tx: DbOrTx, waiting: C[], retryFailed: boolean, batchSize: number): Promise<C[][]> {
  const again = waiting.filter((claim) => claim.txId && retryFailed && !claim.givenUp);
  await resolveFailed(tx, [...new Set(again.map((claim) => claim.txId!))]);
  const groups: C[][] = again.map((claim) => [claim]);
  const fresh = waiting.filter((claim) => !claim.txId);
  for (const token of new Set(fresh.map((claim) => claim.token))) {
    const ofToken = fresh.filter((claim) => claim.token === token);
    for (let i = 0; i < ofToken.length; i += batchSize) groups.push(ofToken.slice(i, i + batchSize));
  }
  return groups;
}

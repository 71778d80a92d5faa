import "server-only";
import { and, desc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import { getAddress } from "viem";
import type { DbOrTx } from "@/db/client";
import { chainTransactions, forcedTransferRequests, ledgerEntries, offerings, orders, perkClaims, perks, wallets, type Perk } from "@/db/schema";
import { unitsByAddress } from "@/lib/chain/holdings";
import { holdersSnapshot, unitsAtSnapshot } from "@/lib/holders/snapshot";
import { unitsWithdrawing } from "@/lib/withdrawals/queries";
import type { EligibilityStatus } from "./types";

/** A holder's own standing for a perk: their holding at the record date, or the units they may give up now. */

/** The holder's custodial wallet address (checksummed), or null before onboarding. */
export async function walletAddressOf(db: DbOrTx, userId: string): Promise<string | null> {
  const [wallet] = await db.select({ address: wallets.address }).from(wallets).where(eq(wallets.userId, userId));
  return wallet ? getAddress(wallet.address) : null;
}

/** Units of the holder's refunded orders that the ledger still shows at their wallet: a clawback is on its way for them. */
async function unitsToClawBack(db: DbOrTx, offeringId: string, userId: string): Promise<number> {
  const [row] = await db
    .select({
      units: sql<string>`coalesce(sum(case ${ledgerEntries.kind} when 'tokens_allocated' then abs(${ledgerEntries.units}) else -abs(${ledgerEntries.units}) end), 0)`,
    })
    .from(ledgerEntries)
    .innerJoin(orders, eq(orders.id, ledgerEntries.orderId))
    .where(and(eq(orders.offeringId, offeringId), eq(orders.userId, userId), eq(orders.status, "refunded"), inArray(ledgerEntries.kind, ["tokens_allocated", "tokens_clawed_back"])));
  return Math.max(0, Number(row?.units ?? 0));
}

/**
 * Units of the holder's redeeming claims of the offering whose burn is still to be booked: claims
 * waiting, and cancelled ones whose burn is on its way (a cancelled claim whose burn failed holds nothing).
 */
export async function unburnedPerkUnits(db: DbOrTx, offeringId: string, userId: string): Promise<number> {
  const [pending] = await db
    .select({ units: sql<string>`coalesce(sum(${perkClaims.units}), 0)` })
    .from(perkClaims)
    .innerJoin(perks, eq(perks.id, perkClaims.perkId))
    .leftJoin(chainTransactions, eq(chainTransactions.id, perkClaims.burnChainTransactionId))
    .where(
      and(
        eq(perks.offeringId, offeringId),
        eq(perks.kind, "redeeming"),
        eq(perkClaims.userId, userId),
        isNull(perkClaims.burnedAt),
        or(eq(perkClaims.status, "claimed"), and(eq(perkClaims.status, "cancelled"), inArray(chainTransactions.status, ["pending", "sent", "confirmed"]))),
      ),
    );
  return Number(pending?.units ?? 0);
}

/**
 * Units the holder may give up for a redeeming perk, or withdraw to an own wallet, now: what the
 * ledger shows at their custodial wallet (where a burn or a withdrawal takes them from), less units
 * a refund's clawback is about to take, less the units of their redeeming claims of the offering
 * whose burn is still to be booked (a booked burn is in the ledger): claims waiting, and cancelled
 * ones whose burn is on its way (it lands, then the units come back by a restore), less units of
 * their withdrawals still on their way out. A cancelled claim whose burn failed is never sent again,
 * so it holds nothing.
 */
async function redeemableUnits(db: DbOrTx, offeringId: string, userId: string): Promise<number> {
  const address = await walletAddressOf(db, userId);
  if (!address) return 0;
  const held = (await unitsByAddress(db, offeringId, userId)).filter((row) => row.address === address).reduce((sum, row) => sum + row.units, 0);
  const pending = await unburnedPerkUnits(db, offeringId, userId);
  const leaving = await unitsWithdrawing(db, offeringId, userId, address);
  return Math.max(0, held - (await unitsToClawBack(db, offeringId, userId)) - pending - leaving);
}

/**
 * Whether the holder's wallet is frozen on the offering's token: the last freeze or unfreeze of it
 * that is queued or done is a freeze (a dispute's or staff's), or a dispute is open (its freeze follows).
 */
async function walletFrozen(db: DbOrTx, offeringId: string, userId: string): Promise<boolean> {
  const [offering] = await db.select({ token: offerings.tokenAddress, chainId: offerings.chainId }).from(offerings).where(eq(offerings.id, offeringId));
  const address = await walletAddressOf(db, userId);
  const [disputed] = await db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.offeringId, offeringId), eq(orders.userId, userId), eq(orders.status, "disputed")))
    .limit(1);
  if (disputed) return true;
  if (!offering?.token || offering.chainId === null || !address) return false;
  const [last] = await db
    .select({ kind: chainTransactions.kind })
    .from(chainTransactions)
    .where(
      and(
        eq(chainTransactions.chainId, offering.chainId),
        inArray(chainTransactions.kind, ["freeze", "unfreeze"]),
        inArray(chainTransactions.status, ["pending", "sent", "confirmed"]),
        sql`lower(${chainTransactions.payload}->>'to') = ${offering.token.toLowerCase()}`,
        sql`${chainTransactions.payload}->'ref'->>'address' = ${address.toLowerCase()}`,
      ),
    )
    .orderBy(desc(chainTransactions.createdAt))
    .limit(1);
  return last?.kind === "freeze";
}

/** Whether staff are moving the holder's whole balance of the offering to a new wallet (asked or approved, not done). */
async function walletInRecovery(db: DbOrTx, offeringId: string, userId: string): Promise<boolean> {
  const [open] = await db
    .select({ id: forcedTransferRequests.id })
    .from(forcedTransferRequests)
    .where(and(eq(forcedTransferRequests.offeringId, offeringId), eq(forcedTransferRequests.holderId, userId), inArray(forcedTransferRequests.status, ["pending", "queued"])))
    .limit(1);
  return Boolean(open);
}

/**
 * Units free now in the holder's custodial wallet (perk redemptions and withdrawals both spend
 * them), and why none may move: the wallet is frozen or disputed, or staff are recovering it.
 * Callers that spend them hold the per-(holder, offering) lock (holderSpendLock) around the read.
 */
export async function custodialFreeUnits(db: DbOrTx, offeringId: string, userId: string): Promise<{ units: number; refusal: "wallet_frozen" | "wallet_in_recovery" | null }> {
  const units = await redeemableUnits(db, offeringId, userId);
  if (await walletFrozen(db, offeringId, userId)) return { units, refusal: "wallet_frozen" };
  // A burn or withdrawal landing first would leave the transfer short of units: the whole balance moves first.
  if (await walletInRecovery(db, offeringId, userId)) return { units, refusal: "wallet_in_recovery" };
  return { units, refusal: null };
}

/** The per-(holder, offering) transaction lock that perk claims and withdrawals take before spending free units. */
export async function holderSpendLock(tx: DbOrTx, offeringId: string, userId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`perk-holder:${offeringId}:${userId}`}, 0))`);
}

/** The holder's own standing for the perk (holding at the record date, or units free now), before window and stock. */
export async function standing(db: DbOrTx, perk: Perk, userId: string): Promise<{ units: number; refusal: EligibilityStatus | null }> {
  if (perk.kind === "holding") {
    const snapshot = await holdersSnapshot(perk.offeringId, perk.recordDate!, db);
    if (!snapshot) return { units: 0, refusal: "snapshot_pending" };
    const units = await unitsAtSnapshot(db, snapshot.id, userId);
    if (units === 0) return { units, refusal: "not_holder_at_record_date" };
    return { units, refusal: units < perk.minUnits! ? "below_minimum" : null };
  }
  const { units, refusal } = await custodialFreeUnits(db, perk.offeringId, userId);
  if (refusal) return { units, refusal };
  return { units, refusal: units < perk.costUnits! ? "insufficient_units" : null };
}

import "server-only";
import { and, desc, eq, gte, inArray, isNotNull, isNull, lt, sql } from "drizzle-orm";
import { getAddress, type Address } from "viem";
import { getDb, type DbOrTx } from "@/db/client";
import { chainTransactions, linkedWalletApprovals, linkedWallets, offerings, withdrawals, type Withdrawal } from "@/db/schema";
import { tokyoDate } from "@/lib/projects/dates";

/**
 * What withdrawals read: the caller's linked wallets that may receive an offering's token, units
 * on their way out of the custodial wallet, and the day's units against the limit. Linked wallets
 * are read here until lib/wallet-links offers the same (an approval counts when approved and
 * allowlisted on chain, not delisted, and the link is active).
 */

/** Statuses whose units count against the daily limit (a failed one gave its units back). */
const COUNTED = ["requested", "submitted", "confirmed"] as const;
/** Statuses whose units are still on their way out of the custodial wallet. */
const MOVING = ["requested", "submitted"] as const;

export type EligibleWallet = { linkedWalletId: string; address: Address };

const allowlistedFor = (offeringId: string) =>
  and(
    eq(linkedWalletApprovals.offeringId, offeringId),
    eq(linkedWalletApprovals.status, "approved"),
    isNotNull(linkedWalletApprovals.allowlistedAt),
    isNull(linkedWalletApprovals.delistedAt),
    eq(linkedWallets.status, "active"),
  );

/** The user's active linked wallets approved and allowlisted for the offering's token. */
export async function eligibleLinkedWallets(db: DbOrTx, userId: string, offeringId: string): Promise<EligibleWallet[]> {
  const rows = await db
    .select({ linkedWalletId: linkedWallets.id, address: linkedWallets.address })
    .from(linkedWallets)
    .innerJoin(linkedWalletApprovals, eq(linkedWalletApprovals.linkedWalletId, linkedWallets.id))
    .where(and(eq(linkedWallets.userId, userId), allowlistedFor(offeringId)))
    .orderBy(linkedWallets.linkedAt);
  return rows.map((row) => ({ linkedWalletId: row.linkedWalletId, address: getAddress(row.address) }));
}

/** One of the user's linked wallets when it may receive the offering's token now, else null (another's, unlinked, not approved or not allowlisted). */
export async function eligibleLinkedWallet(db: DbOrTx, userId: string, offeringId: string, linkedWalletId: string): Promise<EligibleWallet | null> {
  const [row] = await db
    .select({ linkedWalletId: linkedWallets.id, address: linkedWallets.address })
    .from(linkedWallets)
    .innerJoin(linkedWalletApprovals, eq(linkedWalletApprovals.linkedWalletId, linkedWallets.id))
    .where(and(eq(linkedWallets.id, linkedWalletId), eq(linkedWallets.userId, userId), allowlistedFor(offeringId)));
  return row ? { linkedWalletId: row.linkedWalletId, address: getAddress(row.address) } : null;
}

/** Every address the user ever linked (active or not): units there are theirs, not a lost custodial wallet's. */
export async function linkedAddressesOf(db: DbOrTx, userId: string): Promise<Set<Address>> {
  const rows = await db.select({ address: linkedWallets.address }).from(linkedWallets).where(eq(linkedWallets.userId, userId));
  return new Set(rows.map((row) => getAddress(row.address)));
}

/** Units of the user's withdrawals of the offering still leaving `fromAddress` (requested or submitted, not booked yet). */
export async function unitsWithdrawing(db: DbOrTx, offeringId: string, userId: string, fromAddress: string): Promise<number> {
  const [row] = await db
    .select({ units: sql<string>`coalesce(sum(${withdrawals.units}), 0)` })
    .from(withdrawals)
    .where(
      and(eq(withdrawals.offeringId, offeringId), eq(withdrawals.userId, userId), inArray(withdrawals.status, [...MOVING]), sql`lower(${withdrawals.fromAddress}) = ${fromAddress.toLowerCase()}`),
    );
  return Number(row?.units ?? 0);
}

/** The Tokyo day of `now` as an interval [start, end). */
function tokyoDay(now: Date): { start: Date; end: Date } {
  const start = new Date(`${tokyoDate(now)}T00:00:00+09:00`);
  return { start, end: new Date(start.getTime() + 86_400_000) };
}

/** Units and requests the user asked to withdraw of the offering on the Tokyo day of `now` (failed ones do not count). */
export async function requestedToday(db: DbOrTx, offeringId: string, userId: string, now: Date): Promise<{ units: number; requests: number }> {
  const { start, end } = tokyoDay(now);
  const [row] = await db
    .select({ units: sql<string>`coalesce(sum(${withdrawals.units}), 0)`, requests: sql<string>`count(*)` })
    .from(withdrawals)
    .where(and(eq(withdrawals.offeringId, offeringId), eq(withdrawals.userId, userId), inArray(withdrawals.status, [...COUNTED]), gte(withdrawals.createdAt, start), lt(withdrawals.createdAt, end)));
  return { units: Number(row?.units ?? 0), requests: Number(row?.requests ?? 0) };
}

/** Units the user asked to withdraw of the offering on the Tokyo day of `now` (failed ones do not count). */
export async function unitsRequestedToday(db: DbOrTx, offeringId: string, userId: string, now: Date): Promise<number> {
  return (await requestedToday(db, offeringId, userId, now)).units;
}

export type WithdrawalView = Withdrawal & { offeringNameJa: string; offeringNameEn: string; symbol: string; txHash: string | null; chainStatus: string | null };

function viewQuery(db: DbOrTx) {
  return db
    .select({
      withdrawal: withdrawals,
      offeringNameJa: offerings.nameJa,
      offeringNameEn: offerings.nameEn,
      symbol: offerings.tokenSymbol,
      txHash: chainTransactions.txHash,
      chainStatus: chainTransactions.status,
    })
    .from(withdrawals)
    .innerJoin(offerings, eq(offerings.id, withdrawals.offeringId))
    .leftJoin(chainTransactions, eq(chainTransactions.id, withdrawals.chainTransactionId));
}

const toView = ({ withdrawal, ...rest }: Awaited<ReturnType<ReturnType<typeof viewQuery>["execute"]>>[number]): WithdrawalView => ({ ...withdrawal, ...rest });

/** The user's withdrawals, newest first. */
export async function withdrawalsOf(userId: string, limit = 50): Promise<WithdrawalView[]> {
  const rows = await viewQuery(getDb()).where(eq(withdrawals.userId, userId)).orderBy(desc(withdrawals.createdAt)).limit(limit);
  return rows.map(toView);
}

/** One of the user's withdrawals (null for another's or an unknown id). */
export async function withdrawalOf(userId: string, withdrawalId: string): Promise<WithdrawalView | null> {
  const [row] = await viewQuery(getDb()).where(and(eq(withdrawals.id, withdrawalId), eq(withdrawals.userId, userId)));
  return row ? toView(row) : null;
}

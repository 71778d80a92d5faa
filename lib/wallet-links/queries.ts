import "server-only";
import { and, asc, desc, eq, inArray, isNotNull, ne, or, sql } from "drizzle-orm";
import { getAddress, type Address } from "viem";
import { getDb, type DbOrTx } from "@/db/client";
import { chainTransactions, ledgerEntries, linkedWalletApprovals, linkedWallets, offerings, type LinkedWallet, type LinkedWalletApproval } from "@/db/schema";

/** Reads of own wallets: for other concerns (withdrawals, reconciliation) and for the investor's page. */

const TOKEN_KINDS = ["tokens_allocated", "tokens_clawed_back", "tokens_transferred", "tokens_redeemed"] as const;

/** Units the investor holds per offering, by the ledger (wherever they sit). */
export async function heldUnitsByOffering(db: DbOrTx, userId: string): Promise<{ offeringId: string; units: number }[]> {
  const rows = await db
    .select({ offeringId: ledgerEntries.offeringId, units: sql<string>`coalesce(sum(${ledgerEntries.units}), 0)` })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.userId, userId), inArray(ledgerEntries.kind, [...TOKEN_KINDS])))
    .groupBy(ledgerEntries.offeringId);
  return rows.map((row) => ({ offeringId: row.offeringId, units: Number(row.units) }));
}

/** The investor's active own wallets, oldest first. */
export async function activeLinkedWalletsOf(db: DbOrTx, userId: string): Promise<LinkedWallet[]> {
  return db
    .select()
    .from(linkedWallets)
    .where(and(eq(linkedWallets.userId, userId), eq(linkedWallets.status, "active")))
    .orderBy(asc(linkedWallets.linkedAt));
}

/**
 * The investor's active link of `address` if it is approved for the offering and on its allowlist
 * on chain (allowlistedAt set, not removed); else null. A withdrawal may go only there.
 */
export async function approvedAllowlistedAddress(db: DbOrTx, input: { userId: string; offeringId: string; address: string }): Promise<LinkedWallet | null> {
  const [row] = await db
    .select({ wallet: linkedWallets })
    .from(linkedWallets)
    .innerJoin(linkedWalletApprovals, eq(linkedWalletApprovals.linkedWalletId, linkedWallets.id))
    .where(
      and(
        eq(linkedWallets.userId, input.userId),
        eq(linkedWallets.status, "active"),
        sql`lower(${linkedWallets.address}) = ${input.address.toLowerCase()}`,
        eq(linkedWalletApprovals.offeringId, input.offeringId),
        eq(linkedWalletApprovals.status, "approved"),
        isNotNull(linkedWalletApprovals.allowlistedAt),
      ),
    );
  return row?.wallet ?? null;
}

/**
 * Own wallets on an offering's allowlist, with their investor: active links approved and
 * allowlisted. With `includeUnlinked`, also links unlinked after they were allowlisted (tokens left
 * there are still the investor's by the ledger).
 */
export async function linkedAddressesOfOffering(db: DbOrTx, offeringId: string, options: { includeUnlinked?: boolean } = {}): Promise<{ userId: string; address: Address }[]> {
  const current = and(eq(linkedWallets.status, "active"), eq(linkedWalletApprovals.status, "approved"));
  const rows = await db
    .selectDistinct({ userId: linkedWallets.userId, address: linkedWallets.address })
    .from(linkedWallets)
    .innerJoin(linkedWalletApprovals, eq(linkedWalletApprovals.linkedWalletId, linkedWallets.id))
    .where(
      and(
        eq(linkedWalletApprovals.offeringId, offeringId),
        isNotNull(linkedWalletApprovals.allowlistedAt),
        options.includeUnlinked ? or(current, eq(linkedWalletApprovals.status, "removed")) : current,
      ),
    );
  return rows.map((row) => ({ userId: row.userId, address: getAddress(row.address) }));
}

/** Where an approval stands, as the investor and staff see it. */
export type ApprovalState = "requested" | "waiting" | "allowlisted" | "failed" | "rejected" | "removing" | "removed";

export function approvalState(approval: Pick<LinkedWalletApproval, "status" | "allowlistedAt" | "delistTxId" | "delistedAt">, txFailed: boolean): ApprovalState {
  if (approval.status === "requested") return "requested";
  if (approval.status === "rejected") return "rejected";
  if (approval.status === "removed") return approval.allowlistedAt && !approval.delistedAt ? "removing" : "removed";
  if (approval.allowlistedAt) return "allowlisted";
  return txFailed ? "failed" : "waiting";
}

type ApprovalView = {
  id: string;
  offeringId: string;
  nameJa: string;
  nameEn: string;
  state: ApprovalState;
  reason: string | null;
  requestedAt: Date;
  decidedAt: Date | null;
};

export type LinkedWalletView = { id: string; address: Address; linkedAt: Date; approvals: ApprovalView[] };

/** The investor's active own wallets with their approvals per offering, for /account/wallets. */
export async function linkedWalletsView(userId: string, db: DbOrTx = getDb()): Promise<LinkedWalletView[]> {
  const wallets = await activeLinkedWalletsOf(db, userId);
  if (wallets.length === 0) return [];
  const rows = await db
    .select({ approval: linkedWalletApprovals, nameJa: offerings.nameJa, nameEn: offerings.nameEn, txStatus: chainTransactions.status })
    .from(linkedWalletApprovals)
    .innerJoin(offerings, eq(offerings.id, linkedWalletApprovals.offeringId))
    .leftJoin(chainTransactions, eq(chainTransactions.id, linkedWalletApprovals.allowlistTxId))
    .where(
      inArray(
        linkedWalletApprovals.linkedWalletId,
        wallets.map((wallet) => wallet.id),
      ),
    )
    .orderBy(asc(linkedWalletApprovals.requestedAt));
  return wallets.map((wallet) => ({
    id: wallet.id,
    address: getAddress(wallet.address),
    linkedAt: wallet.linkedAt,
    approvals: rows
      .filter((row) => row.approval.linkedWalletId === wallet.id)
      .map(({ approval, nameJa, nameEn, txStatus }) => ({
        id: approval.id,
        offeringId: approval.offeringId,
        nameJa,
        nameEn,
        state: approvalState(approval, txStatus === "failed"),
        reason: approval.reason,
        requestedAt: approval.requestedAt,
        decidedAt: approval.decidedAt,
      })),
  }));
}

/** Offerings an own wallet may ask approval for: token deployed, and open or held by the investor. */
export async function requestableOfferings(userId: string, db: DbOrTx = getDb()): Promise<{ id: string; nameJa: string; nameEn: string }[]> {
  const held = (await heldUnitsByOffering(db, userId)).filter((row) => row.units > 0).map((row) => row.offeringId);
  return db
    .select({ id: offerings.id, nameJa: offerings.nameJa, nameEn: offerings.nameEn })
    .from(offerings)
    .where(and(isNotNull(offerings.tokenAddress), ne(offerings.status, "draft"), or(eq(offerings.status, "open"), held.length > 0 ? inArray(offerings.id, held) : sql`false`)))
    .orderBy(desc(offerings.opensAt));
}

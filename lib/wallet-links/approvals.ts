import "server-only";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { getAddress, type Address } from "viem";
import { getDb } from "@/db/client";
import { chainTransactions, investorProfiles, ledgerEntries, linkedWalletApprovals, linkedWallets, users, type Offering } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import type { SessionUser } from "@/lib/auth/roles";
import { offeringForStaff } from "@/lib/issuers/access";
import { enqueue } from "@/lib/jobs/enqueue";
import { JOBS } from "@/lib/jobs/names";
import { notify } from "@/lib/notifications/notices";
import { approvalState, type ApprovalState } from "./queries";

/**
 * Staff of the offering's issuer (or admin) approve an own wallet for the offering's token
 * allowlist, the same compliance step as for a custodial wallet, or refuse it with a reason. An
 * approval queues the allowlisting in the same transaction (lib/wallet-links/allowlist.ts).
 */

type StaffUser = Pick<SessionUser, "id" | "role">;

export type StaffApprovalRow = {
  id: string;
  state: ApprovalState;
  address: Address;
  userId: string;
  email: string;
  name: string | null;
  linkedAt: Date;
  requestedAt: Date;
  decidedAt: Date | null;
  reason: string | null;
  /** Units the investor holds of this offering, by the ledger. */
  units: number;
  allowlistTxHash: string | null;
};

/** The offering's own-wallet approvals, requested first; null for an offering the user does not act for. */
export async function staffApprovalsFor(user: StaffUser, offeringId: string): Promise<{ offering: Offering; approvals: StaffApprovalRow[] } | null> {
  const offering = await offeringForStaff(user, offeringId);
  if (!offering) return null;
  const rows = await getDb()
    .select({
      approval: linkedWalletApprovals,
      address: linkedWallets.address,
      userId: linkedWallets.userId,
      linkedAt: linkedWallets.linkedAt,
      email: users.email,
      userName: users.name,
      family: investorProfiles.familyNameKanji,
      given: investorProfiles.givenNameKanji,
      txStatus: chainTransactions.status,
      txHash: chainTransactions.txHash,
    })
    .from(linkedWalletApprovals)
    .innerJoin(linkedWallets, eq(linkedWallets.id, linkedWalletApprovals.linkedWalletId))
    .innerJoin(users, eq(users.id, linkedWallets.userId))
    .leftJoin(investorProfiles, eq(investorProfiles.userId, linkedWallets.userId))
    .leftJoin(chainTransactions, eq(chainTransactions.id, linkedWalletApprovals.allowlistTxId))
    .where(eq(linkedWalletApprovals.offeringId, offering.id))
    .orderBy(sql`${linkedWalletApprovals.status} = 'requested' desc`, asc(linkedWalletApprovals.requestedAt))
    .limit(500);
  const userIds = [...new Set(rows.map((row) => row.userId))];
  const held = userIds.length
    ? await getDb()
        .select({ userId: ledgerEntries.userId, units: sql<string>`coalesce(sum(${ledgerEntries.units}), 0)` })
        .from(ledgerEntries)
        .where(
          and(
            eq(ledgerEntries.offeringId, offering.id),
            inArray(ledgerEntries.userId, userIds),
            inArray(ledgerEntries.kind, ["tokens_allocated", "tokens_clawed_back", "tokens_transferred", "tokens_redeemed"]),
          ),
        )
        .groupBy(ledgerEntries.userId)
    : [];
  const approvals = rows.map((row) => ({
    id: row.approval.id,
    state: approvalState(row.approval, row.txStatus === "failed"),
    address: getAddress(row.address),
    userId: row.userId,
    email: row.email,
    name: row.family && row.given ? `${row.family} ${row.given}` : row.userName,
    linkedAt: row.linkedAt,
    requestedAt: row.approval.requestedAt,
    decidedAt: row.approval.decidedAt,
    reason: row.approval.reason,
    units: Number(held.find((entry) => entry.userId === row.userId)?.units ?? 0),
    allowlistTxHash: row.txHash,
  }));
  return { offering, approvals };
}

type DecisionError = "notFound" | "notRequested" | "ownWallet" | "noToken";
export type DecisionResult = { ok: true } | { ok: false; error: DecisionError };

/** The approval, if it belongs to this offering and its wallet is still linked. */
async function pendingOf(offeringId: string, approvalId: string) {
  const [row] = await getDb()
    .select({ approval: linkedWalletApprovals, wallet: linkedWallets })
    .from(linkedWalletApprovals)
    .innerJoin(linkedWallets, eq(linkedWallets.id, linkedWalletApprovals.linkedWalletId))
    .where(and(eq(linkedWalletApprovals.id, approvalId), eq(linkedWalletApprovals.offeringId, offeringId)));
  return row ?? null;
}

/** Decides a requested approval once: the conditional update is the guard against two staff deciding at once. */
async function decide(user: StaffUser, input: { offeringId: string; approvalId: string }, decision: "approved" | "rejected", reason: string | null): Promise<DecisionResult> {
  const offering = await offeringForStaff(user, input.offeringId);
  if (!offering) return { ok: false, error: "notFound" };
  const found = await pendingOf(offering.id, input.approvalId);
  if (!found) return { ok: false, error: "notFound" };
  // Staff who invest too do not approve their own wallet.
  if (found.wallet.userId === user.id) return { ok: false, error: "ownWallet" };
  if (decision === "approved" && !offering.tokenAddress) return { ok: false, error: "noToken" };
  return getDb().transaction(async (tx): Promise<DecisionResult> => {
    const [decided] = await tx
      .update(linkedWalletApprovals)
      .set({ status: decision, decidedBy: user.id, decidedAt: sql`now()`, reason })
      .where(
        and(
          eq(linkedWalletApprovals.id, found.approval.id),
          eq(linkedWalletApprovals.status, "requested"),
          sql`exists (select 1 from ${linkedWallets} where ${linkedWallets.id} = ${linkedWalletApprovals.linkedWalletId} and ${linkedWallets.status} = 'active')`,
        ),
      )
      .returning();
    if (!decided) return { ok: false, error: "notRequested" };
    const { address, userId } = found.wallet;
    await recordAudit(tx, {
      actorId: user.id,
      action: decision === "approved" ? "wallet_link.approved" : "wallet_link.rejected",
      targetType: "linked_wallet",
      targetId: found.wallet.id,
      detail: { approvalId: decided.id, offeringId: offering.id, userId, address, ...(reason ? { reason } : {}) },
    });
    if (decision === "approved") {
      await enqueue(tx, JOBS.linkedWalletAllowlist, { approvalId: decided.id });
    } else {
      await notify(tx, {
        userId,
        kind: "wallet_link_rejected",
        detail: { address, offeringNameJa: offering.nameJa, offeringNameEn: offering.nameEn, reason: reason ?? "", linkedWalletId: found.wallet.id },
      });
    }
    return { ok: true };
  });
}

export function approveLinkedWallet(user: StaffUser, input: { offeringId: string; approvalId: string }): Promise<DecisionResult> {
  return decide(user, input, "approved", null);
}

export function rejectLinkedWallet(user: StaffUser, input: { offeringId: string; approvalId: string; reason: string }): Promise<DecisionResult> {
  return decide(user, input, "rejected", input.reason);
}

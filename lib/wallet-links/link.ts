import "server-only";
import { and, eq, inArray, isNotNull, ne, sql } from "drizzle-orm";
import { isAddress } from "viem";
import { getDb, type DbOrTx } from "@/db/client";
import { linkedWalletApprovals, linkedWallets, offerings, withdrawals, type LinkedWallet } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { enqueue } from "@/lib/jobs/enqueue";
import { JOBS } from "@/lib/jobs/names";
import { purchaseBlockers } from "@/lib/onboarding/state";
import { activeLinkedWalletsOf, heldUnitsByOffering } from "./queries";
import { isReservedAddress } from "./reserved";
import { checkSiweLink, issueSiweChallenge, spendNonce, type SiweRefused } from "./siwe";

/**
 * Linking an own wallet (a SIWE proof), asking for its approval on an offering's allowlist, and
 * unlinking it. Only an investor who may buy (onboarded, identity approved) links a wallet; a
 * linked wallet asks for approval on every offering whose units the investor holds.
 */

async function mayLink(userId: string): Promise<boolean> {
  return (await purchaseBlockers(userId)).length === 0;
}

/** Active own wallets one investor may have at once (each asks staff for approvals). */
export const MAX_ACTIVE_LINKS = 10;

/** A challenge to sign, for an investor who may link a wallet, for an address that may be linked. */
export async function startWalletLink(userId: string, address: string, now = new Date()): Promise<{ ok: true; message: string; nonce: string } | SiweRefused> {
  if (!(await mayLink(userId))) return { ok: false, reason: "notApproved" };
  if (isAddress(address, { strict: false }) && (await isReservedAddress(getDb(), address))) return { ok: false, reason: "reservedAddress" };
  return issueSiweChallenge(userId, address, now);
}

/** Asks approval on each offering (with a token) whose units the investor holds; returns the offerings newly asked. */
async function requestForHoldings(tx: DbOrTx, userId: string, linkedWalletId: string): Promise<string[]> {
  const held = (await heldUnitsByOffering(tx, userId)).filter((row) => row.units > 0);
  if (held.length === 0) return [];
  const withToken = await tx
    .select({ id: offerings.id })
    .from(offerings)
    .where(
      and(
        inArray(
          offerings.id,
          held.map((row) => row.offeringId),
        ),
        isNotNull(offerings.tokenAddress),
      ),
    );
  if (withToken.length === 0) return [];
  const rows = await tx
    .insert(linkedWalletApprovals)
    .values(withToken.map((offering) => ({ linkedWalletId, offeringId: offering.id })))
    .onConflictDoNothing()
    .returning({ offeringId: linkedWalletApprovals.offeringId });
  return rows.map((row) => row.offeringId);
}

export type LinkResult = { ok: true; wallet: LinkedWallet; created: boolean; requested: string[] } | SiweRefused;

/**
 * Checks the signed message, spends its nonce and records the link in one transaction. An address
 * active for this investor already is the same link (idempotent); active for someone else, refused.
 */
export async function linkWallet(userId: string, message: string, signature: string, now = new Date()): Promise<LinkResult> {
  if (!(await mayLink(userId))) return { ok: false, reason: "notApproved" };
  const checked = await checkSiweLink(userId, message, signature, now);
  if (!checked.ok) return checked;
  if (await isReservedAddress(getDb(), checked.address)) return { ok: false, reason: "reservedAddress" };
  return getDb().transaction(async (tx): Promise<LinkResult> => {
    // One investor's links are counted and added one at a time.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`wallet-links:${userId}`}, 0))`);
    const mine = await activeLinkedWalletsOf(tx, userId);
    const again = mine.some((wallet) => wallet.address.toLowerCase() === checked.address.toLowerCase());
    if (!again && mine.length >= MAX_ACTIVE_LINKS) return { ok: false, reason: "tooManyWallets" };
    if (!(await spendNonce(tx, userId, checked.nonce, now))) return { ok: false, reason: "replayed" };
    // The partial unique index (one active link per address) decides a race between two investors.
    const [created] = await tx.insert(linkedWallets).values({ userId, address: checked.address, siweMessage: message, signature, linkedAt: now }).onConflictDoNothing().returning();
    let wallet = created;
    if (!wallet) {
      const [active] = await tx
        .select()
        .from(linkedWallets)
        .where(and(sql`lower(${linkedWallets.address}) = ${checked.address.toLowerCase()}`, eq(linkedWallets.status, "active")));
      if (!active || active.userId !== userId) return { ok: false, reason: "alreadyLinkedToSomeoneElse" };
      wallet = active;
    } else {
      await recordAudit(tx, { actorId: userId, action: "wallet_link.linked", targetType: "linked_wallet", targetId: wallet.id, detail: { address: wallet.address } });
    }
    const requested = await requestForHoldings(tx, userId, wallet.id);
    return { ok: true, wallet, created: Boolean(created), requested };
  });
}

export type RequestApprovalResult = { ok: true; approvalId: string; status: "requested" | "already" } | { ok: false; error: "notFound" | "notEligible" };

/**
 * Asks approval of an own wallet on one more offering: one that is open or whose units the investor
 * holds, with its token deployed. A refused request may be asked again; a pending or approved one stays as it is.
 */
export async function requestApproval(userId: string, linkedWalletId: string, offeringId: string, db: DbOrTx = getDb()): Promise<RequestApprovalResult> {
  const [wallet] = await db
    .select({ id: linkedWallets.id })
    .from(linkedWallets)
    .where(and(eq(linkedWallets.id, linkedWalletId), eq(linkedWallets.userId, userId), eq(linkedWallets.status, "active")));
  if (!wallet) return { ok: false, error: "notFound" };
  const [offering] = await db.select({ id: offerings.id, status: offerings.status, tokenAddress: offerings.tokenAddress }).from(offerings).where(eq(offerings.id, offeringId));
  if (!offering) return { ok: false, error: "notFound" };
  const held = (await heldUnitsByOffering(db, userId)).some((row) => row.offeringId === offeringId && row.units > 0);
  if (!offering.tokenAddress || (offering.status !== "open" && !held)) return { ok: false, error: "notEligible" };
  const [inserted] = await db.insert(linkedWalletApprovals).values({ linkedWalletId, offeringId }).onConflictDoNothing().returning({ id: linkedWalletApprovals.id });
  if (inserted) return { ok: true, approvalId: inserted.id, status: "requested" };
  const [again] = await db
    .update(linkedWalletApprovals)
    .set({ status: "requested", requestedAt: sql`now()`, decidedBy: null, decidedAt: null, reason: null })
    .where(and(eq(linkedWalletApprovals.linkedWalletId, linkedWalletId), eq(linkedWalletApprovals.offeringId, offeringId), eq(linkedWalletApprovals.status, "rejected")))
    .returning({ id: linkedWalletApprovals.id });
  if (again) return { ok: true, approvalId: again.id, status: "requested" };
  const [existing] = await db
    .select({ id: linkedWalletApprovals.id })
    .from(linkedWalletApprovals)
    .where(and(eq(linkedWalletApprovals.linkedWalletId, linkedWalletId), eq(linkedWalletApprovals.offeringId, offeringId)));
  return { ok: true, approvalId: existing!.id, status: "already" };
}

export type UnlinkResult = { ok: true; delisting: number } | { ok: false; error: "notFound" | "withdrawalInFlight" };

/**
 * Unlinks an own wallet: its approvals are removed and every one already allowlisted (or on its way)
 * is queued to come off the allowlist. Refused while a withdrawal to it is on its way. Tokens left at
 * the address stay the investor's (the ledger says so) but cannot move under the allowlist until it is linked and approved again.
 */
export async function unlinkWallet(userId: string, linkedWalletId: string, now = new Date()): Promise<UnlinkResult> {
  return getDb().transaction(async (tx): Promise<UnlinkResult> => {
    // The row lock orders this against a withdrawal being requested to the same wallet.
    const [wallet] = await tx
      .select()
      .from(linkedWallets)
      .where(and(eq(linkedWallets.id, linkedWalletId), eq(linkedWallets.userId, userId), eq(linkedWallets.status, "active")))
      .for("update");
    if (!wallet) return { ok: false, error: "notFound" };
    const [inFlight] = await tx
      .select({ id: withdrawals.id })
      .from(withdrawals)
      .where(and(eq(withdrawals.linkedWalletId, wallet.id), inArray(withdrawals.status, ["requested", "submitted"])))
      .limit(1);
    if (inFlight) return { ok: false, error: "withdrawalInFlight" };
    await tx.update(linkedWallets).set({ status: "unlinked", unlinkedAt: now }).where(eq(linkedWallets.id, wallet.id));
    const removed = await tx
      .update(linkedWalletApprovals)
      .set({ status: "removed" })
      .where(and(eq(linkedWalletApprovals.linkedWalletId, wallet.id), ne(linkedWalletApprovals.status, "removed")))
      .returning({ id: linkedWalletApprovals.id, offeringId: linkedWalletApprovals.offeringId, allowlistTxId: linkedWalletApprovals.allowlistTxId });
    const onChain = removed.filter((approval) => approval.allowlistTxId !== null);
    for (const approval of onChain) await enqueue(tx, JOBS.linkedWalletAllowlist, { approvalId: approval.id });
    await recordAudit(tx, {
      actorId: userId,
      action: "wallet_link.unlinked",
      targetType: "linked_wallet",
      targetId: wallet.id,
      detail: { address: wallet.address, removedApprovals: removed.map((approval) => approval.offeringId), delisting: onChain.map((approval) => approval.offeringId) },
    });
    return { ok: true, delisting: onChain.length };
  });
}

import "server-only";
import { and, eq, isNotNull, isNull, or, sql, type AnyColumn } from "drizzle-orm";
import { getAddress } from "viem";
import type { DbOrTx } from "@/db/client";
import { chainTransactions, linkedWalletApprovals, linkedWallets, offerings, type ChainTransaction } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import type { ChainContext } from "@/lib/chain/context";
import { allowlistIntent } from "@/lib/chain/intents";
import { submitTransaction, waitForTransactions } from "@/lib/chain/signer-queue";
import { enqueue } from "@/lib/jobs/enqueue";
import { JOBS } from "@/lib/jobs/names";
import { notify } from "@/lib/notifications/notices";

/**
 * An approved own wallet goes on its offering's token allowlist, and an unlinked one comes off,
 * through the signer queue once each: the transaction is queued in the transaction that locks the
 * approval and sets its allowlistTxId (delistTxId), so a second run or a concurrent worker sees it
 * and only waits. Whoever sets allowlistedAt (delistedAt) writes the audit entry and the notice.
 * A failed transaction waits for staff on the offering's chain page (retry: requeueLinkedWalletTx).
 */

/** Another active link of the same address approved on the same offering: then the address stays on the allowlist. */
const stillApprovedElsewhere = sql`exists (
  select 1 from ${linkedWalletApprovals} other join ${linkedWallets} other_wallet on other_wallet.id = other.linked_wallet_id
  where other.offering_id = ${linkedWalletApprovals.offeringId} and other.id <> ${linkedWalletApprovals.id}
    and other.status = 'approved' and other_wallet.status = 'active' and lower(other_wallet.address) = lower(${linkedWallets.address}))`;

const txStatus = (column: AnyColumn) => sql`(select ${chainTransactions.status} from ${chainTransactions} where ${chainTransactions.id} = ${column})`;

/** Approvals with something left to do on chain: to queue, or queued and not yet booked (a failed transaction waits for staff). */
const needsWork = or(
  and(eq(linkedWalletApprovals.status, "approved"), eq(linkedWallets.status, "active"), isNull(linkedWalletApprovals.allowlistTxId)),
  and(isNotNull(linkedWalletApprovals.allowlistTxId), isNull(linkedWalletApprovals.allowlistedAt), sql`${txStatus(linkedWalletApprovals.allowlistTxId)} <> 'failed'`),
  and(eq(linkedWalletApprovals.status, "removed"), isNotNull(linkedWalletApprovals.allowlistedAt), isNull(linkedWalletApprovals.delistTxId), sql`not ${stillApprovedElsewhere}`),
  and(isNotNull(linkedWalletApprovals.delistTxId), isNull(linkedWalletApprovals.delistedAt), sql`${txStatus(linkedWalletApprovals.delistTxId)} <> 'failed'`),
);

function approvalRow(db: DbOrTx, approvalId: string) {
  return db
    .select({
      approval: linkedWalletApprovals,
      address: linkedWallets.address,
      userId: linkedWallets.userId,
      walletStatus: linkedWallets.status,
      token: offerings.tokenAddress,
      chainId: offerings.chainId,
      nameJa: offerings.nameJa,
      nameEn: offerings.nameEn,
      keepListed: sql<boolean>`${stillApprovedElsewhere}`,
    })
    .from(linkedWalletApprovals)
    .innerJoin(linkedWallets, eq(linkedWallets.id, linkedWalletApprovals.linkedWalletId))
    .innerJoin(offerings, eq(offerings.id, linkedWalletApprovals.offeringId))
    .where(eq(linkedWalletApprovals.id, approvalId));
}

type Row = Awaited<ReturnType<typeof approvalRow>>[number];

/** Queues what the approval needs now (at most one transaction), under the approval's row lock. */
async function queueStep(ctx: ChainContext, approvalId: string): Promise<Row | null> {
  return ctx.db.transaction(async (tx) => {
    const [named] = await tx
      .select({ offeringId: linkedWalletApprovals.offeringId, address: linkedWallets.address })
      .from(linkedWalletApprovals)
      .innerJoin(linkedWallets, eq(linkedWallets.id, linkedWalletApprovals.linkedWalletId))
      .where(eq(linkedWalletApprovals.id, approvalId));
    if (!named) return null;
    // One address on one token at a time: a delisting decided on "nobody else approved" is queued
    // before another link's allowlisting of the same address, never after it (nonces follow queue order).
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`linked-allowlist:${named.offeringId}:${named.address.toLowerCase()}`}, 0))`);
    const [row] = await approvalRow(tx, approvalId).for("update", { of: linkedWalletApprovals });
    if (!row?.token || row.chainId !== ctx.chainId) return row ?? null;
    const { approval } = row;
    const token = getAddress(row.token);
    const address = getAddress(row.address);
    const ref = { linkedWalletApprovalId: approval.id, offeringId: approval.offeringId };
    if (approval.status === "approved" && row.walletStatus === "active" && !approval.allowlistTxId) {
      const queued = await submitTransaction(tx, ctx, allowlistIntent(token, [address], true, ref));
      await tx.update(linkedWalletApprovals).set({ allowlistTxId: queued.id }).where(eq(linkedWalletApprovals.id, approval.id));
      return { ...row, approval: { ...approval, allowlistTxId: queued.id } };
    }
    if (approval.status === "removed" && approval.allowlistedAt && !approval.delistTxId && !row.keepListed) {
      const queued = await submitTransaction(tx, ctx, allowlistIntent(token, [address], false, ref));
      await tx.update(linkedWalletApprovals).set({ delistTxId: queued.id }).where(eq(linkedWalletApprovals.id, approval.id));
      return { ...row, approval: { ...approval, delistTxId: queued.id } };
    }
    return row;
  });
}

/** Books a confirmed allowlisting once: allowlistedAt, the audit entry, and the investor's notice while the approval stands. */
async function bookAllowlisted(ctx: ChainContext, row: Row, done: ChainTransaction): Promise<boolean> {
  return ctx.db.transaction(async (tx) => {
    const [booked] = await tx
      .update(linkedWalletApprovals)
      .set({ allowlistedAt: sql`now()` })
      .where(and(eq(linkedWalletApprovals.id, row.approval.id), eq(linkedWalletApprovals.allowlistTxId, done.id), isNull(linkedWalletApprovals.allowlistedAt)))
      .returning();
    if (!booked) return false;
    const address = getAddress(row.address);
    await recordAudit(tx, {
      actorId: null,
      action: "wallet_link.allowlisted",
      targetType: "linked_wallet",
      targetId: booked.linkedWalletId,
      detail: { approvalId: booked.id, offeringId: booked.offeringId, userId: row.userId, address, chainTransactionId: done.id, txHash: done.txHash },
    });
    if (booked.status === "approved") {
      await notify(tx, {
        userId: row.userId,
        kind: "wallet_link_approved",
        detail: { address, offeringNameJa: row.nameJa, offeringNameEn: row.nameEn, linkedWalletId: booked.linkedWalletId, ...(done.txHash ? { txHash: done.txHash } : {}) },
      });
    }
    return true;
  });
}

async function bookDelisted(ctx: ChainContext, row: Row, done: ChainTransaction): Promise<boolean> {
  return ctx.db.transaction(async (tx) => {
    const [booked] = await tx
      .update(linkedWalletApprovals)
      .set({ delistedAt: sql`now()` })
      .where(and(eq(linkedWalletApprovals.id, row.approval.id), eq(linkedWalletApprovals.delistTxId, done.id), isNull(linkedWalletApprovals.delistedAt)))
      .returning();
    if (!booked) return false;
    await recordAudit(tx, {
      actorId: null,
      action: "wallet_link.delisted",
      targetType: "linked_wallet",
      targetId: booked.linkedWalletId,
      detail: { approvalId: booked.id, offeringId: booked.offeringId, userId: row.userId, address: getAddress(row.address), chainTransactionId: done.id, txHash: done.txHash },
    });
    return true;
  });
}

export type AllowlistOutcome = "allowlisted" | "delisted" | "removed" | "failed" | "idle";

/**
 * Brings one approval's chain state up to date: queues the allowlisting (or, once removed, the
 * delisting), waits for it and books it. An approval removed while its allowlisting was on its way
 * is booked allowlisted and then delisted in the same run.
 */
export async function runLinkedWalletAllowlist(ctx: ChainContext, approvalId: string): Promise<AllowlistOutcome> {
  for (let pass = 0; pass < 4; pass++) {
    const row = await queueStep(ctx, approvalId);
    if (!row) return "idle";
    const { approval } = row;
    const follow = [approval.allowlistedAt ? null : approval.allowlistTxId, approval.delistedAt ? null : approval.delistTxId].filter((id): id is string => id !== null);
    if (follow.length === 0) return approval.delistedAt ? "delisted" : approval.allowlistedAt && approval.status === "approved" ? "allowlisted" : "idle";
    const done = await waitForTransactions(ctx, follow);
    if (done.some((tx) => tx.status === "failed")) return "failed";
    for (const tx of done) {
      if (tx.id === approval.allowlistTxId) await bookAllowlisted(ctx, row, tx);
      if (tx.id === approval.delistTxId) await bookDelisted(ctx, row, tx);
    }
  }
  return "idle";
}

/** The sweep: approvals left in between (a lost job, a restarted worker), each brought up to date. */
export async function sweepLinkedWalletAllowlists(ctx: ChainContext): Promise<number> {
  const rows = await ctx.db
    .select({ id: linkedWalletApprovals.id })
    .from(linkedWalletApprovals)
    .innerJoin(linkedWallets, eq(linkedWallets.id, linkedWalletApprovals.linkedWalletId))
    .innerJoin(offerings, eq(offerings.id, linkedWalletApprovals.offeringId))
    .where(and(eq(offerings.chainId, ctx.chainId), isNotNull(offerings.tokenAddress), needsWork))
    .limit(500);
  for (const row of rows) await runLinkedWalletAllowlist(ctx, row.id);
  return rows.length;
}

/**
 * Staff retry a failed allowlisting or delisting from the chain page: the approval lets go of the
 * failed transaction and its job queues a new one. Returns the approval's id, or null when the transaction is not one of ours.
 */
export async function requeueLinkedWalletTx(tx: DbOrTx, row: ChainTransaction): Promise<string | null> {
  const approvalId = row.payload?.ref.linkedWalletApprovalId;
  if (typeof approvalId !== "string" || (row.kind !== "allowlist" && row.kind !== "delist")) return null;
  const column = row.kind === "allowlist" ? linkedWalletApprovals.allowlistTxId : linkedWalletApprovals.delistTxId;
  const freed = await tx
    .update(linkedWalletApprovals)
    .set(row.kind === "allowlist" ? { allowlistTxId: null } : { delistTxId: null })
    .where(and(eq(linkedWalletApprovals.id, approvalId), eq(column, row.id)))
    .returning({ id: linkedWalletApprovals.id });
  if (freed.length === 0) return null;
  await enqueue(tx, JOBS.linkedWalletAllowlist, { approvalId });
  return approvalId;
}

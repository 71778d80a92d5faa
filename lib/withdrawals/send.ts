import "server-only";
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { getAddress, type Address } from "viem";
import type { DbOrTx } from "@/db/client";
import { chainTransactions, ledgerEntries, offerings, withdrawals, type ChainTransaction, type Withdrawal } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { chainContext, type ChainContext } from "@/lib/chain/context";
import { classifyChainError } from "@/lib/chain/errors";
import { explorerTxUrl } from "@/lib/chain/queries";
import { retrying, submitTransaction, waitForTransactions } from "@/lib/chain/signer-queue";
import type { MasterKeys } from "@/lib/custody/envelope";
import { walletAccount } from "@/lib/custody/wallets";
import { env } from "@/lib/env";
import { notify } from "@/lib/notifications/notices";
import { gasTopupIntent, withdrawalIntent } from "./intents";
import { eligibleLinkedWallet } from "./queries";

/**
 * Sends one withdrawal, exactly once, from whichever job or sweep gets there:
 * 1. the custodial wallet gets gas if it lacks it: one top-up from the operator, queued in the
 *    transaction that sets `gasTopupTxId` under the withdrawal's row lock, then waited for;
 * 2. the transfer signed with the custodial key is queued on that key's own signer queue, in the
 *    transaction that sets `chainTransactionId` and `submitted` under the row lock (so never twice);
 * 3. once final, whoever flips `submitted` to confirmed (or failed) writes the ledger pair (or the
 *    failure), the audit entry and the holder's notice; a second run finds nothing left to flip.
 */

/** Gas is bought for twice the estimate at today's fees, so a fee bump or two still fits. */
const GAS_MARGIN = 2n;

export type SendOutcome = Withdrawal["status"] | "not_found";

type Found = { withdrawal: Withdrawal; token: Address | null; nameJa: string; nameEn: string };

async function load(db: DbOrTx, withdrawalId: string, lock = false): Promise<Found | null> {
  const query = db
    .select({ withdrawal: withdrawals, token: offerings.tokenAddress, chainId: offerings.chainId, nameJa: offerings.nameJa, nameEn: offerings.nameEn })
    .from(withdrawals)
    .innerJoin(offerings, eq(offerings.id, withdrawals.offeringId))
    .where(eq(withdrawals.id, withdrawalId));
  const [row] = lock ? await query.for("update", { of: withdrawals }) : await query;
  if (!row) return null;
  return { withdrawal: row.withdrawal, token: row.token ? getAddress(row.token) : null, nameJa: row.nameJa, nameEn: row.nameEn };
}

function noticeDetail(found: Found, extra: { txHash?: string | null; reason?: string }) {
  const { withdrawal } = found;
  return {
    withdrawalId: withdrawal.id,
    linkedWalletId: withdrawal.linkedWalletId,
    offeringNameJa: found.nameJa,
    offeringNameEn: found.nameEn,
    units: withdrawal.units,
    address: withdrawal.toAddress,
    ...(extra.txHash ? { txHash: extra.txHash, explorerUrl: explorerTxUrl(extra.txHash) } : {}),
    ...(extra.reason ? { reason: extra.reason } : {}),
  };
}

/** Fails the withdrawal once (before its transfer was queued, or after it failed): units stay in custody. */
async function fail(tx: DbOrTx, found: Found, reason: string, stage: "before" | "after"): Promise<boolean> {
  const id = found.withdrawal.id;
  const where =
    stage === "before" ? and(eq(withdrawals.id, id), eq(withdrawals.status, "requested"), isNull(withdrawals.chainTransactionId)) : and(eq(withdrawals.id, id), eq(withdrawals.status, "submitted"));
  const [failed] = await tx
    .update(withdrawals)
    .set({ status: "failed", error: reason.slice(0, 2_000) })
    .where(where)
    .returning();
  if (!failed) return false;
  await recordAudit(tx, {
    actorId: null,
    action: "withdrawal.failed",
    targetType: "withdrawal",
    targetId: id,
    detail: { offeringId: failed.offeringId, units: failed.units, from: failed.fromAddress, to: failed.toAddress, reason },
  });
  await notify(tx, { userId: failed.userId, kind: "withdrawal_failed", detail: noticeDetail({ ...found, withdrawal: failed }, { reason }) });
  return true;
}

/** Books a mined transfer once: the flip from submitted writes the ledger pair, audit and notice. */
async function book(tx: DbOrTx, found: Found, row: ChainTransaction): Promise<boolean> {
  const [done] = await tx
    .update(withdrawals)
    .set({ status: "confirmed", confirmedAt: new Date(), error: null })
    .where(and(eq(withdrawals.id, found.withdrawal.id), eq(withdrawals.status, "submitted")))
    .returning();
  if (!done) return false;
  const detail = { withdrawalId: done.id, txHash: row.txHash, blockNumber: row.blockNumber, from: done.fromAddress, to: done.toAddress };
  await tx.insert(ledgerEntries).values([
    { kind: "tokens_transferred", offeringId: done.offeringId, userId: done.userId, units: -done.units, detail: { ...detail, address: done.fromAddress } },
    { kind: "tokens_transferred", offeringId: done.offeringId, userId: done.userId, units: done.units, detail: { ...detail, address: done.toAddress } },
  ]);
  await recordAudit(tx, { actorId: null, action: "withdrawal.confirmed", targetType: "withdrawal", targetId: done.id, detail: { offeringId: done.offeringId, units: done.units, ...detail } });
  await notify(tx, { userId: done.userId, kind: "withdrawal_sent", detail: noticeDetail({ ...found, withdrawal: done }, { txHash: row.txHash }) });
  return true;
}

/** Queues a gas top-up when the custodial wallet cannot pay for its transfer; returns the top-up to wait for, if any. */
async function topUpIfNeeded(ctx: ChainContext, found: Found, from: Address, token: Address): Promise<string | null> {
  if (found.withdrawal.gasTopupTxId) return found.withdrawal.gasTopupTxId;
  const intent = withdrawalIntent(token, { withdrawalId: found.withdrawal.id, offeringId: found.withdrawal.offeringId, to: getAddress(found.withdrawal.toAddress), units: found.withdrawal.units });
  let gas: bigint;
  try {
    gas = await retrying(ctx, () => ctx.client.estimateGas({ account: from, to: token, data: intent.payload.data }));
  } catch (error) {
    const failure = classifyChainError(error);
    if (failure.kind !== "revert" && failure.kind !== "fatal") throw error;
    // The transfer would be refused (not allowlisted, frozen, paused, short): it is never sent.
    await ctx.db.transaction((tx) => fail(tx, found, `refused in simulation: ${failure.message}`, "before"));
    return null;
  }
  const [fees, balance] = await retrying(ctx, () => Promise.all([ctx.client.estimateFeesPerGas(), ctx.client.getBalance({ address: from })]));
  // The queue signs with 120% of the estimate at maxFeePerGas.
  const needed = ((gas * 6n) / 5n) * fees.maxFeePerGas * GAS_MARGIN;
  if (balance >= needed) return null;
  return ctx.db.transaction(async (tx) => {
    const locked = await load(tx, found.withdrawal.id, true);
    const current = locked?.withdrawal;
    if (current?.status !== "requested" || current.chainTransactionId) return current?.gasTopupTxId ?? null;
    if (current.gasTopupTxId) return current.gasTopupTxId;
    const row = await submitTransaction(tx, ctx, gasTopupIntent({ withdrawalId: current.id, offeringId: current.offeringId, to: from, wei: needed * 2n - balance }));
    await tx.update(withdrawals).set({ gasTopupTxId: row.id }).where(eq(withdrawals.id, current.id));
    return row.id;
  });
}

/** Queues the custodial key's transfer once; the link is checked again first (unlinked or delisted meanwhile: failed, never sent). */
async function queueTransfer(custodial: ChainContext, withdrawalId: string, token: Address): Promise<void> {
  await custodial.db.transaction(async (tx) => {
    const locked = await load(tx, withdrawalId, true);
    const current = locked?.withdrawal;
    if (!locked || !current || current.status !== "requested" || current.chainTransactionId) return;
    const wallet = await eligibleLinkedWallet(tx, current.userId, current.offeringId, current.linkedWalletId);
    if (!wallet || wallet.address !== getAddress(current.toAddress)) {
      await fail(tx, locked, "the linked wallet is no longer approved for this token", "before");
      return;
    }
    const row = await submitTransaction(tx, custodial, withdrawalIntent(token, { withdrawalId: current.id, offeringId: current.offeringId, to: wallet.address, units: current.units }));
    await tx.update(withdrawals).set({ chainTransactionId: row.id, status: "submitted" }).where(eq(withdrawals.id, current.id));
  });
}

/** Follows a withdrawal as far as it can go now; returns its status afterwards. */
export async function sendWithdrawal(ctx: ChainContext, withdrawalId: string, keys: MasterKeys = env().custodyMasterKeys): Promise<SendOutcome> {
  let found = await load(ctx.db, withdrawalId);
  if (!found) return "not_found";
  if (found.withdrawal.status === "confirmed" || found.withdrawal.status === "failed") return found.withdrawal.status;
  const from = getAddress(found.withdrawal.fromAddress);
  const account = await walletAccount(found.withdrawal.userId, keys);
  if (account.address !== from) {
    // The custodial wallet was replaced (a lost-wallet recovery) after the request: its old key is gone.
    if (!found.withdrawal.chainTransactionId) await ctx.db.transaction((tx) => fail(tx, found!, "the custodial wallet was replaced", "before"));
    else console.error(`[withdrawals] ${withdrawalId}: its transfer was signed by ${from}, no longer the holder's custodial wallet; see the offering's chain page`);
    return (await load(ctx.db, withdrawalId))!.withdrawal.status;
  }
  const custodial: ChainContext = { ...ctx, account };
  if (!found.token) {
    await ctx.db.transaction((tx) => fail(tx, found!, "the offering has no token", "before"));
    return "failed";
  }
  if (found.withdrawal.status === "requested" && !found.withdrawal.chainTransactionId) {
    const topUp = await topUpIfNeeded(ctx, found, from, found.token);
    if (topUp) {
      const [row] = await waitForTransactions(ctx, [topUp]);
      if (row!.status === "failed") await ctx.db.transaction((tx) => fail(tx, found!, `the gas top-up failed: ${row!.error ?? "unknown"}`, "before"));
    }
    await queueTransfer(custodial, withdrawalId, found.token);
    found = (await load(ctx.db, withdrawalId))!;
  }
  const txId = found.withdrawal.chainTransactionId;
  if (found.withdrawal.status === "submitted" && txId) {
    const [row] = await waitForTransactions(custodial, [txId]);
    await ctx.db.transaction(async (tx) => {
      if (row!.status === "confirmed") await book(tx, found!, row!);
      else await fail(tx, found!, row!.error ?? "the transfer failed on chain", "after");
    });
  }
  return (await load(ctx.db, withdrawalId))!.withdrawal.status;
}

/** The sweep: every withdrawal not final on this chain is followed (a lost job, a restarted worker). */
export async function sweepWithdrawals(ctx: ChainContext = chainContext()): Promise<{ followed: number; errors: number }> {
  const open = await ctx.db
    .select({ id: withdrawals.id })
    .from(withdrawals)
    .innerJoin(offerings, eq(offerings.id, withdrawals.offeringId))
    .where(and(inArray(withdrawals.status, ["requested", "submitted"]), eq(offerings.chainId, ctx.chainId)))
    .orderBy(asc(withdrawals.createdAt));
  let errors = 0;
  for (const { id } of open) {
    // One withdrawal's trouble does not hold up the others; the job still reports it.
    await sendWithdrawal(ctx, id).catch((error: unknown) => {
      errors++;
      console.error(`[withdrawals] ${id}: ${error instanceof Error ? error.message : String(error)}`);
    });
  }
  return { followed: open.length, errors };
}

/** The transaction rows of a withdrawal (its top-up and its transfer), oldest first. */
export async function withdrawalTransactions(db: DbOrTx, withdrawalId: string): Promise<ChainTransaction[]> {
  return db.select().from(chainTransactions).where(sql`${chainTransactions.payload}->'ref'->>'withdrawalId' = ${withdrawalId}`).orderBy(asc(chainTransactions.createdAt));
}

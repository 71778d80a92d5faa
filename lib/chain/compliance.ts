import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Address } from "viem";
import { allocations, auditLog, ledgerEntries, orders } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { retryFailedAllocation, settleAllocationTx } from "./allocate";
import { recordAllocationFromChain } from "./allocation-records";
import { auditFailure, freezeKept, hasLedger, lastFailed, latestTransactionOf, orderContext, type Outcome, recordOnce, staffFreezeOf, submitOnce } from "./compliance-steps";
import { allowlistWallets } from "./allowlist";
import type { ChainContext } from "./context";
import { clawbackIntent, freezeIntent } from "./intents";
import { unitsByAddress, unitsNowAt } from "./holdings";
import { waitForTransactions } from "./signer-queue";
import { findOrderEvent, readSeqFlags, readWalletFlags } from "./token-reads";

/**
 * Compliance on chain: clawing back a refunded order's units and freezing the holder of a
 * disputed order (allowlisting is in allowlist.ts). Each handler reads what is already done
 * (ledger, chain) first, so running it twice changes nothing.
 */

/**
 * Where a refunded order's units are burned from: the wallet they were allocated to (or recovered
 * into) while it holds enough by the ledger, else another wallet of the holder that does (an own
 * wallet they withdrew to); the contract burns one order's units from one address.
 */
async function clawbackSource(ctx: ChainContext, input: { offeringId: string; userId: string; primary: Address; units: number }): Promise<Address> {
  const held = await unitsByAddress(ctx.db, input.offeringId, input.userId);
  const at = (address: Address) => held.filter((row) => row.address === address).reduce((sum, row) => sum + row.units, 0);
  if (at(input.primary) >= input.units) return input.primary;
  return held.find((row) => row.address !== input.primary && row.units >= input.units)?.address ?? input.primary;
}

/** A refunded order: burns its units from the holder once, then ledger (−units) and audit. */
export async function clawbackOrder(ctx: ChainContext, orderId: string, options: { retryFailed?: boolean } = {}): Promise<Outcome> {
  let info = await orderContext(ctx, orderId);
  if (info?.order.status !== "refunded") return "skipped";
  if (await hasLedger(ctx, orderId, "tokens_clawed_back")) return "done";
  const { token, order } = info;
  const txId = info.allocation?.chainTransactionId;
  if (info.allocation && !info.allocation.allocatedAt && txId) {
    // Refunded while its allocation was on its way: let the allocation land and be recorded first.
    await waitForTransactions(ctx, [txId]);
    await settleAllocationTx(ctx, txId);
  }
  info = (await orderContext(ctx, orderId))!;
  if (!info.allocation?.allocatedAt) {
    const [allocatedOnChain] = await readSeqFlags(ctx, token, "isAllocated", [order.seq]);
    if (!allocatedOnChain) return "nothing";
    await recordAllocationFromChain(ctx, token, { orderId, seq: order.seq });
    info = (await orderContext(ctx, orderId))!;
  }
  const allocation = info.allocation!;
  // After a lost wallet's recovery the units are at the holder's new wallet; after a withdrawal, at their own wallet.
  const from = await clawbackSource(ctx, { offeringId: order.offeringId, userId: order.userId, primary: await unitsNowAt(ctx.db, order.offeringId, allocation.toAddress), units: allocation.units });
  const [clawedOnChain] = await readSeqFlags(ctx, token, "isClawedBack", [order.seq]);
  let txHash: string | null;
  if (clawedOnChain) {
    txHash = (await findOrderEvent(ctx, token, "ClawedBack", order.seq))?.txHash ?? null;
  } else {
    if (options.retryFailed === false && (await lastFailed(ctx, "clawback", orderId))) return "failed";
    const row = await submitOnce(
      ctx,
      "clawback",
      orderId,
      (status) => status === "refunded",
      () => clawbackIntent(token, { orderId, seq: order.seq, from, units: allocation.units }),
    );
    if (!row) return "skipped";
    const [done] = await waitForTransactions(ctx, [row.id]);
    if (done!.status !== "confirmed") return auditFailure(ctx, orderId, "tokens.clawback_failed", done!);
    txHash = done!.txHash;
  }
  await recordOnce(ctx, orderId, "tokens_clawed_back", -allocation.units, { txHash, from });
  return "done";
}

/** A disputed order: freezes the holder's wallet on the token, then ledger (0 units) and audit. */
export async function freezeOrder(ctx: ChainContext, orderId: string, options: { retryFailed?: boolean } = {}): Promise<Outcome> {
  const info = await orderContext(ctx, orderId);
  if (info?.order.status !== "disputed") return "skipped";
  if (await hasLedger(ctx, orderId, "tokens_frozen")) return "done";
  const holderAddress = info.allocation?.toAddress ?? info.wallet;
  if (!holderAddress) return "nothing";
  const holder = await unitsNowAt(ctx.db, info.order.offeringId, holderAddress);
  const [frozen] = await readWalletFlags(ctx, info.token, "isFrozen", [holder]);
  let txHash: string | null = null;
  if (!frozen) {
    if (options.retryFailed === false && (await lastFailed(ctx, "freeze", orderId))) return "failed";
    const row = await submitOnce(
      ctx,
      "freeze",
      orderId,
      (status) => status === "disputed",
      () => freezeIntent(info.token, { orderId, holder }),
    );
    if (!row) return "skipped";
    const [done] = await waitForTransactions(ctx, [row.id]);
    if (done!.status !== "confirmed") return auditFailure(ctx, orderId, "tokens.freeze_failed", done!);
    txHash = done!.txHash;
  }
  await recordOnce(ctx, orderId, "tokens_frozen", 0, { txHash, address: holder });
  return "done";
}

/**
 * A closed dispute: lifts the holder's freeze, after a lost dispute's clawback, and only when no
 * other order of the holder is still disputed; then the allocations the freeze refused go again.
 */
export async function unfreezeOrder(ctx: ChainContext, orderId: string): Promise<Outcome> {
  const outcome = await liftFreeze(ctx, orderId);
  if (outcome === "done") await resumeAllocationsTheFreezeRefused(ctx, orderId);
  return outcome;
}

/**
 * Once the holder's wallet is unfrozen: their orders whose allocation was still on its way are
 * recorded if it landed, and those the freeze refused (allocation to a frozen wallet reverts) go
 * back in line, as a staff retry would send them.
 */
async function resumeAllocationsTheFreezeRefused(ctx: ChainContext, orderId: string): Promise<void> {
  const info = await orderContext(ctx, orderId);
  const holderAddress = info?.allocation?.toAddress ?? info?.wallet;
  if (!info || !holderAddress) return;
  const [frozen] = await readWalletFlags(ctx, info.token, "isFrozen", [await unitsNowAt(ctx.db, info.order.offeringId, holderAddress)]);
  if (frozen) return;
  const open = await ctx.db
    .select({ orderId: allocations.orderId, txId: allocations.chainTransactionId })
    .from(allocations)
    .innerJoin(orders, eq(orders.id, allocations.orderId))
    .where(and(eq(orders.userId, info.order.userId), eq(orders.offeringId, info.order.offeringId), eq(orders.status, "allocating"), isNull(allocations.allocatedAt)));
  for (const row of open) {
    if (row.txId) {
      await waitForTransactions(ctx, [row.txId]);
      await settleAllocationTx(ctx, row.txId);
    }
    await retryFailedAllocation(ctx, row.orderId);
  }
}

async function liftFreeze(ctx: ChainContext, orderId: string): Promise<Outcome> {
  const info = await orderContext(ctx, orderId);
  if (!info || info.order.status === "disputed") return "skipped";
  if ((await hasLedger(ctx, orderId, "tokens_unfrozen")) || (await freezeKept(ctx.db, orderId))) return "done";
  if (info.order.status === "refunded" && info.allocation && !(await hasLedger(ctx, orderId, "tokens_clawed_back"))) throw new Error(`order ${orderId}: clawback not recorded yet`);
  const holderAddress = info.allocation?.toAddress ?? info.wallet;
  if (!holderAddress) return "nothing";
  const [stillDisputed] = await ctx.db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.userId, info.order.userId), eq(orders.offeringId, info.order.offeringId), eq(orders.status, "disputed")))
    .limit(1);
  if (stillDisputed) return "nothing";
  // A freeze still on its way would land after the check below and keep the wallet frozen: it goes first.
  const freezing = await latestTransactionOf(ctx.db, ctx.chainId, "freeze", orderId, ["pending", "sent"]);
  if (freezing) await waitForTransactions(ctx, [freezing.id]);
  const holder = await unitsNowAt(ctx.db, info.order.offeringId, holderAddress);
  const [frozen] = await readWalletFlags(ctx, info.token, "isFrozen", [holder]);
  const staffFreeze = frozen ? await staffFreezeOf(ctx, info.token, holder) : null;
  if (staffFreeze) {
    // Nothing is unfrozen, so no tokens_unfrozen ledger entry: a tokens.freeze_kept audit entry marks the order's step done.
    await ctx.db.transaction(async (tx) => {
      await tx.select({ id: orders.id }).from(orders).where(eq(orders.id, orderId)).for("update");
      if (await freezeKept(tx, orderId)) return;
      const detail = { address: holder, staffFreezeTransactionId: staffFreeze.id, frozenBy: staffFreeze.payload?.ref.requestedBy ?? null };
      await recordAudit(tx, { actorId: null, action: "tokens.freeze_kept", targetType: "order", targetId: orderId, detail });
    });
    return "done";
  }
  let txHash: string | null = null;
  if (frozen) {
    const row = await submitOnce(
      ctx,
      "unfreeze",
      orderId,
      (status) => status !== "disputed",
      () => freezeIntent(info.token, { orderId, holder }, false),
    );
    if (!row) return "skipped";
    const [done] = await waitForTransactions(ctx, [row.id]);
    if (done!.status !== "confirmed") return auditFailure(ctx, orderId, "tokens.unfreeze_failed", done!);
    txHash = done!.txHash;
  } else if (!(await hasLedger(ctx, orderId, "tokens_frozen"))) {
    // Closed before the freeze job ran: its job finds the order no longer disputed and does nothing.
    return "nothing";
  }
  await recordOnce(ctx, orderId, "tokens_unfrozen", 0, { txHash, address: holder });
  return "done";
}

/** Refunds and disputes whose on-chain step is not recorded yet (a lost or exhausted job). */
export async function sweepCompliance(ctx: ChainContext): Promise<void> {
  const refunded = await ctx.db
    .select({ id: orders.id })
    .from(orders)
    .innerJoin(allocations, eq(allocations.orderId, orders.id))
    .where(and(eq(orders.status, "refunded"), sql`not exists (select 1 from ${ledgerEntries} where ${ledgerEntries.orderId} = ${orders.id} and ${ledgerEntries.kind} = 'tokens_clawed_back')`))
    .limit(100);
  for (const { id } of refunded) await clawbackOrder(ctx, id, { retryFailed: false });
  const disputed = await ctx.db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.status, "disputed"), sql`not exists (select 1 from ${ledgerEntries} where ${ledgerEntries.orderId} = ${orders.id} and ${ledgerEntries.kind} = 'tokens_frozen')`))
    .limit(100);
  for (const { id } of disputed) await freezeOrder(ctx, id, { retryFailed: false });
  const closedDisputes = await ctx.db
    .select({ id: orders.id })
    .from(orders)
    .where(
      and(
        sql`${orders.status} <> 'disputed'`,
        sql`exists (select 1 from ${ledgerEntries} where ${ledgerEntries.orderId} = ${orders.id} and ${ledgerEntries.kind} = 'tokens_frozen')`,
        sql`not exists (select 1 from ${ledgerEntries} where ${ledgerEntries.orderId} = ${orders.id} and ${ledgerEntries.kind} = 'tokens_unfrozen')`,
        sql`not exists (select 1 from ${auditLog} where ${auditLog.targetId} = ${orders.id}::text and ${auditLog.action} = 'tokens.freeze_kept')`,
      ),
    )
    .limit(100);
  for (const { id } of closedDisputes) await unfreezeOrder(ctx, id).catch((error) => console.error(`[chain] unfreeze ${id} waits: ${error instanceof Error ? error.message : error}`));
  await allowlistWallets(ctx);
}

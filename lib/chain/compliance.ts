import "server-only";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { getAddress, type Address } from "viem";
import type { DbOrTx } from "@/db/client";
import { allocations, auditLog, chainTransactions, ledgerEntries, offerings, orders, wallets, type ChainTransaction } from "@/db/schema";
import { recordAudit, type AuditAction } from "@/lib/audit";
import { settleAllocationTx } from "./allocate";
import { recordAllocationFromChain } from "./allocation-records";
import { allowlistWallets } from "./allowlist";
import type { ChainContext } from "./context";
import { clawbackIntent, freezeIntent, type ChainTxKind, type TxIntent } from "./intents";
import { unitsByAddress, unitsNowAt } from "./holdings";
import { submitTransaction, waitForTransactions } from "./signer-queue";
import { findOrderEvent, readSeqFlags, readWalletFlags } from "./token-reads";

/**
 * Compliance on chain: clawing back a refunded order's units and freezing the holder of a
 * disputed order (allowlisting is in allowlist.ts). Each handler reads what is already done
 * (ledger, chain) first, so running it twice changes nothing.
 */

export type Outcome = "done" | "nothing" | "failed" | "skipped";

async function orderContext(ctx: ChainContext, orderId: string) {
  const [row] = await ctx.db
    .select({ order: orders, token: offerings.tokenAddress, chainId: offerings.chainId, allocation: allocations, wallet: wallets.address })
    .from(orders)
    .innerJoin(offerings, eq(offerings.id, orders.offeringId))
    .leftJoin(allocations, eq(allocations.orderId, orders.id))
    .leftJoin(wallets, eq(wallets.userId, orders.userId))
    .where(eq(orders.id, orderId));
  return row?.token && row.chainId === ctx.chainId ? { ...row, token: getAddress(row.token) } : null;
}

type ComplianceLedgerKind = "tokens_clawed_back" | "tokens_frozen" | "tokens_unfrozen";

async function hasLedger(ctx: ChainContext, orderId: string, kind: ComplianceLedgerKind): Promise<boolean> {
  const [row] = await ctx.db
    .select({ id: ledgerEntries.id })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.orderId, orderId), eq(ledgerEntries.kind, kind)))
    .limit(1);
  return Boolean(row);
}

/** The open (or confirmed) transaction of this kind for the order, or a new one; the order row lock keeps it to one. */
async function submitOnce(ctx: ChainContext, kind: ChainTxKind, orderId: string, intent: () => TxIntent): Promise<ChainTransaction> {
  return ctx.db.transaction(async (tx) => {
    await tx.select({ id: orders.id }).from(orders).where(eq(orders.id, orderId)).for("update");
    const [existing] = await tx
      .select()
      .from(chainTransactions)
      .where(
        and(
          eq(chainTransactions.kind, kind),
          eq(chainTransactions.chainId, ctx.chainId),
          sql`${chainTransactions.payload}->'ref'->>'orderId' = ${orderId}`,
          inArray(chainTransactions.status, ["pending", "sent", "confirmed"]),
        ),
      )
      .orderBy(desc(chainTransactions.createdAt))
      .limit(1);
    return existing ?? submitTransaction(tx, ctx, intent());
  });
}

/** Writes the ledger entry and audit record of a clawback or freeze once (under the order's row lock). */
async function recordOnce(ctx: ChainContext, orderId: string, kind: ComplianceLedgerKind, units: number, detail: Record<string, unknown>): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const [order] = await tx.select().from(orders).where(eq(orders.id, orderId)).for("update");
    const [already] = await tx
      .select({ id: ledgerEntries.id })
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.orderId, orderId), eq(ledgerEntries.kind, kind)));
    if (!order || already) return;
    await tx.insert(ledgerEntries).values({ kind, offeringId: order.offeringId, orderId, userId: order.userId, units, detail });
    const action = ({ tokens_clawed_back: "tokens.clawed_back", tokens_frozen: "tokens.frozen", tokens_unfrozen: "tokens.unfrozen" } as const)[kind];
    await recordAudit(tx, { actorId: null, action, targetType: "order", targetId: orderId, detail: { ...detail, units } });
  });
}

/** The staff freeze of this wallet on the token still in force (staff's last freeze or unfreeze of it is a freeze), or null. */
async function staffFreezeOf(ctx: ChainContext, token: string, holder: string): Promise<ChainTransaction | null> {
  const [last] = await ctx.db
    .select()
    .from(chainTransactions)
    .where(
      and(
        eq(chainTransactions.chainId, ctx.chainId),
        inArray(chainTransactions.kind, ["freeze", "unfreeze"]),
        inArray(chainTransactions.status, ["pending", "sent", "confirmed"]),
        sql`lower(${chainTransactions.payload}->>'to') = ${token.toLowerCase()}`,
        sql`${chainTransactions.payload}->'ref'->>'address' = ${holder.toLowerCase()}`,
        sql`${chainTransactions.payload}->'ref'->>'requestedBy' is not null`,
      ),
    )
    .orderBy(desc(chainTransactions.createdAt))
    .limit(1);
  return last?.kind === "freeze" ? last : null;
}

async function freezeKept(db: DbOrTx, orderId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: auditLog.id })
    .from(auditLog)
    .where(and(eq(auditLog.targetId, orderId), eq(auditLog.action, "tokens.freeze_kept")))
    .limit(1);
  return Boolean(row);
}

/** Whether the order's last transaction of this kind failed (the sweep leaves those to staff). */
async function lastFailed(ctx: ChainContext, kind: ChainTxKind, orderId: string): Promise<boolean> {
  const [last] = await ctx.db
    .select({ status: chainTransactions.status })
    .from(chainTransactions)
    .where(and(eq(chainTransactions.kind, kind), eq(chainTransactions.chainId, ctx.chainId), sql`${chainTransactions.payload}->'ref'->>'orderId' = ${orderId}`))
    .orderBy(desc(chainTransactions.createdAt))
    .limit(1);
  return last?.status === "failed";
}

async function auditFailure(ctx: ChainContext, orderId: string, action: AuditAction, row: ChainTransaction): Promise<"failed"> {
  await recordAudit(ctx.db, { actorId: null, action, targetType: "order", targetId: orderId, detail: { chainTransactionId: row.id, error: row.error } });
  return "failed";
}

/** A refunded order: burns its units from the holder once, then ledger (−units) and audit. */
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
    const row = await submitOnce(ctx, "clawback", orderId, () => clawbackIntent(token, { orderId, seq: order.seq, from, units: allocation.units }));
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
    const row = await submitOnce(ctx, "freeze", orderId, () => freezeIntent(info.token, { orderId, holder }));
    const [done] = await waitForTransactions(ctx, [row.id]);
    if (done!.status !== "confirmed") return auditFailure(ctx, orderId, "tokens.freeze_failed", done!);
    txHash = done!.txHash;
  }
  await recordOnce(ctx, orderId, "tokens_frozen", 0, { txHash, address: holder });
  return "done";
}

/**
 * A closed dispute: lifts the holder's freeze, after a lost dispute's clawback, and only when no
 * other order of the holder is still disputed.
 */
export async function unfreezeOrder(ctx: ChainContext, orderId: string): Promise<Outcome> {
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
    const row = await submitOnce(ctx, "unfreeze", orderId, () => freezeIntent(info.token, { orderId, holder }, false));
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

import "server-only";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { getAddress } from "viem";
import type { DbOrTx } from "@/db/client";
import { allocations, auditLog, chainTransactions, ledgerEntries, offerings, orders, wallets, type ChainTransaction, type Order } from "@/db/schema";
import { recordAudit, type AuditAction } from "@/lib/audit";
import type { ChainContext } from "./context";
import type { ChainTxKind, TxIntent } from "./intents";
import { submitTransaction } from "./signer-queue";

// The steps lib/chain/compliance.ts is made of: what an order's clawback, freeze or unfreeze has
// already done (ledger, transactions), and doing each once under the order's row lock.

export type Outcome = "done" | "nothing" | "failed" | "skipped";

export async function orderContext(ctx: ChainContext, orderId: string) {
  const [row] = await ctx.db
    .select({ order: orders, token: offerings.tokenAddress, chainId: offerings.chainId, allocation: allocations, wallet: wallets.address })
    .from(orders)
    .innerJoin(offerings, eq(offerings.id, orders.offeringId))
    .leftJoin(allocations, eq(allocations.orderId, orders.id))
    .leftJoin(wallets, eq(wallets.userId, orders.userId))
    .where(eq(orders.id, orderId));
  return row?.token && row.chainId === ctx.chainId ? { ...row, token: getAddress(row.token) } : null;
}

export type ComplianceLedgerKind = "tokens_clawed_back" | "tokens_frozen" | "tokens_unfrozen";

export async function hasLedger(ctx: ChainContext, orderId: string, kind: ComplianceLedgerKind): Promise<boolean> {
  const [row] = await ctx.db
    .select({ id: ledgerEntries.id })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.orderId, orderId), eq(ledgerEntries.kind, kind)))
    .limit(1);
  return Boolean(row);
}

/** The order's latest transaction of this kind, among those in `statuses` when given. */
export async function latestTransactionOf(db: DbOrTx, chainId: number, kind: ChainTxKind, orderId: string, statuses?: ChainTransaction["status"][]): Promise<ChainTransaction | undefined> {
  const [row] = await db
    .select()
    .from(chainTransactions)
    .where(
      and(
        eq(chainTransactions.kind, kind),
        eq(chainTransactions.chainId, chainId),
        sql`${chainTransactions.payload}->'ref'->>'orderId' = ${orderId}`,
        statuses ? inArray(chainTransactions.status, statuses) : undefined,
      ),
    )
    .orderBy(desc(chainTransactions.createdAt))
    .limit(1);
  return row;
}

/**
 * The open (or confirmed) transaction of this kind for the order, or a new one while the order's
 * status still `wants` it (null otherwise); the order row lock keeps it to one, and keeps a step
 * the webhook has just made moot (a freeze for a dispute closed meanwhile) from being sent.
 */
export async function submitOnce(ctx: ChainContext, kind: ChainTxKind, orderId: string, wants: (status: Order["status"]) => boolean, intent: () => TxIntent): Promise<ChainTransaction | null> {
  return ctx.db.transaction(async (tx) => {
    const [order] = await tx.select({ status: orders.status }).from(orders).where(eq(orders.id, orderId)).for("update");
    const existing = await latestTransactionOf(tx, ctx.chainId, kind, orderId, ["pending", "sent", "confirmed"]);
    if (existing) return existing;
    return order && wants(order.status) ? submitTransaction(tx, ctx, intent()) : null;
  });
}

/** Writes the ledger entry and audit record of a clawback or freeze once (under the order's row lock). */
export async function recordOnce(ctx: ChainContext, orderId: string, kind: ComplianceLedgerKind, units: number, detail: Record<string, unknown>): Promise<void> {
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
export async function staffFreezeOf(ctx: ChainContext, token: string, holder: string): Promise<ChainTransaction | null> {
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

export async function freezeKept(db: DbOrTx, orderId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: auditLog.id })
    .from(auditLog)
    .where(and(eq(auditLog.targetId, orderId), eq(auditLog.action, "tokens.freeze_kept")))
    .limit(1);
  return Boolean(row);
}

/** Whether the order's last transaction of this kind failed (the sweep leaves those to staff). */
export async function lastFailed(ctx: ChainContext, kind: ChainTxKind, orderId: string): Promise<boolean> {
  return (await latestTransactionOf(ctx.db, ctx.chainId, kind, orderId))?.status === "failed";
}

export async function auditFailure(ctx: ChainContext, orderId: string, action: AuditAction, row: ChainTransaction): Promise<"failed"> {
  await recordAudit(ctx.db, { actorId: null, action, targetType: "order", targetId: orderId, detail: { chainTransactionId: row.id, error: row.error } });
  return "failed";
}

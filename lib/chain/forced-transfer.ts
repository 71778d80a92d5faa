import "server-only";
import { and, desc, eq, inArray, isNull, ne } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getAddress, type Address } from "viem";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";
import type { Db, DbOrTx } from "@/db/client";
import { allocations, chainTransactions, forcedTransferRequests, ledgerEntries, orders, users, wallets, type ChainTransaction, type Offering } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import type { MasterKeys } from "@/lib/custody/envelope";
import { replaceWalletOf } from "@/lib/custody/wallets";
import { env } from "@/lib/env";
import { enqueue } from "@/lib/jobs/enqueue";
import { JOBS } from "@/lib/jobs/names";
import { resolveHolder } from "./holdings";
import { allowlistIntent, forcedTransferIntent } from "./intents";
import { hasOpenDispute, readOrNull, refuse, signerOf, tokenOf, type OperationResult, type Operator } from "./operator";
import { submitTransaction } from "./signer-queue";

/**
 * Recovery of a lost wallet: staff move a holder's whole balance of one offering from the lost
 * address to the holder's new custodial wallet. One staff member asks, a different one of the
 * same issuer approves (the table's CHECK backs this), and only then is the transfer queued.
 * The first request for a holder replaces their wallet at once, so nothing more is issued to the
 * lost address; requests for their other offerings (other issuers) move units to that new wallet.
 */

const balanceAt = (op: Operator, token: Address, holder: Address) => readOrNull(() => op.client.readContract({ address: token, abi: villageTokenAbi, functionName: "balanceOf", args: [holder] }));

/** Units of the holder's orders in this offering sent to the chain but not recorded yet. */
async function issuanceUnderway(db: DbOrTx, offeringId: string, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ orderId: allocations.orderId })
    .from(allocations)
    .innerJoin(orders, eq(orders.id, allocations.orderId))
    .leftJoin(chainTransactions, eq(chainTransactions.id, allocations.chainTransactionId))
    .where(and(eq(orders.offeringId, offeringId), eq(orders.userId, userId), isNull(allocations.allocatedAt), ne(chainTransactions.status, "failed")))
    .limit(1);
  return Boolean(row);
}

async function hasOpenRequest(db: DbOrTx, offeringId: string, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: forcedTransferRequests.id })
    .from(forcedTransferRequests)
    .where(and(eq(forcedTransferRequests.offeringId, offeringId), eq(forcedTransferRequests.holderId, userId), inArray(forcedTransferRequests.status, ["pending", "queued"])))
    .limit(1);
  return Boolean(row);
}

export async function requestForcedTransfer(
  op: Operator,
  input: { offering: Offering; staffId: string; holder: string; reason: string },
  keys: MasterKeys = env().custodyMasterKeys,
): Promise<OperationResult<{ requestId: string; newWallet: boolean }>> {
  const token = tokenOf(op, input.offering);
  if (!token) return refuse("noToken");
  const holder = await resolveHolder(op.db, input.offering.id, input.holder);
  if (!holder) return refuse("notHolder");
  const named = holder.holdings.find((row) => row.address.toLowerCase() === input.holder.trim().toLowerCase());
  // Units left at an address already replaced come first; otherwise the current wallet is the lost one.
  const from = (named ?? holder.holdings.find((row) => row.units > 0 && row.address !== holder.current) ?? holder.holdings.find((row) => row.units > 0))?.address;
  if (!from) return refuse("nothingToMove");
  const units = await balanceAt(op, token, from);
  if (units === null) return refuse("unreachable");
  if (units === 0n) return refuse("nothingToMove");
  return op.db.transaction(async (tx) => {
    await tx.select({ id: wallets.id }).from(wallets).where(eq(wallets.userId, holder.userId)).for("update");
    if (await hasOpenRequest(tx, input.offering.id, holder.userId)) return refuse("openRequest");
    if (await hasOpenDispute(tx, input.offering.id, holder.userId)) return refuse("disputeOpen");
    if (await issuanceUnderway(tx, input.offering.id, holder.userId)) return refuse("issuanceUnderway");
    let to = holder.current;
    const newWallet = from === holder.current;
    if (newWallet) {
      const replaced = await replaceWalletOf(tx, holder.userId, from, keys);
      if (!replaced) return refuse("openRequest");
      to = getAddress(replaced.address);
      await recordAudit(tx, { actorId: input.staffId, action: "wallet.replaced", targetType: "user", targetId: holder.userId, detail: { oldAddress: from, newAddress: to, reason: input.reason } });
      await enqueue(tx, JOBS.allowlist, { userId: holder.userId });
    }
    if (!to) return refuse("notHolder");
    const [request] = await tx
      .insert(forcedTransferRequests)
      .values({ offeringId: input.offering.id, holderId: holder.userId, fromAddress: from, toAddress: to, units: Number(units), reason: input.reason, requestedBy: input.staffId })
      .returning();
    await recordAudit(tx, {
      actorId: input.staffId,
      action: "forced_transfer.requested",
      targetType: "forced_transfer",
      targetId: request!.id,
      detail: { offeringId: input.offering.id, holderId: holder.userId, from, to, units: Number(units), newWallet, reason: input.reason },
    });
    return { ok: true as const, requestId: request!.id, newWallet };
  });
}

async function openRequest(db: DbOrTx, offeringId: string, requestId: string) {
  const [request] = await db
    .select()
    .from(forcedTransferRequests)
    .where(and(eq(forcedTransferRequests.id, requestId), eq(forcedTransferRequests.offeringId, offeringId)));
  return request ?? null;
}

/** A second staff member approves: the whole balance now on chain is queued (allowlisting the new wallet first if needed). */
export async function approveForcedTransfer(op: Operator, input: { offering: Offering; requestId: string; staffId: string }): Promise<OperationResult<{ chainTransactionId: string }>> {
  const token = tokenOf(op, input.offering);
  if (!token) return refuse("noToken");
  const request = await openRequest(op.db, input.offering.id, input.requestId);
  if (request?.status !== "pending") return refuse("notPending");
  if (request.requestedBy === input.staffId) return refuse("ownRequest");
  const from = getAddress(request.fromAddress);
  const to = getAddress(request.toAddress);
  const [units, listed] = await Promise.all([
    balanceAt(op, token, from),
    readOrNull(() => op.client.readContract({ address: token, abi: villageTokenAbi, functionName: "isAllowlisted", args: [to] })),
  ]);
  if (units === null || listed === null) return refuse("unreachable");
  if (units === 0n) return refuse("nothingToMove");
  return op.db.transaction(async (tx) => {
    if (request.holderId && (await hasOpenDispute(tx, input.offering.id, request.holderId))) return refuse("disputeOpen");
    if (request.holderId && (await issuanceUnderway(tx, input.offering.id, request.holderId))) return refuse("issuanceUnderway");
    const [decided] = await tx
      .update(forcedTransferRequests)
      .set({ status: "queued", decidedBy: input.staffId, decidedAt: new Date(), units: Number(units) })
      .where(and(eq(forcedTransferRequests.id, request.id), eq(forcedTransferRequests.status, "pending")))
      .returning();
    if (!decided) return refuse("notPending");
    if (!listed) await submitTransaction(tx, signerOf(op), allowlistIntent(token, [to]));
    const row = await submitTransaction(tx, signerOf(op), forcedTransferIntent(token, { from, to, units: Number(units), requestId: request.id, offeringId: input.offering.id }));
    await tx.update(forcedTransferRequests).set({ chainTransactionId: row.id }).where(eq(forcedTransferRequests.id, request.id));
    await recordAudit(tx, {
      actorId: input.staffId,
      action: "forced_transfer.approved",
      targetType: "forced_transfer",
      targetId: request.id,
      detail: { offeringId: input.offering.id, from, to, units: Number(units), chainTransactionId: row.id, requestedBy: request.requestedBy },
    });
    await enqueue(tx, JOBS.chainOperation, { chainTransactionId: row.id });
    return { ok: true as const, chainTransactionId: row.id };
  });
}

export async function rejectForcedTransfer(op: Operator, input: { offering: Offering; requestId: string; staffId: string; reason: string }): Promise<OperationResult> {
  const request = await openRequest(op.db, input.offering.id, input.requestId);
  if (request?.status !== "pending") return refuse("notPending");
  if (request.requestedBy === input.staffId) return refuse("ownRequest");
  return op.db.transaction(async (tx) => {
    const [decided] = await tx
      .update(forcedTransferRequests)
      .set({ status: "rejected", decidedBy: input.staffId, decidedAt: new Date() })
      .where(and(eq(forcedTransferRequests.id, request.id), eq(forcedTransferRequests.status, "pending")))
      .returning();
    if (!decided) return refuse("notPending");
    await recordAudit(tx, {
      actorId: input.staffId,
      action: "forced_transfer.rejected",
      targetType: "forced_transfer",
      targetId: request.id,
      detail: { offeringId: input.offering.id, reason: input.reason },
    });
    return { ok: true as const };
  });
}

/**
 * The transfer's transaction is final: done moves the units in the ledger (out of the old address,
 * into the new, both the holder's, so the register per holder is unchanged); failed is recorded.
 */
export async function finishForcedTransfer(db: Db, txRow: ChainTransaction): Promise<"done" | "failed" | "nothing"> {
  if (txRow.status !== "confirmed" && txRow.status !== "failed") return "nothing";
  return db.transaction(async (tx) => {
    const outcome = txRow.status === "confirmed" ? ("done" as const) : ("failed" as const);
    const [request] = await tx
      .update(forcedTransferRequests)
      .set({ status: outcome })
      .where(and(eq(forcedTransferRequests.chainTransactionId, txRow.id), eq(forcedTransferRequests.status, "queued")))
      .returning();
    if (!request) return "nothing";
    const detail = { forcedTransferId: request.id, txHash: txRow.txHash, from: request.fromAddress, to: request.toAddress };
    if (outcome === "done") {
      await tx.insert(ledgerEntries).values([
        { kind: "tokens_transferred", offeringId: request.offeringId, userId: request.holderId, units: -request.units, detail: { ...detail, address: request.fromAddress } },
        { kind: "tokens_transferred", offeringId: request.offeringId, userId: request.holderId, units: request.units, detail: { ...detail, address: request.toAddress } },
      ]);
    }
    await recordAudit(tx, {
      actorId: null,
      action: outcome === "done" ? "forced_transfer.done" : "forced_transfer.failed",
      targetType: "forced_transfer",
      targetId: request.id,
      detail: { ...detail, units: request.units, error: txRow.error },
    });
    return outcome;
  });
}

export type ForcedTransferView = {
  id: string;
  status: "pending" | "queued" | "done" | "failed" | "rejected";
  holderEmail: string | null;
  fromAddress: string;
  toAddress: string;
  units: number;
  reason: string;
  requestedBy: string;
  requestedByEmail: string;
  decidedByEmail: string | null;
  requestedAt: Date;
  decidedAt: Date | null;
};

export async function listForcedTransfers(db: DbOrTx, offeringId: string): Promise<ForcedTransferView[]> {
  const holder = alias(users, "holder");
  const requester = alias(users, "requester");
  const decider = alias(users, "decider");
  const rows = await db
    .select({ request: forcedTransferRequests, holderEmail: holder.email, requestedByEmail: requester.email, decidedByEmail: decider.email })
    .from(forcedTransferRequests)
    .leftJoin(holder, eq(holder.id, forcedTransferRequests.holderId))
    .innerJoin(requester, eq(requester.id, forcedTransferRequests.requestedBy))
    .leftJoin(decider, eq(decider.id, forcedTransferRequests.decidedBy))
    .where(eq(forcedTransferRequests.offeringId, offeringId))
    .orderBy(desc(forcedTransferRequests.requestedAt))
    .limit(50);
  return rows.map(({ request, holderEmail, requestedByEmail, decidedByEmail }) => ({
    id: request.id,
    status: request.status,
    holderEmail,
    fromAddress: request.fromAddress,
    toAddress: request.toAddress,
    units: request.units,
    reason: request.reason,
    requestedBy: request.requestedBy,
    requestedByEmail,
    decidedByEmail,
    requestedAt: request.requestedAt,
    decidedAt: request.decidedAt,
  }));
}

import "server-only";
import { and, desc, eq, inArray, isNull, ne } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getAddress, type Address } from "viem";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";
import type { Db, DbOrTx } from "@/db/client";
import { unburnedPerkUnits } from "@/lib/perks/standing";
import { allocations, chainTransactions, forcedTransferRequests, ledgerEntries, orders, users, wallets, type ChainTransaction, type Offering } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import type { MasterKeys } from "@/lib/custody/envelope";
import { replaceWalletOf } from "@/lib/custody/wallets";
import { env } from "@/lib/env";
import { enqueue } from "@/lib/jobs/enqueue";
import { JOBS } from "@/lib/jobs/names";
import { resolveHolder } from "./holdings";
import { delistReplacedWallet } from "./allowlist";
import { allowlistIntent, forcedTransferIntent } from "./intents";
import { hasOpenDispute, readOrNull, refuse, signerOf, tokenOf, type OperationResult, type Operator } from "./operator";
import { submitTransaction } from "./signer-queue";
import { linkedAddressesOf } from "@/lib/withdrawals/queries";

/**
 * Recovery of a lost wallet: staff move a holder's whole balance of one offering from the lost
 * address to the holder's new custodial wallet. One staff member asks, a different one of the
 * same issuer approves (the table's CHECK backs this), and only then is the transfer queued.
 * Asking changes nothing about the holder's wallet: when the lost address is still their wallet,
 * the approval replaces it in its own transaction, so nothing more is issued to the lost address
 * from then on; requests for their other offerings (other issuers) move units to that new wallet.
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
): Promise<OperationResult<{ requestId: string; newWallet: boolean }>> {
  const token = tokenOf(op, input.offering);
  if (!token) return refuse("noToken");
  const holder = await resolveHolder(op.db, input.offering.id, input.holder);
  if (!holder) return refuse("notHolder");
  const named = holder.holdings.find((row) => row.address.toLowerCase() === input.holder.trim().toLowerCase());
  // Units left at an address already replaced come first; otherwise the current wallet is the lost
  // one. The holder's own (linked) wallets are never taken for a lost custodial one unless named.
  const own = await linkedAddressesOf(op.db, holder.userId);
  const custodial = holder.holdings.filter((row) => row.units > 0 && !own.has(row.address));
  const from = (named ?? custodial.find((row) => row.address !== holder.current) ?? custodial[0])?.address;
  if (!from) return refuse("nothingToMove");
  const units = await balanceAt(op, token, from);
  if (units === null) return refuse("unreachable");
  if (units === 0n) return refuse("nothingToMove");
  return op.db.transaction(async (tx) => {
    await tx.select({ id: wallets.id }).from(wallets).where(eq(wallets.userId, holder.userId)).for("update");
    if (await hasOpenRequest(tx, input.offering.id, holder.userId)) return refuse("openRequest");
    if (await hasOpenDispute(tx, input.offering.id, holder.userId)) return refuse("disputeOpen");
    if (await issuanceUnderway(tx, input.offering.id, holder.userId)) return refuse("issuanceUnderway");
    if ((await unburnedPerkUnits(tx, input.offering.id, holder.userId)) > 0) return refuse("perkBurnUnderway");
    // The lost address is still the holder's wallet: a new one is made only on approval (to stays null till then).
    const newWallet = from === holder.current;
    const to = newWallet ? null : holder.current;
    if (!newWallet && !to) return refuse("notHolder");
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

/** The holder's custodial wallet address now (null without one). */
async function walletAddressOf(db: DbOrTx, userId: string | null, lock = false): Promise<Address | null> {
  if (!userId) return null;
  const query = db.select({ address: wallets.address }).from(wallets).where(eq(wallets.userId, userId));
  const [row] = lock ? await query.for("update") : await query;
  return row ? getAddress(row.address) : null;
}

/**
 * A second staff member approves: the whole balance now on chain is queued (allowlisting the new
 * wallet first if needed). When the lost address is still the holder's wallet, it is replaced here,
 * in the approval's transaction; if another approval replaced it meanwhile, the units go to that wallet.
 */
export async function approveForcedTransfer(
  op: Operator,
  input: { offering: Offering; requestId: string; staffId: string },
  keys: MasterKeys = env().custodyMasterKeys,
): Promise<OperationResult<{ chainTransactionId: string }>> {
  const token = tokenOf(op, input.offering);
  if (!token) return refuse("noToken");
  const request = await openRequest(op.db, input.offering.id, input.requestId);
  if (request?.status !== "pending") return refuse("notPending");
  if (request.requestedBy === input.staffId) return refuse("ownRequest");
  const from = getAddress(request.fromAddress);
  // Where the units go: the wallet named on the request, else the holder's wallet unless it is still the lost one.
  const wallet = request.toAddress ? null : await walletAddressOf(op.db, request.holderId);
  if (!request.toAddress && !wallet) return refuse("notHolder");
  const replace = !request.toAddress && wallet === from;
  const known = request.toAddress ? getAddress(request.toAddress) : replace ? null : wallet;
  const [units, listed] = await Promise.all([
    balanceAt(op, token, from),
    known ? readOrNull(() => op.client.readContract({ address: token, abi: villageTokenAbi, functionName: "isAllowlisted", args: [known] })) : Promise.resolve(false),
  ]);
  if (units === null || listed === null) return refuse("unreachable");
  if (units === 0n) return refuse("nothingToMove");
  return op.db.transaction(async (tx) => {
    // Decided by someone else meanwhile: nothing changes (the lock orders this against a rejection).
    const [locked] = await tx.select({ status: forcedTransferRequests.status }).from(forcedTransferRequests).where(eq(forcedTransferRequests.id, request.id)).for("update");
    if (locked?.status !== "pending") return refuse("notPending");
    const walletNow = await walletAddressOf(tx, request.holderId, true);
    // The wallet changed since it was read above: decide again on what it is now.
    if (!request.toAddress && walletNow !== wallet) return refuse("walletChanged");
    if (request.holderId && (await hasOpenDispute(tx, input.offering.id, request.holderId))) return refuse("disputeOpen");
    if (request.holderId && (await issuanceUnderway(tx, input.offering.id, request.holderId))) return refuse("issuanceUnderway");
    // A perk burn landing after the whole balance moved would leave the transfer short.
    if (request.holderId && (await unburnedPerkUnits(tx, input.offering.id, request.holderId)) > 0) return refuse("perkBurnUnderway");
    let to = known;
    if (replace && request.holderId) {
      const replaced = await replaceWalletOf(tx, request.holderId, from, keys);
      if (!replaced) return refuse("walletChanged");
      to = getAddress(replaced.address);
      await recordAudit(tx, {
        actorId: input.staffId,
        action: "wallet.replaced",
        targetType: "user",
        targetId: request.holderId,
        detail: { oldAddress: from, newAddress: to, reason: request.reason, forcedTransferId: request.id, requestedBy: request.requestedBy },
      });
      await enqueue(tx, JOBS.allowlist, { userId: request.holderId });
    }
    if (!to) return refuse("notHolder");
    const [decided] = await tx
      .update(forcedTransferRequests)
      .set({ status: "queued", decidedBy: input.staffId, decidedAt: new Date(), units: Number(units), toAddress: to })
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
      detail: { offeringId: input.offering.id, from, to, units: Number(units), chainTransactionId: row.id, requestedBy: request.requestedBy, newWallet: replace },
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
    if (outcome === "done") await delistReplacedWallet(tx, txRow, request);
    return outcome;
  });
}

export type ForcedTransferView = {
  id: string;
  status: "pending" | "queued" | "done" | "failed" | "rejected";
  holderEmail: string | null;
  fromAddress: string;
  /** Null until approval makes the holder's new wallet. */
  toAddress: string | null;
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

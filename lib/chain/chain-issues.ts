import "server-only";
import { and, asc, eq, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";
import type { DbOrTx } from "@/db/client";
import { allocations, chainTransactions, orders, users, type ChainTransaction, type Offering, type TxPayload } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { enqueue } from "@/lib/jobs/enqueue";
import { JOBS } from "@/lib/jobs/names";
import { requestRefund } from "@/lib/orders/refund";
import type { OrderStatus } from "@/lib/orders/status";
import { transitionOrder } from "@/lib/orders/transitions";
import { requeueLinkedWalletTx } from "@/lib/wallet-links/allowlist";
import { plainChainError, type PlainChainError } from "./errors";
import type { ChainTxKind } from "./intents";
import { readOrNull, refuse, signerOf, tokenOf, type OperationResult, type Operator } from "./operator";
import { submitTransaction } from "./signer-queue";

/**
 * The chain transactions of an offering that need a person: waiting (not mined yet), stuck (sent
 * long ago, no receipt) or failed and not dealt with. Staff retry them through the signer queue or
 * give them up; a given-up allocation refunds its orders through the ordinary refund path.
 */

const STUCK_AFTER_MS = 2 * 60_000;

export type IssueOrder = { id: string; seq: number; units: number; status: OrderStatus; email: string };
export type ChainIssue = {
  id: string;
  kind: string;
  functionName: string;
  state: "waiting" | "stuck" | "failed";
  status: ChainTransaction["status"];
  createdAt: Date;
  sentAt: Date | null;
  txHash: string | null;
  attempts: number;
  error: string | null;
  plain: PlainChainError;
  orders: IssueOrder[];
};

function ofOffering(op: Pick<Operator, "chainId">, offering: Offering): SQL {
  const token = offering.chainId === op.chainId ? offering.tokenAddress : null;
  return and(
    eq(chainTransactions.chainId, op.chainId),
    or(
      token ? sql`lower(${chainTransactions.payload}->>'to') = ${token.toLowerCase()}` : undefined,
      and(eq(chainTransactions.kind, "deploy"), sql`${chainTransactions.payload}->'ref'->>'offeringId' = ${offering.id}`),
      // A stablecoin settlement goes to the settlement contract, for one order of the offering.
      and(eq(chainTransactions.kind, "settlement"), sql`${chainTransactions.payload}->'ref'->>'offeringId' = ${offering.id}`),
      // A withdrawal's gas top-up goes to the custodial wallet, not the token: its ref names the offering.
      and(eq(chainTransactions.kind, "gas_topup"), sql`${chainTransactions.payload}->'ref'->>'offeringId' = ${offering.id}`),
    ),
  )!;
}

// A failed allocation needs staff while it still carries orders; any other failure until a later try of the same thing.
// A failed stablecoin settlement never does: nothing moved, and the buyer, told why, may sign again until the reservation ends.
const needsStaff = sql`(${chainTransactions.status} in ('pending', 'sent') or (${chainTransactions.status} = 'failed' and ${chainTransactions.payload}->'resolution' is null and case when ${chainTransactions.kind} = 'settlement' then false when ${chainTransactions.kind} = 'allocate'
  then exists (select 1 from ${allocations} where ${allocations.chainTransactionId} = ${chainTransactions.id} and ${allocations.allocatedAt} is null)
  else not exists (select 1 from chain_transactions later where later.kind = ${chainTransactions.kind} and later.chain_id = ${chainTransactions.chainId} and later.payload->'ref' = ${chainTransactions.payload}->'ref' and later.created_at > ${chainTransactions.createdAt}) end))`;

const refOrderIds = (row: ChainTransaction): string[] => {
  const ref = row.payload?.ref ?? {};
  return [...(typeof ref.orderId === "string" ? [ref.orderId] : []), ...(Array.isArray(ref.orderIds) ? ref.orderIds.filter((id): id is string => typeof id === "string") : [])];
};

export async function listChainIssues(op: Pick<Operator, "db" | "chainId">, offering: Offering, only?: string): Promise<ChainIssue[]> {
  const rows = await op.db
    .select()
    .from(chainTransactions)
    .where(and(ofOffering(op, offering), needsStaff, only ? eq(chainTransactions.id, only) : undefined))
    .orderBy(asc(chainTransactions.createdAt))
    .limit(200);
  if (rows.length === 0) return [];
  const open = await op.db
    .select({ txId: allocations.chainTransactionId, orderId: allocations.orderId })
    .from(allocations)
    .where(
      and(
        inArray(
          allocations.chainTransactionId,
          rows.map((row) => row.id),
        ),
        isNull(allocations.allocatedAt),
      ),
    );
  const orderIdsOf = (row: ChainTransaction) => (row.kind === "allocate" ? open.filter((item) => item.txId === row.id).map((item) => item.orderId) : refOrderIds(row));
  const ids = [...new Set(rows.flatMap(orderIdsOf))];
  const people = ids.length
    ? await op.db
        .select({ id: orders.id, seq: orders.seq, units: orders.units, status: orders.status, email: users.email })
        .from(orders)
        .innerJoin(users, eq(users.id, orders.userId))
        .where(inArray(orders.id, ids))
    : [];
  const now = Date.now();
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    functionName: row.payload?.functionName ?? "",
    state: row.status === "failed" ? "failed" : row.status === "sent" && row.sentAt && now - row.sentAt.getTime() > STUCK_AFTER_MS ? "stuck" : "waiting",
    status: row.status,
    createdAt: row.createdAt,
    sentAt: row.sentAt,
    txHash: row.txHash,
    attempts: row.attempts,
    error: row.error,
    plain: plainChainError(row.error),
    orders: orderIdsOf(row)
      .map((id) => people.find((person) => person.id === id))
      .filter((person): person is IssueOrder => Boolean(person)),
  }));
}

async function issueRow(op: Operator, offering: Offering, txId: string): Promise<ChainTransaction | null> {
  if ((await listChainIssues(op, offering, txId)).length === 0) return null;
  const [row] = await op.db.select().from(chainTransactions).where(eq(chainTransactions.id, txId));
  return row ?? null;
}

function resolution(action: "retried" | "given_up", staffId: string, reason?: string): NonNullable<TxPayload["resolution"]> {
  return { action, by: staffId, at: new Date().toISOString(), ...(reason ? { reason } : {}) };
}

async function markResolved(tx: DbOrTx, row: ChainTransaction, value: NonNullable<TxPayload["resolution"]>): Promise<void> {
  await tx
    .update(chainTransactions)
    .set({ payload: { ...row.payload!, resolution: value }, updatedAt: sql`now()` })
    .where(eq(chainTransactions.id, row.id));
}

/** Open allocations of a transaction go back in line (their orders to `paid`); the allocation job sends them again. */
async function requeueAllocations(tx: DbOrTx, row: ChainTransaction): Promise<string[]> {
  const freed = await tx
    .delete(allocations)
    .where(and(eq(allocations.chainTransactionId, row.id), isNull(allocations.allocatedAt)))
    .returning({ orderId: allocations.orderId });
  const back: string[] = [];
  for (const { orderId } of freed) {
    if (await transitionOrder(tx, orderId, "paid", { from: ["allocating"], detail: { step: "allocation retried" } })) {
      await enqueue(tx, JOBS.allocate, { orderId });
      back.push(orderId);
    }
  }
  return back;
}

const COMPLIANCE_JOBS = { clawback: JOBS.clawback, freeze: JOBS.freeze, unfreeze: JOBS.unfreeze } as const;

/**
 * Retry: a waiting or stuck transaction is driven again (the queue re-sends a stuck one with
 * higher fees); a failed one goes again as what it was: allocations back in line, a refund's
 * clawback or a dispute's freeze through its job, the token's deployment through its job, a
 * redemption's burns through the redemption job, a perk's burn or give-back through the perk job of
 * each claim, an own wallet's allowlisting or delisting through its approval's job, any other call
 * as a new queued transaction. A failed forced transfer needs a new request;
 * a failed withdrawal or gas top-up is final (the holder was told); a waiting one goes to its withdrawal's job.
 */
export async function retryChainTransaction(op: Operator, input: { offering: Offering; txId: string; staffId: string }): Promise<OperationResult> {
  const row = await issueRow(op, input.offering, input.txId);
  if (!row) return refuse("notOpen");
  if (row.kind === "forced_transfer" && row.status === "failed") return refuse("askAgain");
  // A failed withdrawal (or its gas top-up) is final: the holder was told and asks again if they wish.
  if ((row.kind === "withdrawal" || row.kind === "gas_topup") && row.status === "failed") return refuse("notOpen");
  const orderId = typeof row.payload?.ref.orderId === "string" ? row.payload.ref.orderId : null;
  await op.db.transaction(async (tx) => {
    let detail: Record<string, unknown> = { kind: row.kind, status: row.status };
    if (row.status !== "failed" && typeof row.payload?.ref.withdrawalId === "string") {
      // Signed by (or for) the holder's custodial key: only the withdrawal's job drives that queue.
      await enqueue(tx, JOBS.withdrawalSend, { withdrawalId: row.payload.ref.withdrawalId });
      detail = { ...detail, withdrawalId: row.payload.ref.withdrawalId };
    } else if (row.status !== "failed") {
      await enqueue(tx, JOBS.chainOperation, { chainTransactionId: row.id });
    } else if (row.kind === "allocate") {
      detail = { ...detail, orderIds: await requeueAllocations(tx, row) };
    } else if (orderId && row.kind in COMPLIANCE_JOBS) {
      await enqueue(tx, COMPLIANCE_JOBS[row.kind as keyof typeof COMPLIANCE_JOBS], { orderId });
    } else if (row.kind === "deploy") {
      await enqueue(tx, JOBS.deployToken, { offeringId: input.offering.id });
    } else if (row.kind === "redeem" && typeof row.payload?.ref.runId === "string") {
      // Not the same batch again: the job checks which burns the chain has done, follows moved units and sends each of the rest on its own.
      await enqueue(tx, JOBS.redeemBurn, { runId: row.payload.ref.runId });
      detail = { ...detail, runId: row.payload.ref.runId };
    } else if ((row.kind === "allowlist" || row.kind === "delist") && typeof row.payload?.ref.linkedWalletApprovalId === "string") {
      // An own wallet's allowlisting goes again through its approval's job, which sets the approval's transaction once.
      detail = { ...detail, linkedWalletApprovalId: await requeueLinkedWalletTx(tx, row) };
    } else if (row.kind === "perk_burn" || row.kind === "perk_restore") {
      // Each claim through its job, which reads what the chain has done already and sends the rest on its own.
      const claimIds = Array.isArray(row.payload?.ref.perkClaimIds) ? row.payload.ref.perkClaimIds.filter((id): id is string => typeof id === "string") : [];
      for (const claimId of claimIds) {
        if (row.kind === "perk_burn") await enqueue(tx, JOBS.perkBurn, { claimId });
        else await enqueue(tx, JOBS.perkRestore, { claimId });
      }
      detail = { ...detail, perkClaimIds: claimIds };
    } else {
      const { replaced: _replaced, resolution: _resolution, createdAddress: _created, ...payload } = row.payload!;
      const again = await submitTransaction(tx, signerOf(op), { kind: row.kind as ChainTxKind, payload });
      await enqueue(tx, JOBS.chainOperation, { chainTransactionId: again.id });
      detail = { ...detail, retriedAs: again.id };
    }
    if (row.status === "failed") await markResolved(tx, row, resolution("retried", input.staffId));
    await recordAudit(tx, { actorId: input.staffId, action: "chain.transaction_retried", targetType: "chain_transaction", targetId: row.id, detail: { offeringId: input.offering.id, ...detail } });
  });
  return { ok: true };
}

/**
 * Give up a failed transaction, or a waiting one not sent yet (it is then never sent). For an
 * allocation, its orders no longer wait for it and each is refunded through the refund path; a
 * perk's burn or give-back refunds nothing: its claims stay as they are, for staff (the sweep does not send them again).
 */
export async function giveUpChainTransaction(
  op: Operator,
  input: { offering: Offering; txId: string; staffId: string; reason: string },
  refund: (orderId: string, staffId: string) => Promise<{ ok: boolean }> = requestRefund,
): Promise<OperationResult<{ orderIds: string[]; refundsRequested: number }>> {
  let row = await issueRow(op, input.offering, input.txId);
  if (!row) return refuse("notOpen");
  if (row.status === "sent") return refuse("underway");
  const token = tokenOf(op, input.offering);
  const openOrders =
    row.kind === "allocate"
      ? await op.db
          .select({ orderId: allocations.orderId, seq: orders.seq })
          .from(allocations)
          .innerJoin(orders, eq(orders.id, allocations.orderId))
          .where(and(eq(allocations.chainTransactionId, row.id), isNull(allocations.allocatedAt)))
      : [];
  if (openOrders.length > 0 && token) {
    // An order the chain has allocated anyway is recorded by the allocation job, never refunded here.
    const flags = await readOrNull(() =>
      Promise.all(openOrders.map((item) => op.client.readContract({ address: token, abi: villageTokenAbi, functionName: "isAllocated", args: [BigInt(item.seq)] }))),
    );
    if (flags === null) return refuse("unreachable");
    if (flags.some(Boolean)) return refuse("onChainAlready");
  }
  const orderIds = await op.db.transaction(async (tx) => {
    if (row!.status === "pending") {
      const [stopped] = await tx
        .update(chainTransactions)
        .set({ status: "failed", error: "given up by staff before it was sent", updatedAt: sql`now()` })
        .where(and(eq(chainTransactions.id, row!.id), eq(chainTransactions.status, "pending")))
        .returning();
      if (!stopped) return null;
      row = stopped;
    }
    const freed = await tx
      .delete(allocations)
      .where(and(eq(allocations.chainTransactionId, row!.id), isNull(allocations.allocatedAt)))
      .returning({ orderId: allocations.orderId });
    await markResolved(tx, row!, resolution("given_up", input.staffId, input.reason));
    const ids = freed.map((item) => item.orderId);
    await recordAudit(tx, {
      actorId: input.staffId,
      action: "chain.transaction_given_up",
      targetType: "chain_transaction",
      targetId: row!.id,
      detail: { offeringId: input.offering.id, kind: row!.kind, reason: input.reason, error: row!.error, orderIds: ids },
    });
    return ids;
  });
  if (!orderIds) return refuse("underway");
  let refundsRequested = 0;
  for (const orderId of orderIds) {
    // The processor is called outside the transaction; a refund it refuses stays visible to staff.
    const result = await refund(orderId, input.staffId).catch((error: unknown) => {
      console.error(`[chain] refund of order ${orderId} after giving up its allocation failed: ${error instanceof Error ? error.message : error}`);
      return { ok: false };
    });
    if (result.ok) refundsRequested++;
  }
  return { ok: true, orderIds, refundsRequested };
}

/** Orders whose allocation was given up, not refunded yet: the processor's confirmation moves them to refunded. */
export async function listGivenUpOrders(db: DbOrTx, offeringId: string): Promise<IssueOrder[]> {
  return db
    .select({ id: orders.id, seq: orders.seq, units: orders.units, status: orders.status, email: users.email })
    .from(orders)
    .innerJoin(users, eq(users.id, orders.userId))
    .where(and(eq(orders.offeringId, offeringId), eq(orders.status, "allocating"), sql`not exists (select 1 from ${allocations} where ${allocations.orderId} = ${orders.id})`))
    .orderBy(asc(orders.seq))
    .limit(200);
}

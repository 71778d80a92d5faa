import "server-only";
import { and, eq, inArray, isNotNull, or, sql } from "drizzle-orm";
import { getAddress, type Address } from "viem";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";
import type { Tx } from "@/db/client";
import { chainTransactions, forcedTransferRequests, offerings, users, type Offering } from "@/db/schema";
import { type AuditEntry, recordAudit } from "@/lib/audit";
import { enqueue } from "@/lib/jobs/enqueue";
import { JOBS } from "@/lib/jobs/names";
import { settleAllocationTx } from "./allocate";
import type { ChainContext } from "./context";
import { finishForcedTransfer } from "./forced-transfer";
import { resolveHolder, unitsByAddress } from "./holdings";
import { pauseIntent, walletFreezeIntent, type TxIntent } from "./intents";
import { hasOpenDispute, hasOpenTransaction, readOrNull, refuse, signerOf, tokenOf, type OperationResult, type Operator } from "./operator";
import { submitTransaction, waitForTransactions } from "./signer-queue";

/**
 * Staff operations on an offering's token: pause and unpause it, freeze and unfreeze a holder's
 * wallet. Each is queued through the signer queue (a journalled transaction the worker sends) in
 * the same database transaction as its audit record with the staff member's reason.
 */

type FrozenWallet = { address: Address; email: string | null; units: number };
export type TokenState = { token: Address | null; paused: boolean | null; frozen: FrozenWallet[] | null };

async function deploymentBlock(op: Operator, token: Address): Promise<bigint> {
  const [row] = await op.db
    .select({ blockNumber: chainTransactions.blockNumber })
    .from(chainTransactions)
    .where(and(eq(chainTransactions.kind, "deploy"), eq(chainTransactions.chainId, op.chainId), sql`lower(${chainTransactions.payload}->>'createdAddress') = ${token.toLowerCase()}`));
  return BigInt(row?.blockNumber ?? 0);
}

/** Frozen wallets from the token's FrozenSet events (the last one per wallet counts). */
async function frozenOnChain(op: Operator, token: Address): Promise<Address[]> {
  const logs = await op.client.getContractEvents({ address: token, abi: villageTokenAbi, eventName: "FrozenSet", fromBlock: await deploymentBlock(op, token), toBlock: "latest" });
  const state = new Map<Address, boolean>();
  for (const log of logs) if (log.args.wallet) state.set(getAddress(log.args.wallet), Boolean(log.args.frozen));
  return [...state].filter(([, frozen]) => frozen).map(([address]) => address);
}

/** The token as the chain has it now: paused or not, and its frozen wallets with their holders. Null parts: the node is unreachable. */
export async function readTokenState(op: Operator, offering: Offering): Promise<TokenState> {
  const token = tokenOf(op, offering);
  if (!token) return { token: null, paused: null, frozen: null };
  const [paused, frozen] = await Promise.all([readOrNull(() => op.client.readContract({ address: token, abi: villageTokenAbi, functionName: "paused" })), readOrNull(() => frozenOnChain(op, token))]);
  if (!frozen) return { token, paused, frozen: null };
  const holdings = await unitsByAddress(op.db, offering.id);
  const userIds = [...new Set(holdings.map((row) => row.userId).filter((id): id is string => Boolean(id)))];
  const emails = userIds.length ? await op.db.select({ id: users.id, email: users.email }).from(users).where(inArray(users.id, userIds)) : [];
  return {
    token,
    paused,
    frozen: frozen.map((address) => {
      const held = holdings.filter((row) => row.address === address);
      const userId = held[0]?.userId;
      return { address, email: emails.find((row) => row.id === userId)?.email ?? null, units: held.reduce((sum, row) => sum + row.units, 0) };
    }),
  };
}

async function queue(op: Operator, intent: TxIntent, audit: AuditEntry, alongside?: (tx: Tx) => Promise<void>): Promise<string> {
  return op.db.transaction(async (tx) => {
    const row = await submitTransaction(tx, signerOf(op), intent);
    await recordAudit(tx, { ...audit, detail: { ...audit.detail, chainTransactionId: row.id } });
    await enqueue(tx, JOBS.chainOperation, { chainTransactionId: row.id });
    await alongside?.(tx);
    return row.id;
  });
}

/** A paused token cannot issue: the sale pauses with it, so nobody pays for tokens that would wait. Staff reopen it themselves. */
async function pauseSale(tx: Tx, offeringId: string, staffId: string, reason: string): Promise<void> {
  const [paused] = await tx
    .update(offerings)
    .set({ status: "paused" })
    .where(and(eq(offerings.id, offeringId), eq(offerings.status, "open")))
    .returning({ id: offerings.id });
  if (paused) await recordAudit(tx, { actorId: staffId, action: "offering.paused", targetType: "offering", targetId: offeringId, detail: { because: "token_paused", reason } });
}

export async function queueTokenPause(op: Operator, input: { offering: Offering; staffId: string; paused: boolean; reason: string }): Promise<OperationResult<{ chainTransactionId: string }>> {
  const token = tokenOf(op, input.offering);
  if (!token) return refuse("noToken");
  const now = await readOrNull(() => op.client.readContract({ address: token, abi: villageTokenAbi, functionName: "paused" }));
  if (now === null) return refuse("unreachable");
  if (now === input.paused) return refuse(input.paused ? "alreadyPaused" : "notPaused");
  if (await hasOpenTransaction(op, token, ["pause", "unpause"])) return refuse("underway");
  const chainTransactionId = await queue(
    op,
    pauseIntent(token, input.paused, { offeringId: input.offering.id, requestedBy: input.staffId }),
    {
      actorId: input.staffId,
      action: input.paused ? "token.paused" : "token.unpaused",
      targetType: "offering",
      targetId: input.offering.id,
      detail: { token, reason: input.reason },
    },
    input.paused ? (tx) => pauseSale(tx, input.offering.id, input.staffId, input.reason) : undefined,
  );
  return { ok: true, chainTransactionId };
}

/** Freezes or unfreezes a holder's wallet, named by email or address (where their units of this offering are). */
export async function queueWalletFreeze(
  op: Operator,
  input: { offering: Offering; staffId: string; holder: string; frozen: boolean; reason: string },
): Promise<OperationResult<{ chainTransactionId: string; address: Address }>> {
  const token = tokenOf(op, input.offering);
  if (!token) return refuse("noToken");
  const holder = await resolveHolder(op.db, input.offering.id, input.holder);
  if (!holder) return refuse("notHolder");
  const named = holder.holdings.find((row) => row.address.toLowerCase() === input.holder.trim().toLowerCase());
  const largest = [...holder.holdings].sort((a, b) => b.units - a.units)[0];
  const address = named?.address ?? (largest && largest.units > 0 ? largest.address : holder.current);
  if (!address) return refuse("notHolder");
  const now = await readOrNull(() => op.client.readContract({ address: token, abi: villageTokenAbi, functionName: "isFrozen", args: [address] }));
  if (now === null) return refuse("unreachable");
  if (now === input.frozen) return refuse(input.frozen ? "alreadyFrozen" : "notFrozen");
  if (!input.frozen && (await hasOpenDispute(op.db, input.offering.id, holder.userId))) return refuse("disputeOpen");
  if (await hasOpenTransaction(op, token, ["freeze", "unfreeze"], address)) return refuse("underway");
  const chainTransactionId = await queue(op, walletFreezeIntent(token, address, input.frozen, { offeringId: input.offering.id, requestedBy: input.staffId }), {
    actorId: input.staffId,
    action: input.frozen ? "wallet.frozen" : "wallet.unfrozen",
    targetType: "user",
    targetId: holder.userId,
    detail: { offeringId: input.offering.id, token, address, reason: input.reason },
  });
  return { ok: true, chainTransactionId, address };
}

/** Worker: drives the signer queue until the operation's transaction is final, then records what follows from it. */
export async function followOperation(ctx: ChainContext, chainTransactionId: string): Promise<void> {
  const [row] = await waitForTransactions(ctx, [chainTransactionId]);
  if (row?.kind === "forced_transfer") await finishForcedTransfer(ctx.db, row);
  // A stuck allocation retried by staff: once mined its orders are recorded now (a failed one is the allocation job's).
  if (row?.kind === "allocate" && row.status === "confirmed") await settleAllocationTx(ctx, row.id);
}

/** The minute's sweep: staff operations still waiting (a lost job, a restarted worker) are followed to the end. */
export async function sweepOperations(ctx: ChainContext): Promise<void> {
  const open = await ctx.db
    .select({ id: chainTransactions.id })
    .from(chainTransactions)
    .where(
      and(
        eq(chainTransactions.chainId, ctx.chainId),
        eq(chainTransactions.signer, ctx.account.address),
        inArray(chainTransactions.status, ["pending", "sent"]),
        or(inArray(chainTransactions.kind, ["pause", "unpause", "forced_transfer"]), sql`${chainTransactions.payload}->'ref'->>'requestedBy' is not null`),
      ),
    );
  if (open.length > 0)
    await waitForTransactions(
      ctx,
      open.map((row) => row.id),
    );
  const queued = await ctx.db
    .select({ tx: chainTransactions })
    .from(forcedTransferRequests)
    .innerJoin(chainTransactions, eq(chainTransactions.id, forcedTransferRequests.chainTransactionId))
    .where(and(eq(forcedTransferRequests.status, "queued"), isNotNull(forcedTransferRequests.chainTransactionId), inArray(chainTransactions.status, ["confirmed", "failed"])));
  for (const { tx } of queued) await finishForcedTransfer(ctx.db, tx);
}

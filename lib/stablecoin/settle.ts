import "server-only";
import { and, asc, eq, isNull } from "drizzle-orm";
import { getAddress } from "viem";
import { offerings, orders, stablecoinPayments, villages, wallets, type StablecoinPayment } from "@/db/schema";
import { allowlistWallets } from "@/lib/chain/allowlist";
import { inGroup, UNPAID } from "@/lib/orders/status";
import type { ChainContext } from "@/lib/chain/context";
import type { TxIntent } from "@/lib/chain/intents";
import { submitTransaction, waitForTransactions } from "@/lib/chain/signer-queue";
import { yenAsBaseUnits } from "./authorization";
import { stablecoinSetup } from "./contracts";
import { ensureSettlementCanAllocate } from "./platform";
import { recordFailed, recordSettled } from "./record";
import { settlementIntent } from "./settle-intent";

/**
 * The settlement job: a submitted payment goes to the chain once, as settleWithAuthorization
 * through the operator's signer queue (the buyer's coins to the issuer and the order's tokens to
 * the buyer's custodial wallet, or neither), and its outcome is recorded once. The payment row
 * says what is left to do, so runs at once, twice or after a crash settle it once.
 */

export type SettleOutcome = "confirmed" | "failed" | "skipped";

/** The transaction for the payment, or why it cannot be sent at all. */
async function settlementFor(ctx: ChainContext, payment: StablecoinPayment): Promise<{ ok: true; intent: TxIntent } | { ok: false; error: string }> {
  const [row] = await ctx.db
    .select({ order: orders, token: offerings.tokenAddress, chainId: offerings.chainId, payee: villages.stablecoinPayee, custodial: wallets.address, allowlistedAt: wallets.allowlistedAt })
    .from(orders)
    .innerJoin(offerings, eq(offerings.id, orders.offeringId))
    .innerJoin(villages, eq(villages.id, offerings.villageId))
    .leftJoin(wallets, eq(wallets.userId, orders.userId))
    .where(eq(orders.id, payment.orderId));
  if (!row?.token || row.chainId !== ctx.chainId) return { ok: false, error: "the offering's token is not on this chain" };
  // Nothing goes on chain for an order no longer waiting for this payment (its units may be someone else's by now).
  if (!inGroup(UNPAID, row.order.status)) return { ok: false, error: `the order is ${row.order.status}, no longer open for payment` };
  if (row.order.paymentMethod !== "stablecoin") return { ok: false, error: "the order is not paid in the stablecoin" };
  if (!row.payee) return { ok: false, error: "the issuer takes no stablecoin payments" };
  if (!row.custodial) return { ok: false, error: "the buyer has no custodial wallet" };
  const setup = await stablecoinSetup(ctx.db, ctx.chainId);
  if (!setup) return { ok: false, error: "no stablecoin on this chain" };
  if (getAddress(payment.stablecoin) !== setup.stablecoin) return { ok: false, error: `the payment is in ${payment.stablecoin}, the chain's stablecoin is ${setup.stablecoin}` };
  const token = getAddress(row.token);
  // The tokens go to the custodial wallet, which must be on the token's allowlist first.
  if (!row.allowlistedAt) await allowlistWallets(ctx, [row.order.userId]);
  await ensureSettlementCanAllocate(ctx, token, setup.settlement);
  return {
    ok: true,
    intent: settlementIntent({
      settlement: setup.settlement,
      token,
      stablecoin: setup.stablecoin,
      order: { id: row.order.id, seq: row.order.seq, units: row.order.units, offeringId: row.order.offeringId },
      to: getAddress(row.custodial),
      payee: getAddress(row.payee),
      amount: BigInt(yenAsBaseUnits(row.order.amountYen, setup.decimals)),
      paymentId: payment.id,
      authorization: payment.authorization,
    }),
  };
}

/** Queues the settlement once: under the payment's row lock, its transaction id is set only if none is. */
async function queueOnce(ctx: ChainContext, paymentId: string, intent: TxIntent): Promise<string | null> {
  return ctx.db.transaction(async (tx) => {
    const [locked] = await tx.select().from(stablecoinPayments).where(eq(stablecoinPayments.id, paymentId)).for("update");
    if (locked?.status !== "submitted") return null;
    if (locked.chainTransactionId) return locked.chainTransactionId;
    const row = await submitTransaction(tx, ctx, intent);
    await tx
      .update(stablecoinPayments)
      .set({ chainTransactionId: row.id })
      .where(and(eq(stablecoinPayments.id, paymentId), isNull(stablecoinPayments.chainTransactionId)));
    return row.id;
  });
}

export async function settleStablecoinPayment(ctx: ChainContext, paymentId: string): Promise<SettleOutcome> {
  const [payment] = await ctx.db.select().from(stablecoinPayments).where(eq(stablecoinPayments.id, paymentId));
  if (payment?.status !== "submitted") return "skipped";
  let txId = payment.chainTransactionId;
  if (!txId) {
    const prepared = await settlementFor(ctx, payment);
    if (!prepared.ok) return (await recordFailed(ctx, paymentId, prepared.error)) ? "failed" : "skipped";
    txId = await queueOnce(ctx, paymentId, prepared.intent);
    if (!txId) return "skipped";
  }
  const [txRow] = await waitForTransactions(ctx, [txId]);
  if (txRow!.status === "confirmed") return (await recordSettled(ctx, paymentId, txRow!)) ? "confirmed" : "skipped";
  return (await recordFailed(ctx, paymentId, txRow!.error ?? "failed on chain")) ? "failed" : "skipped";
}

/** The sweep: every payment still submitted (a lost job, a restarted worker), oldest first. */
export async function sweepStablecoinPayments(ctx: ChainContext): Promise<number> {
  const open = await ctx.db.select({ id: stablecoinPayments.id }).from(stablecoinPayments).where(eq(stablecoinPayments.status, "submitted")).orderBy(asc(stablecoinPayments.createdAt)).limit(100);
  let decided = 0;
  for (const { id } of open) if ((await settleStablecoinPayment(ctx, id)) !== "skipped") decided++;
  return decided;
}

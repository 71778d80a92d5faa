import "server-only";
import { and, eq } from "drizzle-orm";
import { getAddress, type Address } from "viem";
import { getDb, type DbOrTx } from "@/db/client";
import { offerings, orders, stablecoinPayments, villages, wallets, type Order } from "@/db/schema";
import { env } from "@/lib/env";
import { inGroup, UNPAID } from "@/lib/orders/status";
import { activeLinkedWalletsOf } from "@/lib/wallet-links/queries";
import { stablecoinSetup, type StablecoinSetup } from "./contracts";

/**
 * When an investor may pay in the stablecoin: the chain has one (and its settlement contract), the
 * issuer named where the coins go, the offering's token exists, and the investor linked a wallet
 * of their own to pay from (the tokens still go to the custodial wallet, which is allowlisted).
 */

export type StablecoinOption = { setup: StablecoinSetup; payee: Address; token: Address; payFrom: Address[]; custodial: Address | null };

/** The investor's active own wallets, newest first (the first is offered to pay from). */
async function activeLinkedAddresses(db: DbOrTx, userId: string): Promise<Address[]> {
  return (await activeLinkedWalletsOf(db, userId)).reverse().map((wallet) => getAddress(wallet.address));
}

/** The stablecoin option of this offering for this investor, or null when it is not offered. */
export async function stablecoinOption(db: DbOrTx, userId: string, offeringId: string): Promise<StablecoinOption | null> {
  const chainId = env().chain.chainId;
  const [row] = await db
    .select({ token: offerings.tokenAddress, chainId: offerings.chainId, payee: villages.stablecoinPayee })
    .from(offerings)
    .innerJoin(villages, eq(villages.id, offerings.villageId))
    .where(eq(offerings.id, offeringId));
  if (!row?.token || !row.payee || row.chainId !== chainId) return null;
  const [setup, payFrom, [custodial]] = await Promise.all([
    stablecoinSetup(db, chainId),
    activeLinkedAddresses(db, userId),
    db.select({ address: wallets.address }).from(wallets).where(eq(wallets.userId, userId)),
  ]);
  if (!setup || payFrom.length === 0) return null;
  return { setup, payee: getAddress(row.payee), token: getAddress(row.token), payFrom, custodial: custodial ? getAddress(custodial.address) : null };
}

/** For the offering page: whether to offer the choice at all. */
export function stablecoinOptionFor(userId: string, offeringId: string): Promise<StablecoinOption | null> {
  return stablecoinOption(getDb(), userId, offeringId);
}

export type PaymentRefusal = "notFound" | "notStablecoin" | "notOpen" | "expired" | "inFlight" | "unavailable" | "walletNotLinked" | "mismatch" | "badSignature" | "notEnoughCoins";

export type PayableOrder = { ok: true; order: Order; option: StablecoinOption } | { ok: false; error: PaymentRefusal };

async function paymentInFlight(db: DbOrTx, orderId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: stablecoinPayments.id })
    .from(stablecoinPayments)
    .where(and(eq(stablecoinPayments.orderId, orderId), eq(stablecoinPayments.status, "submitted")));
  return Boolean(row);
}

/** The investor's own unpaid stablecoin order, with nothing on its way, and how it can be paid. */
export async function payableOrder(db: DbOrTx, userId: string, orderId: string, now: Date): Promise<PayableOrder> {
  const [order] = await db.select().from(orders).where(eq(orders.id, orderId));
  // Someone else's order is "not found": its existence is not confirmed either.
  if (!order || order.userId !== userId) return { ok: false, error: "notFound" };
  if (order.paymentMethod !== "stablecoin") return { ok: false, error: "notStablecoin" };
  if (!inGroup(UNPAID, order.status)) return { ok: false, error: "notOpen" };
  if (order.reservationExpiresAt.getTime() <= now.getTime()) return { ok: false, error: "expired" };
  if (await paymentInFlight(db, orderId)) return { ok: false, error: "inFlight" };
  const option = await stablecoinOption(db, userId, order.offeringId);
  if (!option) return { ok: false, error: (await activeLinkedAddresses(db, userId)).length === 0 ? "walletNotLinked" : "unavailable" };
  return { ok: true, order, option };
}

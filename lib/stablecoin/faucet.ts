import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { getAddress, type Address, type Hash } from "viem";
import type { Db } from "@/db/client";
import { linkedWallets } from "@/db/schema";
import { hitRateLimit } from "@/lib/auth/rate-limit";
import type { ChainContext } from "@/lib/chain/context";
import { ChainRetryableError } from "@/lib/chain/errors";
import type { Translate } from "@/lib/i18n/catalog";
import { formatYen } from "@/lib/i18n/format";
import { stablecoinSetup } from "./contracts";
import { mintStablecoin, stablecoinBalance, yenToUnits } from "./platform";

/** What one press of the dev faucet gives, and the balance past which it gives nothing more. */
export const FAUCET_YEN = 100_000;
export const FAUCET_CAP_YEN = 1_000_000;

export type FaucetResult =
  | { ok: true; address: Address; yen: number; txHash: Hash }
  | { ok: false; reason: "not_linked" | "not_ready" | "capped" | "failed" }
  | { ok: false; reason: "too_soon"; retryAfterSeconds: number };

/**
 * Demo mode's faucet (the caller checks the mode): ¥100,000 of the dev stablecoin to one of the
 * investor's active linked wallets, once a minute per investor, none to an address holding ¥1,000,000 or more.
 */
export async function devFaucet(db: Db, ctx: ChainContext, userId: string, address: Address): Promise<FaucetResult> {
  const [linked] = await db
    .select({ address: linkedWallets.address })
    .from(linkedWallets)
    .where(and(eq(linkedWallets.userId, userId), eq(linkedWallets.status, "active"), sql`lower(${linkedWallets.address}) = ${address.toLowerCase()}`));
  if (!linked) return { ok: false, reason: "not_linked" };
  const to = getAddress(linked.address);
  const setup = await stablecoinSetup(db, ctx.chainId);
  if (!setup) return { ok: false, reason: "not_ready" };
  const limit = await hitRateLimit(db, `stablecoin-faucet:${userId}`, 1, 60);
  if (!limit.allowed) return { ok: false, reason: "too_soon", retryAfterSeconds: limit.retryAfterSeconds };
  try {
    if ((await stablecoinBalance(ctx, setup, to)) >= yenToUnits(setup, FAUCET_CAP_YEN)) return { ok: false, reason: "capped" };
    const row = await mintStablecoin(ctx, setup, to, FAUCET_YEN);
    if (row.status !== "confirmed") return { ok: false, reason: "failed" };
    return { ok: true, address: to, yen: FAUCET_YEN, txHash: row.txHash as Hash };
  } catch (error) {
    if (error instanceof ChainRetryableError) return { ok: false, reason: "failed" };
    throw error;
  }
}

/** The texts of the faucet button (components/own-wallets/dev-faucet.tsx) in the reader's language. */
export function devFaucetLabels(t: Translate): { button: string; pending: string; note: string; failed: string } {
  return {
    button: t("stablecoin.devFaucet.button"),
    pending: t("stablecoin.devFaucet.pending"),
    note: t("stablecoin.devFaucet.note", { amount: formatYen(FAUCET_YEN) }),
    failed: t("stablecoin.devFaucet.failed"),
  };
}

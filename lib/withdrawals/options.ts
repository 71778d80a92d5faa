import "server-only";
import { and, eq, inArray, isNotNull, ne, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { ledgerEntries, offerings, type Offering } from "@/db/schema";
import { env } from "@/lib/env";
import { custodialFreeUnits } from "@/lib/perks/standing";
import { eligibleLinkedWallet, eligibleLinkedWallets, type EligibleWallet, unitsRequestedToday } from "./queries";
import type { WithdrawalRefusal } from "./request";

/** What the withdrawal page offers: the tokens the investor holds, with units free now and the day's limit left. */

export type Room = { free: number; limit: number; left: number; refusal: Extract<WithdrawalRefusal["status"], "disabled" | "walletFrozen" | "walletInRecovery"> | null };

/** Units free now in the custodial wallet, the day's limit and what is left of it, and why nothing may move. */
async function withdrawalRoom(userId: string, offering: Pick<Offering, "id" | "withdrawalDailyLimitUnits">, now = new Date()): Promise<Room> {
  const db = getDb();
  const [free, today] = await Promise.all([custodialFreeUnits(db, offering.id, userId), unitsRequestedToday(db, offering.id, userId, now)]);
  const limit = offering.withdrawalDailyLimitUnits;
  const refusal = limit <= 0 ? "disabled" : free.refusal === "wallet_frozen" ? "walletFrozen" : free.refusal === "wallet_in_recovery" ? "walletInRecovery" : null;
  return { free: free.units, limit, left: Math.max(0, limit - today), refusal };
}

export type HoldingOption = { offering: Offering; room: Room };

/** The offerings whose tokens the investor holds (per the ledger, anywhere), each with its room now. */
export async function withdrawalOptions(userId: string, now = new Date()): Promise<HoldingOption[]> {
  const held = await getDb()
    .select({ offeringId: ledgerEntries.offeringId })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.userId, userId), inArray(ledgerEntries.kind, ["tokens_allocated", "tokens_clawed_back", "tokens_transferred", "tokens_redeemed"])))
    .groupBy(ledgerEntries.offeringId)
    .having(sql`sum(${ledgerEntries.units}) > 0`);
  if (held.length === 0) return [];
  const rows = await getDb()
    .select()
    .from(offerings)
    .where(
      and(
        inArray(
          offerings.id,
          held.map((row) => row.offeringId),
        ),
        ne(offerings.status, "draft"),
        eq(offerings.chainId, env().chain.chainId),
        isNotNull(offerings.tokenAddress),
      ),
    )
    .orderBy(offerings.nameJa);
  return Promise.all(rows.map(async (offering) => ({ offering, room: await withdrawalRoom(userId, offering, now) })));
}

/** The user's linked wallets that may receive the offering's token now. */
export function walletsForWithdrawal(userId: string, offeringId: string): Promise<EligibleWallet[]> {
  return eligibleLinkedWallets(getDb(), userId, offeringId);
}

/** One of them, or null (another's, unlinked, not approved or not allowlisted for this token). */
export function walletForWithdrawal(userId: string, offeringId: string, linkedWalletId: string): Promise<EligibleWallet | null> {
  return eligibleLinkedWallet(getDb(), userId, offeringId, linkedWalletId);
}

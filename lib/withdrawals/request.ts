import "server-only";
import { eq } from "drizzle-orm";
import { getDb, violatesConstraint, type DbOrTx } from "@/db/client";
import { offerings, withdrawals, type Offering, type Withdrawal } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import type { SessionUser } from "@/lib/auth/roles";
import { signedInRecently, signInAgainPath } from "@/lib/auth/recent-sign-in";
import { env } from "@/lib/env";
import { enqueue } from "@/lib/jobs/enqueue";
import { JOBS } from "@/lib/jobs/names";
import { custodialFreeUnits, holderSpendLock, walletAddressOf } from "@/lib/perks/standing";
import { eligibleLinkedWallet, requestedToday } from "./queries";
import { withdrawConfirmPath } from "./schemas";

/**
 * An investor's request to move units from the custodial wallet to one of their linked wallets.
 * Everything is decided in one transaction under the holder's per-offering spend lock (the one
 * perk claims take), so two requests, or a request and a perk claim, never spend the same units
 * and never pass the daily limit together; the withdrawal row, its audit entry and its send job
 * commit together. The request key (made by the confirm step) makes a form sent twice one withdrawal.
 */

export type WithdrawalRefusal =
  | { status: "signInAgain"; path: string }
  | { status: "notFound" }
  | { status: "noToken" }
  | { status: "disabled" }
  | { status: "walletNotEligible" }
  | { status: "noCustodialWallet" }
  | { status: "walletFrozen" }
  | { status: "walletInRecovery" }
  | { status: "insufficientUnits"; free: number }
  | { status: "dailyLimit"; limit: number; left: number }
  | { status: "tooManyToday"; max: number };

export type WithdrawalOutcome = { status: "requested"; withdrawal: Withdrawal; existing: boolean } | WithdrawalRefusal;

export type WithdrawalRequest = {
  user: SessionUser;
  offeringId: string;
  linkedWalletId: string;
  units: number;
  requestKey: string;
  now?: Date;
};

/**
 * Withdrawals one investor may ask of one offering per Tokyo day: each may cost the operator a gas
 * top-up and the transfer's gas, so many one-unit withdrawals must not drain the operator's ETH.
 */
export const MAX_WITHDRAWALS_PER_DAY = 5;

class Refused extends Error {
  constructor(readonly outcome: WithdrawalRefusal) {
    super(outcome.status);
  }
}

async function byKey(db: DbOrTx, requestKey: string): Promise<Withdrawal | null> {
  const [row] = await db.select().from(withdrawals).where(eq(withdrawals.requestKey, requestKey));
  return row ?? null;
}

/** The same key again is the same withdrawal, for its owner only (someone else's key names nothing). */
function existingOutcome(row: Withdrawal, userId: string): WithdrawalOutcome {
  return row.userId === userId ? { status: "requested", withdrawal: row, existing: true } : { status: "notFound" };
}

/** The offering when its token is on this chain and withdrawals are on; else why not. */
function usableOffering(offering: Offering | undefined): WithdrawalRefusal | null {
  if (!offering || offering.status === "draft") return { status: "notFound" };
  if (!offering.tokenAddress || offering.chainId !== env().chain.chainId) return { status: "noToken" };
  if (offering.withdrawalDailyLimitUnits <= 0) return { status: "disabled" };
  return null;
}

export async function requestWithdrawal(input: WithdrawalRequest): Promise<WithdrawalOutcome> {
  const now = input.now ?? new Date();
  const { user } = input;
  const known = await byKey(getDb(), input.requestKey);
  if (known) return existingOutcome(known, user.id);
  if (!signedInRecently(user, now)) {
    const choice = { offeringId: input.offeringId, linkedWalletId: input.linkedWalletId, units: input.units };
    return { status: "signInAgain", path: signInAgainPath(withdrawConfirmPath(choice)) };
  }
  try {
    return await getDb().transaction(async (tx): Promise<WithdrawalOutcome> => {
      const [offering] = await tx.select().from(offerings).where(eq(offerings.id, input.offeringId));
      const unusable = usableOffering(offering);
      if (unusable) return unusable;
      await holderSpendLock(tx, input.offeringId, user.id);
      // Under the lock: the same form sent at the same moment finds the first one's row here.
      const raced = await byKey(tx, input.requestKey);
      if (raced) return existingOutcome(raced, user.id);

      const wallet = await eligibleLinkedWallet(tx, user.id, input.offeringId, input.linkedWalletId);
      if (!wallet) return { status: "walletNotEligible" };
      const from = await walletAddressOf(tx, user.id);
      if (!from) return { status: "noCustodialWallet" };
      const free = await custodialFreeUnits(tx, input.offeringId, user.id);
      if (free.refusal === "wallet_frozen") return { status: "walletFrozen" };
      if (free.refusal === "wallet_in_recovery") return { status: "walletInRecovery" };
      if (input.units > free.units) return { status: "insufficientUnits", free: free.units };
      const limit = offering!.withdrawalDailyLimitUnits;
      const today = await requestedToday(tx, input.offeringId, user.id, now);
      if (today.units + input.units > limit) return { status: "dailyLimit", limit, left: Math.max(0, limit - today.units) };
      if (today.requests >= MAX_WITHDRAWALS_PER_DAY) return { status: "tooManyToday", max: MAX_WITHDRAWALS_PER_DAY };

      let row: Withdrawal;
      try {
        // In a savepoint: a key taken meanwhile (for another offering, so under another lock) fails here alone.
        row = await tx.transaction(async (savepoint) => {
          const [inserted] = await savepoint
            .insert(withdrawals)
            .values({
              userId: user.id,
              offeringId: input.offeringId,
              linkedWalletId: wallet.linkedWalletId,
              fromAddress: from,
              toAddress: wallet.address,
              units: input.units,
              requestKey: input.requestKey,
              createdAt: now,
            })
            .returning();
          return inserted!;
        });
      } catch (error) {
        if (!violatesConstraint(error, "withdrawals_requestKey_unique")) throw error;
        throw new Refused({ status: "notFound" });
      }
      await recordAudit(tx, {
        actorId: user.id,
        action: "withdrawal.requested",
        targetType: "withdrawal",
        targetId: row.id,
        detail: { offeringId: input.offeringId, linkedWalletId: wallet.linkedWalletId, from, to: wallet.address, units: input.units },
      });
      await enqueue(tx, JOBS.withdrawalSend, { withdrawalId: row.id });
      return { status: "requested", withdrawal: row, existing: false };
    });
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
    // The key was taken by a request committed meanwhile: the same withdrawal for its owner.
    const winner = await byKey(getDb(), input.requestKey);
    return winner ? existingOutcome(winner, user.id) : error.outcome;
  }
}

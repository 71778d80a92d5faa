import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/db/client";
import { payoutBankAccounts, users, type PayoutBankAccount } from "@/db/schema";
import type { RateLimitBucket } from "@/lib/auth/rate-limit";
import { recordAudit } from "@/lib/audit";
import type { PayoutAccountInput } from "./schemas";

/** The account payouts go to now, or null when the investor has none (their coupons wait). */
export async function currentPayoutAccount(userId: string, db: DbOrTx = getDb()): Promise<PayoutBankAccount | null> {
  const [row] = await db
    .select()
    .from(payoutBankAccounts)
    .where(and(eq(payoutBankAccounts.userId, userId), isNull(payoutBankAccounts.endedAt)));
  return row ?? null;
}

/** "****567": only the last 3 digits are ever shown or logged. */
export function maskAccountNumber(accountNumber: string): string {
  return `${"*".repeat(Math.max(accountNumber.length - 3, 0))}${accountNumber.slice(-3)}`;
}

/** Registrations and changes per investor: a handful an hour is plenty for a real person. */
export function payoutAccountBuckets(userId: string): RateLimitBucket[] {
  return [{ key: `payout-account:${userId}`, limit: 10, windowSeconds: 3600 }];
}

/**
 * Registers the investor's payout account; a previous one is ended in the same transaction, so
 * there is always at most one current account and past payouts still show where they went.
 */
export async function registerPayoutAccount(userId: string, input: PayoutAccountInput): Promise<PayoutBankAccount> {
  return getDb().transaction(async (tx) => {
    // Serialises concurrent registrations of one investor (the partial unique index is the backstop).
    await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for("update");
    const previous = await currentPayoutAccount(userId, tx);
    const now = new Date();
    if (previous) await tx.update(payoutBankAccounts).set({ endedAt: now }).where(eq(payoutBankAccounts.id, previous.id));
    const [row] = await tx
      .insert(payoutBankAccounts)
      .values({ userId, ...input, createdAt: now })
      .returning();
    await recordAudit(tx, {
      actorId: userId,
      action: previous ? "payout_account.replaced" : "payout_account.registered",
      targetType: "payout_bank_account",
      targetId: row!.id,
      detail: {
        bankCode: input.bankCode,
        branchCode: input.branchCode,
        accountType: input.accountType,
        accountNumber: maskAccountNumber(input.accountNumber),
        ...(previous ? { previousId: previous.id } : {}),
      },
    });
    return row!;
  });
}

/**
 * Whether the dashboard shows the to-do: the investor holds units of a municipal bond (allocations
 * minus clawbacks in the ledger) and has no current payout account.
 */
export async function needsPayoutAccount(userId: string): Promise<boolean> {
  const [row] = await getDb().execute<{ needed: boolean }>(sql`
    select exists (
      select 1 from ledger_entries l join offerings o on o.id = l.offering_id
      where l.user_id = ${userId} and o.kind = 'municipal_bond' and l.kind in ('tokens_allocated', 'tokens_clawed_back')
      group by l.offering_id
      having sum(case l.kind when 'tokens_allocated' then abs(l.units) else -abs(l.units) end) > 0
    ) and not exists (
      select 1 from payout_bank_accounts p where p.user_id = ${userId} and p.ended_at is null
    ) as needed`);
  return row?.needed === true;
}

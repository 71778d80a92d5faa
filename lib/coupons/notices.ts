import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import type { CouponPayment, CouponRun, NoticeDetail, NoticeKind } from "@/db/schema";
import { notifyMany } from "@/lib/notifications/notices";
import { maskAccountNumber } from "@/lib/payouts/accounts";
import { findBank, findBranch } from "@/lib/payouts/banks";

type CouponNoticeKind = Extract<NoticeKind, "coupon_scheduled" | "coupon_waiting_account" | "coupon_paid" | "coupon_failed">;

type Owed = {
  user_id: string;
  net: number;
  national: number;
  local: number;
  principal: number;
  bank_code: string | null;
  branch_code: string | null;
  account_number: string | null;
  name_ja: string;
  name_en: string;
};

/** "ゆうちょ銀行 〇一八支店 ****567": names from the Zengin list, the codes when a name is unknown. */
async function accountLabel(row: Owed): Promise<string | undefined> {
  if (!row.bank_code || !row.branch_code || !row.account_number) return undefined;
  const [bank, branch] = await Promise.all([findBank(row.bank_code), findBranch(row.bank_code, row.branch_code)]);
  return `${bank?.name ?? row.bank_code} ${branch?.name ?? row.branch_code} ${maskAccountNumber(row.account_number)}`;
}

/**
 * Tells the holders of a run's payments what happened to them, in the caller's transaction: one
 * notice per holder, with the sum of their payments (a run may carry an earlier one beside the
 * holder's own). Either the payments of the run in one status, or the given payments.
 */
export async function notifyCouponPayments(tx: DbOrTx, run: CouponRun, kind: CouponNoticeKind, which: { status: CouponPayment["status"] } | { paymentIds: string[] }): Promise<number> {
  if ("paymentIds" in which && which.paymentIds.length === 0) return 0;
  const filter = "status" in which ? sql`p.status = ${which.status}` : sql`p.id = any(${`{${which.paymentIds.join(",")}}`}::uuid[])`;
  const owed = await tx.execute<Owed>(sql`
    select p.user_id, sum(p.net_yen)::int as net, sum(p.national_tax_yen)::int as national, sum(p.local_tax_yen)::int as local,
      sum(p.principal_yen)::float8 as principal, a.bank_code, a.branch_code, a.account_number, o.name_ja, o.name_en
    from coupon_payments p
    join offerings o on o.id = ${run.offeringId}
    left join payout_bank_accounts a on a.id = p.bank_account_id
    where p.run_id = ${run.id} and ${filter}
    group by p.user_id, a.id, o.id`);
  // A holder's payments of one run share the account fixed at approval, so this is one row per holder.
  const labels = new Map<string, string | undefined>();
  for (const row of owed) {
    const key = `${row.bank_code}-${row.branch_code}-${row.account_number}`;
    if (!labels.has(key)) labels.set(key, await accountLabel(row));
  }
  const notices = owed.map((row) => {
    const bankAccount = labels.get(`${row.bank_code}-${row.branch_code}-${row.account_number}`);
    const detail: NoticeDetail = {
      runId: run.id,
      offeringNameJa: row.name_ja,
      offeringNameEn: row.name_en,
      paymentDate: run.paymentDate,
      amountYen: row.net,
      nationalTaxYen: row.national,
      localTaxYen: row.local,
      ...(row.principal > 0 ? { principalYen: row.principal } : {}),
      ...(bankAccount && kind !== "coupon_waiting_account" ? { bankAccount } : {}),
    };
    return { userId: row.user_id, kind, detail };
  });
  return (await notifyMany(tx, notices)).length;
}

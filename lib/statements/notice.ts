import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { bondTerms, offerings, payoutBankAccounts, villages, type PayoutBankAccount } from "@/db/schema";
import { bondSchedule } from "@/lib/bonds/schedule";
import type { Locale } from "@/lib/i18n/catalog";
import { maskAccountNumber } from "@/lib/payouts/accounts";
import { findBank, findBranch } from "@/lib/payouts/banks";
import { holderOf, paymentRows, type Holder, type IncomeStatus, type PaymentRow } from "./queries";

/** Everything a payment notice (支払通知書) prints, for one payment of one investor. */
export type Notice = {
  paymentId: string;
  issuer: { nameJa: string; nameEn: string };
  offering: { slug: string; nameJa: string; nameEn: string };
  paymentNumber: number;
  runKind: "coupon" | "final";
  /** The payment date of the run that pays this row. */
  paymentDate: string;
  /** The date the amount was first due, when another (earlier) run owed it. */
  dueDate: string | null;
  couponRateBp: number | null;
  faceValueYen: number | null;
  period: { from: string; to: string; days: number } | null;
  units: number;
  grossYen: number;
  nationalTaxYen: number;
  localTaxYen: number;
  netYen: number;
  principalYen: number;
  status: IncomeStatus;
  holder: Holder;
  account: { bankCode: string; bankName: string; branchCode: string; branchName: string; accountType: PayoutBankAccount["accountType"]; maskedNumber: string } | null;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The row an amount was first due in: back along `carriedFromId` as far as the investor's rows go. */
function originOf(row: PaymentRow, byId: Map<string, PaymentRow>): PaymentRow {
  let origin = row;
  for (let hops = 0; origin.carriedFromId && byId.has(origin.carriedFromId) && hops < 100; hops += 1) origin = byId.get(origin.carriedFromId)!;
  return origin;
}

/**
 * The notice of one of the investor's payments, or null when it is not theirs, does not exist or
 * its run is not approved or paid: the route then answers 404 without saying which.
 */
export async function noticeFor(userId: string, paymentId: string, locale: Locale = "ja"): Promise<Notice | null> {
  if (!UUID.test(paymentId)) return null;
  const rows = await paymentRows(userId);
  const row = rows.find((candidate) => candidate.id === paymentId);
  if (!row || (row.runStatus !== "approved" && row.runStatus !== "paid")) return null;
  const origin = originOf(row, new Map(rows.map((candidate) => [candidate.id, candidate])));
  const db = getDb();
  const carrier = rows.find((candidate) => candidate.carriedFromId === row.id && candidate.runStatus !== "cancelled");
  const [[facts], holder, account] = await Promise.all([
    db
      .select({ issuerJa: villages.nameJa, issuerEn: villages.nameEn, terms: bondTerms })
      .from(offerings)
      .innerJoin(villages, eq(villages.id, offerings.villageId))
      .leftJoin(bondTerms, eq(bondTerms.offeringId, offerings.id))
      .where(eq(offerings.id, row.offeringId)),
    holderOf(userId, locale),
    row.bankAccountId ? accountOf(row.bankAccountId) : Promise.resolve(null),
  ]);
  const terms = facts?.terms ?? null;
  return {
    paymentId: row.id,
    issuer: { nameJa: facts?.issuerJa ?? "", nameEn: facts?.issuerEn ?? "" },
    offering: { slug: row.slug, nameJa: row.nameJa, nameEn: row.nameEn },
    paymentNumber: origin.paymentNumber,
    runKind: origin.runKind,
    paymentDate: row.paymentDate,
    dueDate: origin === row ? null : origin.paymentDate,
    couponRateBp: terms?.couponRateBp ?? null,
    faceValueYen: terms?.faceValueYen ?? null,
    period: terms ? periodOf(terms, origin.paymentNumber) : null,
    units: row.units,
    grossYen: row.grossYen,
    nationalTaxYen: row.nationalTaxYen,
    localTaxYen: row.localTaxYen,
    netYen: row.netYen,
    principalYen: row.principalYen,
    status: row.status === "paid" ? { kind: "paid", on: row.paymentDate } : row.status === "carried" ? { kind: "carried", into: carrier?.paymentDate ?? null } : { kind: row.status },
    holder,
    account,
  };
}

/** The accrual period of payment `number` by the bond's schedule; null when the terms give none. */
function periodOf(terms: Parameters<typeof bondSchedule>[0], number: number): Notice["period"] {
  try {
    const payment = bondSchedule(terms)[number - 1];
    return payment ? { from: payment.accrualFrom, to: payment.nominalDate, days: payment.accrualDays } : null;
  } catch {
    return null;
  }
}

/** The account the payment went (or goes) to, with bank and branch names from the Zengin list. */
async function accountOf(id: string): Promise<Notice["account"]> {
  const [account] = await getDb().select().from(payoutBankAccounts).where(eq(payoutBankAccounts.id, id));
  if (!account) return null;
  const [bank, branch] = await Promise.all([findBank(account.bankCode), findBranch(account.bankCode, account.branchCode)]);
  return {
    bankCode: account.bankCode,
    bankName: bank?.name ?? "",
    branchCode: account.branchCode,
    branchName: branch?.name ?? "",
    accountType: account.accountType,
    maskedNumber: maskAccountNumber(account.accountNumber),
  };
}

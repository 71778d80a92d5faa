import "server-only";
import { and, asc, count, desc, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDb } from "@/db/client";
import { couponPayments, couponRuns, investorProfiles, payoutBankAccounts, recordSnapshots, users, type CouponRun, type Offering } from "@/db/schema";
import { bondSchedule, type BondPayment } from "@/lib/bonds/schedule";
import { maskAccountNumber } from "@/lib/payouts/accounts";
import { servicedBondTerms, snapshotState, type SnapshotState } from "./snapshot-state";

/** What the staff pages read: the schedule with each payment's snapshot and run, and one run's payments. */

export type ScheduleRow = {
  payment: BondPayment;
  snapshot: SnapshotState;
  /** The payment's live run (prepared, approved or paid), if any. */
  run: CouponRun | null;
  cancelledRuns: number;
  /** A run can be prepared now: frozen snapshot, no live run, the previous payment's run approved. */
  canPrepare: boolean;
  /** Staff may (re)take the snapshot: none yet after the record date, or the last one did not freeze. */
  canSnapshot: boolean;
  /** Emails of the holders a mismatch names, by user id. */
  holderEmails: Record<string, string>;
};

export async function couponSchedule(offering: Offering, now = new Date()) {
  const db = getDb();
  const terms = await servicedBondTerms(offering, db);
  if (!terms) return null;
  const schedule = bondSchedule(terms);
  const runs = await db.select().from(couponRuns).where(eq(couponRuns.offeringId, offering.id)).orderBy(asc(couponRuns.preparedAt));
  const states = await Promise.all(schedule.map((payment) => snapshotState(db, offering.id, payment, now)));
  const mismatchUsers = states.flatMap((state) => (state.status === "mismatch" ? state.snapshot.mismatches.map((row) => row.userId) : [])).filter((id): id is string => id !== null);
  const emails =
    mismatchUsers.length > 0 ? Object.fromEntries((await db.select({ id: users.id, email: users.email }).from(users).where(inArray(users.id, mismatchUsers))).map((row) => [row.id, row.email])) : {};
  const rows: ScheduleRow[] = [];
  for (const [index, payment] of schedule.entries()) {
    const live = runs.find((run) => run.paymentNumber === payment.number && run.status !== "cancelled") ?? null;
    const previous = rows[index - 1];
    const previousApproved = index === 0 || (previous?.run !== null && previous?.run?.status !== "prepared");
    const snapshot = states[index]!;
    rows.push({
      payment,
      snapshot,
      run: live,
      cancelledRuns: runs.filter((run) => run.paymentNumber === payment.number && run.status === "cancelled").length,
      canPrepare: snapshot.status === "frozen" && !live && previousApproved,
      canSnapshot: snapshot.status === "missing" || snapshot.status === "mismatch" || snapshot.status === "error",
      holderEmails: emails,
    });
  }
  return { terms, rows };
}

const PAGE_SIZE = 200;
const MAX_PAGE = 100_000;

const preparer = alias(users, "preparer");
const approver = alias(users, "approver");
const canceller = alias(users, "canceller");

/** One run of the offering with who prepared, approved or cancelled it, its snapshot's record date, its status counts and a page of its payments. */
export async function couponRunDetail(offeringId: string, runId: string, page = 1) {
  const db = getDb();
  // A page number from the URL: an absurd one (?page=1e20) would overflow the OFFSET, so it is capped.
  const pageNumber = Number.isFinite(page) ? Math.min(Math.max(Math.floor(page), 1), MAX_PAGE) : 1;
  const [found] = await db
    .select({ run: couponRuns, preparedByEmail: preparer.email, approvedByEmail: approver.email, cancelledByEmail: canceller.email, recordDate: recordSnapshots.recordDate })
    .from(couponRuns)
    .innerJoin(preparer, eq(preparer.id, couponRuns.preparedBy))
    .innerJoin(recordSnapshots, eq(recordSnapshots.id, couponRuns.snapshotId))
    .leftJoin(approver, eq(approver.id, couponRuns.approvedBy))
    .leftJoin(canceller, eq(canceller.id, couponRuns.cancelledBy))
    .where(and(eq(couponRuns.id, runId), eq(couponRuns.offeringId, offeringId)));
  if (!found) return null;
  const [counts, payments] = await Promise.all([
    db
      .select({ status: couponPayments.status, n: count(), yen: sql<string>`sum(${couponPayments.netYen} + ${couponPayments.principalYen})` })
      .from(couponPayments)
      .where(eq(couponPayments.runId, runId))
      .groupBy(couponPayments.status),
    db
      .select({
        payment: couponPayments,
        email: users.email,
        familyName: investorProfiles.familyNameKanji,
        givenName: investorProfiles.givenNameKanji,
        bankCode: payoutBankAccounts.bankCode,
        branchCode: payoutBankAccounts.branchCode,
        accountNumber: payoutBankAccounts.accountNumber,
      })
      .from(couponPayments)
      .innerJoin(users, eq(users.id, couponPayments.userId))
      .leftJoin(investorProfiles, eq(investorProfiles.userId, couponPayments.userId))
      .leftJoin(payoutBankAccounts, eq(payoutBankAccounts.id, couponPayments.bankAccountId))
      .where(eq(couponPayments.runId, runId))
      .orderBy(desc(couponPayments.netYen), asc(couponPayments.id))
      .limit(PAGE_SIZE)
      .offset((pageNumber - 1) * PAGE_SIZE),
  ]);
  const byStatus = Object.fromEntries(counts.map((row) => [row.status, { count: row.n, yen: Number(row.yen ?? 0) }]));
  const total = counts.reduce((sum, row) => sum + row.n, 0);
  return {
    ...found,
    byStatus,
    total,
    pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    payments: payments.map((row) => ({
      ...row.payment,
      holder: row.familyName && row.givenName ? `${row.familyName} ${row.givenName}` : row.email,
      email: row.email,
      account: row.bankCode ? `${row.bankCode}-${row.branchCode} ${maskAccountNumber(row.accountNumber!)}` : null,
    })),
  };
}

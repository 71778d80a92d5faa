import "server-only";
import { and, desc, eq, gt, inArray, sql } from "drizzle-orm";
import { getDb, violatesConstraint, type DbOrTx } from "@/db/client";
import { couponRuns, offerings, type CouponRun, type Offering } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { addMonths, isBusinessDay, isValidDate, nextBusinessDay } from "@/lib/bonds/calendar";
import { bondSchedule } from "@/lib/bonds/schedule";
import { tokyoDate } from "@/lib/projects/dates";
import { insertPayments, type PaymentRow } from "./bulk";
import { carryOverCandidates } from "./carry-over";
import { servicedBondTerms } from "./snapshot-state";

/**
 * The payment of amounts owed (未払金の支払): a run holding only carry-over rows, on a payment
 * date staff choose. After the final payment there is no next run to carry what is still owed, so
 * this one pays it; between dates it pays without waiting half a year. It is a `coupon` run whose
 * `paymentNumber` lies past the schedule (schedule length + k, so one live run per number still
 * holds), on the snapshot of the latest approved scheduled run. Approval, file, marking paid and
 * the ledger are those of any run.
 */

/** The Zengin file carries only month and day, and banks take transfer data weeks ahead, not months. */
const MAX_MONTHS_AHEAD = 3;

export type CarryOverDateError = "badDate" | "pastDate" | "notBusinessDay" | "tooFar";
type CarryOverPrepareError = "notBond" | CarryOverDateError | "nothingOwed" | "carryOverPending";
export type CarryOverPrepareResult = { ok: true; runId: string; holders: number; carried: number } | { ok: false; error: CarryOverPrepareError };

/** Whether staff may choose this payment date today (Tokyo): a bank business day, today or later, within three months. */
export function checkCarryOverDate(paymentDate: string, now = new Date()): CarryOverDateError | null {
  if (!isValidDate(paymentDate)) return "badDate";
  const today = tokyoDate(now);
  if (paymentDate < today) return "pastDate";
  if (paymentDate > addMonths(today, MAX_MONTHS_AHEAD)) return "tooFar";
  return isBusinessDay(paymentDate) ? null : "notBusinessDay";
}

/** How many payments the bond's schedule has; null for an offering that is not a serviced bond. */
async function scheduleLength(db: DbOrTx, offeringId: string): Promise<number | null> {
  const [offering] = await db.select().from(offerings).where(eq(offerings.id, offeringId));
  const terms = offering ? await servicedBondTerms(offering, db) : null;
  return terms ? bondSchedule(terms).length : null;
}

/** A run is a payment of amounts owed when its number lies past the bond's schedule. */
export async function isCarryOverRun(db: DbOrTx, run: Pick<CouponRun, "offeringId" | "paymentNumber">): Promise<boolean> {
  const length = await scheduleLength(db, run.offeringId);
  return length !== null && run.paymentNumber > length;
}

/**
 * Prepares a payment of amounts owed: every current carry-over candidate of the bond, copied into
 * a new run dated `paymentDate`. One such run may wait for approval at a time. Who may prepare is
 * the caller's check (staff of the issuer, or admin).
 */
export async function prepareCarryOverRun(input: { offeringId: string; paymentDate: string; actorId: string; now?: Date }): Promise<CarryOverPrepareResult> {
  const db = getDb();
  const length = await scheduleLength(db, input.offeringId);
  if (length === null) return { ok: false, error: "notBond" };
  const dateError = checkCarryOverDate(input.paymentDate, input.now);
  if (dateError) return { ok: false, error: dateError };
  try {
    return await db.transaction(async (tx) => {
      const runs = await tx.select().from(couponRuns).where(eq(couponRuns.offeringId, input.offeringId)).orderBy(desc(couponRuns.paymentNumber));
      if (runs.some((run) => run.paymentNumber > length && run.status === "prepared")) return { ok: false, error: "carryOverPending" } as const;
      const base = runs.find((run) => run.paymentNumber <= length && (run.status === "approved" || run.status === "paid"));
      const carried = base ? await carryOverCandidates(tx, input.offeringId) : [];
      if (!base || carried.length === 0) return { ok: false, error: "nothingOwed" } as const;
      const paymentNumber = Math.max(length, ...runs.map((run) => run.paymentNumber)) + 1;
      const rows: PaymentRow[] = carried.map(({ id, userId, units, grossYen, nationalTaxYen, localTaxYen, netYen, principalYen }) => ({
        userId,
        units,
        grossYen,
        nationalTaxYen,
        localTaxYen,
        netYen,
        principalYen,
        carriedFromId: id,
        status: "in_file",
      }));
      const sum = (pick: (row: PaymentRow) => number) => rows.reduce((total, row) => total + pick(row), 0);
      const totals = {
        holders: new Set(rows.map((row) => row.userId)).size,
        grossYen: sum((row) => row.grossYen),
        nationalTaxYen: sum((row) => row.nationalTaxYen),
        localTaxYen: sum((row) => row.localTaxYen),
        netYen: sum((row) => row.netYen),
        principalYen: sum((row) => row.principalYen),
        carriedInYen: sum((row) => row.netYen),
      };
      const [run] = await tx
        .insert(couponRuns)
        .values({ offeringId: input.offeringId, snapshotId: base.snapshotId, paymentNumber, paymentDate: input.paymentDate, kind: "coupon", preparedBy: input.actorId, ...totals })
        .returning({ id: couponRuns.id });
      await insertPayments(tx, run!.id, rows);
      await recordAudit(tx, {
        actorId: input.actorId,
        action: "coupon_run.prepared",
        targetType: "coupon_run",
        targetId: run!.id,
        detail: { offeringId: input.offeringId, paymentNumber, paymentDate: input.paymentDate, snapshotId: base.snapshotId, kind: "carry_over", carried: rows.length, ...totals },
      });
      return { ok: true, runId: run!.id, holders: totals.holders, carried: rows.length } as const;
    });
  } catch (error) {
    // Two staff at once, or a scheduled run taking the same rows: the unique indexes let one through.
    if (violatesConstraint(error, "coupon_runs_one_per_payment") || violatesConstraint(error, "coupon_payments_carried_once")) return { ok: false, error: "carryOverPending" };
    throw error;
  }
}

type OwedGroup = { holders: number; count: number; yen: number; since: string };

export type CarryOverOverview = {
  /** Owed and payable now (a failed transfer, or a waiting payment whose holder has an account): what a carry-over run would hold. */
  payable: OwedGroup | null;
  /** Owed, but the holder has no payout account yet. */
  waiting: OwedGroup | null;
  /** The payments of amounts owed so far (not the cancelled ones), newest first. */
  runs: CouponRun[];
  pending: boolean;
  canPrepare: boolean;
  /** The first date staff may choose: today, or the next bank business day. */
  earliestDate: string;
};

/**
 * What the bond still owes from approved runs, by whether it can be paid now, with the date each
 * amount was first due (followed back along its carries), and the payments of amounts owed.
 */
export async function carryOverOverview(offering: Offering, now = new Date()): Promise<CarryOverOverview | null> {
  const db = getDb();
  const length = await scheduleLength(db, offering.id);
  if (length === null) return null;
  const groups = await db.execute<{ payable: boolean; holders: number; count: number; yen: string; since: string }>(sql`
    with recursive owed as (
      select p.id, p.user_id, p.net_yen + p.principal_yen as yen, p.carried_from_id as up, r.payment_date as due,
        (p.status = 'failed' or exists (select 1 from payout_bank_accounts a where a.user_id = p.user_id and a.ended_at is null)) as payable
      from coupon_payments p join coupon_runs r on r.id = p.run_id
      where r.offering_id = ${offering.id} and r.status in ('approved', 'paid') and p.status in ('failed', 'waiting_account')
        and not exists (select 1 from coupon_payments c where c.carried_from_id = p.id)
    ), walk as (
      select id, up, due from owed
      union all
      select walk.id, p.carried_from_id, r.payment_date from walk join coupon_payments p on p.id = walk.up join coupon_runs r on r.id = p.run_id
    ), first_due as (select id, min(due) as due from walk group by id)
    select owed.payable, count(distinct owed.user_id)::int as holders, count(*)::int as count, sum(owed.yen)::text as yen, min(first_due.due)::text as since
    from owed join first_due on first_due.id = owed.id
    group by owed.payable`);
  const group = (payable: boolean): OwedGroup | null => {
    const row = groups.find((candidate) => candidate.payable === payable);
    return row ? { holders: row.holders, count: row.count, yen: Number(row.yen), since: row.since } : null;
  };
  const runs = await db
    .select()
    .from(couponRuns)
    .where(and(eq(couponRuns.offeringId, offering.id), gt(couponRuns.paymentNumber, length), inArray(couponRuns.status, ["prepared", "approved", "paid"])))
    .orderBy(desc(couponRuns.paymentNumber));
  const payable = group(true);
  const pending = runs.some((run) => run.status === "prepared");
  return { payable, waiting: group(false), runs, pending, canPrepare: payable !== null && !pending, earliestDate: nextBusinessDay(tokyoDate(now)) };
}

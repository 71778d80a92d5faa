import "server-only";
import { and, asc, eq, gte, inArray, lt, lte, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { bondTerms, couponPayments, couponRuns, ledgerEntries, offerings, orders } from "@/db/schema";
import type { Locale } from "@/lib/i18n/catalog";
import { TIME_ZONE } from "@/lib/i18n/format";
import { tokyoDate } from "@/lib/projects/dates";
import { holderOf, SHOWN_RUN_STATUSES, type Holder } from "./queries";

/**
 * The year's statement (年間取引報告書 in spirit): one calendar year in Tokyo of one investor's
 * purchases, refunds, coupons with the tax withheld, redemptions and year-end holdings. The PDF
 * and the CSV are both written from this object, so they always show the same figures.
 */

const FIRST_STATEMENT_YEAR = 2020;

function currentTokyoYear(now = new Date()): number {
  return Number(tokyoDate(now).slice(0, 4));
}

/** A year from a URL: four digits, from 2020 to this year (Tokyo); null otherwise. */
export function parseStatementYear(raw: string, now = new Date()): number | null {
  if (!/^\d{4}$/.test(raw)) return null;
  const year = Number(raw);
  return year >= FIRST_STATEMENT_YEAR && year <= currentTokyoYear(now) ? year : null;
}

/** The year as instants: from 1 January 00:00 up to (not including) the next 1 January 00:00, in Tokyo. */
export function yearBounds(year: number): { from: Date; to: Date } {
  return { from: new Date(`${year}-01-01T00:00:00+09:00`), to: new Date(`${year + 1}-01-01T00:00:00+09:00`) };
}

type Named = { offeringId: string; nameJa: string; nameEn: string };
type StatementPurchase = Named & { date: string; units: number; yen: number };
type StatementRefund = Named & { date: string; yen: number };
type StatementCoupon = Named & { date: string; paymentNumber: number; units: number; grossYen: number; nationalTaxYen: number; localTaxYen: number; netYen: number };
type StatementRedemption = Named & { date: string; paymentNumber: number; units: number; principalYen: number };
/** `faceValueYen`: the units' total face value, for a bond. */
type StatementHolding = Named & { units: number; faceValueYen: number | null };

export type YearStatement = {
  year: number;
  holder: Holder;
  purchases: StatementPurchase[];
  refunds: StatementRefund[];
  coupons: StatementCoupon[];
  redemptions: StatementRedemption[];
  holdings: StatementHolding[];
  totals: { purchasesYen: number; refundsYen: number; grossYen: number; nationalTaxYen: number; localTaxYen: number; netYen: number; principalYen: number };
};

const TOKEN_KINDS = ["tokens_allocated", "tokens_clawed_back", "tokens_transferred", "tokens_redeemed"] as const;

/** Units with the sign by kind, whichever sign the writer of the entry chose; transfers carry their own. */
const signedUnits = sql<number>`case ${ledgerEntries.kind}
  when 'tokens_allocated' then abs(${ledgerEntries.units})
  when 'tokens_clawed_back' then -abs(${ledgerEntries.units})
  when 'tokens_redeemed' then -abs(${ledgerEntries.units})
  else ${ledgerEntries.units} end`;

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/**
 * The schedule number a paid amount was owed for: a carried payment is paid by a later run (or a
 * carry-over run numbered past the schedule), so follow carriedFromId back to the first row.
 */
async function originalPaymentNumbers(userId: string, paid: { paymentId: string; carriedFromId: string | null }[]): Promise<Map<string, number>> {
  const numbers = new Map<string, number>();
  if (!paid.some((row) => row.carriedFromId)) return numbers;
  const rows = await getDb()
    .select({ id: couponPayments.id, carriedFromId: couponPayments.carriedFromId, paymentNumber: couponRuns.paymentNumber })
    .from(couponPayments)
    .innerJoin(couponRuns, eq(couponRuns.id, couponPayments.runId))
    .where(eq(couponPayments.userId, userId));
  const byId = new Map(rows.map((row) => [row.id, row]));
  for (const { paymentId } of paid) {
    let row = byId.get(paymentId);
    for (let hop = 0; row?.carriedFromId && hop < 100; hop++) row = byId.get(row.carriedFromId) ?? row;
    if (row) numbers.set(paymentId, row.paymentNumber);
  }
  return numbers;
}

export async function yearStatement(userId: string, year: number, locale: Locale = "ja"): Promise<YearStatement> {
  const db = getDb();
  const { from, to } = yearBounds(year);
  const named = { offeringId: offerings.id, nameJa: offerings.nameJa, nameEn: offerings.nameEn };
  const [money, paid, held, holder] = await Promise.all([
    db
      .select({ ...named, kind: ledgerEntries.kind, at: ledgerEntries.at, yen: ledgerEntries.yen, orderUnits: orders.units, priceYen: offerings.priceYen })
      .from(ledgerEntries)
      .innerJoin(offerings, eq(offerings.id, ledgerEntries.offeringId))
      .leftJoin(orders, eq(orders.id, ledgerEntries.orderId))
      .where(and(eq(ledgerEntries.userId, userId), inArray(ledgerEntries.kind, ["yen_received", "yen_refunded"]), gte(ledgerEntries.at, from), lt(ledgerEntries.at, to)))
      .orderBy(asc(ledgerEntries.at), asc(ledgerEntries.id)),
    // A payment counts in the year of the payment date of the run that paid it (a carried one: the later run).
    db
      .select({
        ...named,
        paymentId: couponPayments.id,
        carriedFromId: couponPayments.carriedFromId,
        date: couponRuns.paymentDate,
        paymentNumber: couponRuns.paymentNumber,
        units: couponPayments.units,
        grossYen: couponPayments.grossYen,
        nationalTaxYen: couponPayments.nationalTaxYen,
        localTaxYen: couponPayments.localTaxYen,
        netYen: couponPayments.netYen,
        principalYen: couponPayments.principalYen,
      })
      .from(couponPayments)
      .innerJoin(couponRuns, eq(couponRuns.id, couponPayments.runId))
      .innerJoin(offerings, eq(offerings.id, couponRuns.offeringId))
      .where(
        and(
          eq(couponPayments.userId, userId),
          eq(couponPayments.status, "paid"),
          inArray(couponRuns.status, [...SHOWN_RUN_STATUSES]),
          gte(couponRuns.paymentDate, `${year}-01-01`),
          lte(couponRuns.paymentDate, `${year}-12-31`),
        ),
      )
      .orderBy(asc(couponRuns.paymentDate), asc(offerings.nameJa)),
    db
      .select({ ...named, units: sql<string>`sum(${signedUnits})`, faceValueYen: bondTerms.faceValueYen })
      .from(ledgerEntries)
      .innerJoin(offerings, eq(offerings.id, ledgerEntries.offeringId))
      .leftJoin(bondTerms, eq(bondTerms.offeringId, offerings.id))
      .where(and(eq(ledgerEntries.userId, userId), inArray(ledgerEntries.kind, [...TOKEN_KINDS]), lt(ledgerEntries.at, to)))
      .groupBy(offerings.id, bondTerms.faceValueYen)
      .having(sql`sum(${signedUnits}) > 0`)
      .orderBy(asc(offerings.nameJa)),
    holderOf(userId, locale),
  ]);
  const purchases: StatementPurchase[] = money
    .filter((row) => row.kind === "yen_received")
    .map(({ offeringId, nameJa, nameEn, at, yen, orderUnits, priceYen }) => ({
      offeringId,
      nameJa,
      nameEn,
      date: tokyoDate(at),
      // Demo holdings have no order: their yen are units at the offering's price.
      units: orderUnits ?? Math.round(Math.abs(yen) / priceYen),
      yen: Math.abs(yen),
    }));
  const refunds: StatementRefund[] = money
    .filter((row) => row.kind === "yen_refunded")
    .map(({ offeringId, nameJa, nameEn, at, yen }) => ({ offeringId, nameJa, nameEn, date: tokyoDate(at), yen: Math.abs(yen) }));
  const owedFor = await originalPaymentNumbers(userId, paid);
  const paidRows = paid.map(({ paymentId, carriedFromId: _from, ...row }) => ({ ...row, paymentNumber: owedFor.get(paymentId) ?? row.paymentNumber }));
  const coupons: StatementCoupon[] = paidRows.filter((row) => row.grossYen > 0).map(({ principalYen: _principal, ...row }) => row);
  const redemptions: StatementRedemption[] = paidRows
    .filter((row) => row.principalYen > 0)
    .map(({ offeringId, nameJa, nameEn, date, paymentNumber, units, principalYen }) => ({ offeringId, nameJa, nameEn, date, paymentNumber, units, principalYen }));
  const holdings: StatementHolding[] = held.map(({ faceValueYen, units, ...row }) => ({ ...row, units: Number(units), faceValueYen: faceValueYen === null ? null : faceValueYen * Number(units) }));
  return {
    year,
    holder,
    purchases,
    refunds,
    coupons,
    redemptions,
    holdings,
    totals: {
      purchasesYen: sum(purchases.map((row) => row.yen)),
      refundsYen: sum(refunds.map((row) => row.yen)),
      grossYen: sum(coupons.map((row) => row.grossYen)),
      nationalTaxYen: sum(coupons.map((row) => row.nationalTaxYen)),
      localTaxYen: sum(coupons.map((row) => row.localTaxYen)),
      netYen: sum(coupons.map((row) => row.netYen)),
      principalYen: sum(redemptions.map((row) => row.principalYen)),
    },
  };
}

/** The years the investor had any activity in (Tokyo), and this year; newest first. */
export async function statementYears(userId: string, now = new Date()): Promise<number[]> {
  const rows = await getDb().execute<{ year: number }>(sql`
    select extract(year from ${ledgerEntries.at} at time zone ${TIME_ZONE})::int as year from ${ledgerEntries} where ${ledgerEntries.userId} = ${userId}
    union
    select extract(year from r.payment_date)::int from ${couponPayments} p join ${couponRuns} r on r.id = p.run_id
    where p.user_id = ${userId} and r.status in ('approved', 'paid')`);
  const current = currentTokyoYear(now);
  const years = new Set([current, ...rows.map((row) => Number(row.year))]);
  return [...years].filter((year) => year >= FIRST_STATEMENT_YEAR && year <= current).sort((a, b) => b - a);
}

import "server-only";
import { asc, eq, sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/db/client";
import { couponPayments, couponRuns, investorProfiles, ledgerEntries, offerings, type CouponPayment } from "@/db/schema";
import type { Locale } from "@/lib/i18n/catalog";
import { PREFECTURES } from "@/lib/onboarding/prefectures";

/**
 * The investor's side of bond payouts: their coupon payments as they should read them. Only runs
 * a second staff member approved (or that were paid) are shown; a prepared run may still change.
 */

export const SHOWN_RUN_STATUSES = ["approved", "paid"] as const;

export type PaymentRow = Pick<CouponPayment, "id" | "carriedFromId" | "status" | "units" | "grossYen" | "nationalTaxYen" | "localTaxYen" | "netYen" | "principalYen" | "bankAccountId" | "markedAt"> & {
  runId: string;
  runStatus: "prepared" | "approved" | "paid" | "cancelled";
  paymentDate: string;
  paymentNumber: number;
  runKind: "coupon" | "final";
  offeringId: string;
  slug: string;
  nameJa: string;
  nameEn: string;
};

/** Every coupon payment of the investor, whatever its run's state (the callers pick). */
export async function paymentRows(userId: string, db: DbOrTx = getDb()): Promise<PaymentRow[]> {
  return db
    .select({
      id: couponPayments.id,
      carriedFromId: couponPayments.carriedFromId,
      status: couponPayments.status,
      units: couponPayments.units,
      grossYen: couponPayments.grossYen,
      nationalTaxYen: couponPayments.nationalTaxYen,
      localTaxYen: couponPayments.localTaxYen,
      netYen: couponPayments.netYen,
      principalYen: couponPayments.principalYen,
      bankAccountId: couponPayments.bankAccountId,
      markedAt: couponPayments.markedAt,
      runId: couponRuns.id,
      runStatus: couponRuns.status,
      paymentDate: couponRuns.paymentDate,
      paymentNumber: couponRuns.paymentNumber,
      runKind: couponRuns.kind,
      offeringId: offerings.id,
      slug: offerings.slug,
      nameJa: offerings.nameJa,
      nameEn: offerings.nameEn,
    })
    .from(couponPayments)
    .innerJoin(couponRuns, eq(couponRuns.id, couponPayments.runId))
    .innerJoin(offerings, eq(offerings.id, couponRuns.offeringId))
    .where(eq(couponPayments.userId, userId))
    .orderBy(asc(couponRuns.paymentDate), asc(couponPayments.createdAt));
}

export type IncomeStatus =
  | { kind: "paid"; on: string }
  | { kind: "in_file" }
  | { kind: "waiting_account" }
  | { kind: "failed" }
  /** `into`: the payment date of the run that pays it again, when that run exists yet. */
  | { kind: "carried"; into: string | null };

/** One amount owed: a payment, or a failed one and the later payments that carried it, as one line. */
export type IncomeLine = {
  /** The row that pays (or will pay) the amount: the last of a carry chain; its notice is offered. */
  paymentId: string;
  originId: string;
  offeringId: string;
  slug: string;
  nameJa: string;
  nameEn: string;
  paymentNumber: number;
  runKind: "coupon" | "final";
  /** The date the amount was first due. */
  dueDate: string;
  /** The payment date of the run that pays it, when that is a later run than the one it was due in. */
  carriedTo: string | null;
  units: number;
  grossYen: number;
  nationalTaxYen: number;
  localTaxYen: number;
  netYen: number;
  principalYen: number;
  status: IncomeStatus;
};

const shown = (row: PaymentRow) => (SHOWN_RUN_STATUSES as readonly string[]).includes(row.runStatus);

/** The row's status in plain terms; a carried row names the date of the run that carries it. */
function statusOf(row: PaymentRow, carrier: PaymentRow | undefined): IncomeStatus {
  switch (row.status) {
    case "paid":
      return { kind: "paid", on: row.paymentDate };
    case "carried":
      return { kind: "carried", into: carrier?.paymentDate ?? null };
    default:
      return { kind: row.status };
  }
}

/**
 * Lines from the rows: a carried payment is followed to the row that carries it (as long as that
 * row's run is shown), so the amount is listed once, with the newest row's figures and status.
 * Newest first.
 */
export function incomeLines(rows: PaymentRow[]): IncomeLine[] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  const carrierOf = new Map<string, PaymentRow>();
  for (const row of rows) if (row.carriedFromId && row.runStatus !== "cancelled") carrierOf.set(row.carriedFromId, row);
  const lines: IncomeLine[] = [];
  for (const origin of rows) {
    if (!shown(origin)) continue;
    const parent = origin.carriedFromId ? byId.get(origin.carriedFromId) : undefined;
    if (parent && shown(parent)) continue; // listed with the payment it carries
    let last = origin;
    for (let next = carrierOf.get(last.id), hops = 0; next && shown(next) && hops < 100; next = carrierOf.get(last.id), hops += 1) last = next;
    lines.push({
      paymentId: last.id,
      originId: origin.id,
      offeringId: origin.offeringId,
      slug: origin.slug,
      nameJa: origin.nameJa,
      nameEn: origin.nameEn,
      paymentNumber: origin.paymentNumber,
      runKind: origin.runKind,
      dueDate: origin.paymentDate,
      carriedTo: last === origin ? null : last.paymentDate,
      units: last.units,
      grossYen: last.grossYen,
      nationalTaxYen: last.nationalTaxYen,
      localTaxYen: last.localTaxYen,
      netYen: last.netYen,
      principalYen: last.principalYen,
      status: statusOf(last, carrierOf.get(last.id)),
    });
  }
  return lines.sort((a, b) => b.dueDate.localeCompare(a.dueDate) || a.nameJa.localeCompare(b.nameJa, "ja"));
}

/** The investor's coupon history, newest first. */
export async function incomeHistory(userId: string): Promise<IncomeLine[]> {
  return incomeLines(await paymentRows(userId));
}

/** Whether the investor holds or held a bond, or was ever owed a coupon: the dashboard then links the history. */
export async function hasBondIncome(userId: string): Promise<boolean> {
  const [row] = await getDb().execute<{ found: boolean }>(sql`
    select exists (
      select 1 from ${ledgerEntries} l join ${offerings} o on o.id = l.offering_id
      where l.user_id = ${userId} and o.kind = 'municipal_bond' and l.kind in ('tokens_allocated', 'tokens_transferred')
    ) or exists (select 1 from ${couponPayments} where user_id = ${userId}) as found`);
  return row?.found === true;
}

export type Holder = { name: string; postalCode: string | null; address: string };

/** The investor's name and address from their profile, as the notices print them. */
export async function holderOf(userId: string, locale: Locale): Promise<Holder> {
  const [profile] = await getDb().select().from(investorProfiles).where(eq(investorProfiles.userId, userId));
  const prefecture = PREFECTURES.find(([code]) => code === profile?.prefecture);
  const ja = locale === "ja";
  return {
    name: [profile?.familyNameKanji, profile?.givenNameKanji].filter(Boolean).join(" "),
    postalCode: profile?.postalCode ?? null,
    address: [prefecture ? (ja ? prefecture[1] : prefecture[2]) : "", profile?.city, profile?.street].filter(Boolean).join(ja ? "" : " "),
  };
}

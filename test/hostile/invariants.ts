import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";

/**
 * The ledger invariants of ../shared/DESIGN.md that the database alone can show (these tests run
 * without a chain, so 3 and the chain half of 8 are left to reconciliation), each as a query
 * returning the rows that break it. Every list must be empty.
 */
const CHECKS = {
  // 1. reserved + sold never above the cap, and both equal to what the orders say.
  capAndCounts: sql`
    select o.slug, o.reserved_units, o.sold_units, o.cap_units, coalesce(x.open, 0) as open, coalesce(x.sold, 0) as sold
    from offerings o left join (
      select offering_id,
        sum(units) filter (where status in ('reserved', 'awaiting_payment')) as open,
        sum(units) filter (where status in ('paid', 'allocating', 'allocated', 'disputed')) as sold
      from orders group by offering_id) x on x.offering_id = o.id
    where o.reserved_units + o.sold_units > o.cap_units
       or o.reserved_units <> coalesce(x.open, 0) or o.sold_units <> coalesce(x.sold, 0)
       or o.resident_taken_units > o.resident_units`,
  // 2. an order is allocated once: one allocation row, at most one issuing ledger entry, of its units.
  allocatedOnce: sql`
    select r.id, r.units, r.status, a.units as allocated, count(l.id) as entries
    from orders r left join allocations a on a.order_id = r.id
      left join ledger_entries l on l.order_id = r.id and l.kind = 'tokens_allocated'
    group by r.id, r.units, r.status, a.units
    having count(l.id) > 1 or (a.units is not null and a.units <> r.units)
       or (count(l.id) = 1 and sum(l.units) <> r.units)`,
  // 4. yen received − refunded = the amounts of the orders that stand paid, per offering.
  yenMatches: sql`
    select o.slug, coalesce(l.yen, 0) as ledger, coalesce(p.yen, 0) as paid from offerings o
      left join (select offering_id, sum(yen) as yen from ledger_entries where kind in ('yen_received', 'yen_refunded') group by offering_id) l on l.offering_id = o.id
      left join (select offering_id, sum(amount_yen) as yen from orders where status in ('paid', 'allocating', 'allocated', 'disputed') group by offering_id) p on p.offering_id = o.id
    where coalesce(l.yen, 0) <> coalesce(p.yen, 0)`,
  // 6. an investor's yearly commitment per issuer within the issuer's cap.
  yearlyCap: sql`
    select c.user_id, c.village_id, c.tokyo_year, c.committed_yen from investor_commitments c
    where c.committed_yen > (select coalesce(max(yearly_cap_yen_per_investor), 0) from offerings where village_id = c.village_id)`,
  // 7. every payout adds up, per holder and per run.
  payoutsAddUp: sql`
    select r.id from coupon_runs r left join coupon_payments p on p.run_id = r.id
    group by r.id, r.gross_yen, r.net_yen, r.national_tax_yen, r.local_tax_yen
    having r.gross_yen <> r.net_yen + r.national_tax_yen + r.local_tax_yen
       or count(p.id) > 0 and (sum(p.gross_yen) <> r.gross_yen or sum(p.net_yen) <> r.net_yen)
    union all
    select p.run_id from coupon_payments p where p.gross_yen <> p.net_yen + p.national_tax_yen + p.local_tax_yen`,
  // 8 (database half): nobody holds a negative number of tokens of an offering.
  noNegativeHolding: sql`
    select offering_id, user_id, sum(units) as units from ledger_entries where user_id is not null
    group by offering_id, user_id having sum(units) < 0`,
} as const;

export type InvariantReport = Record<keyof typeof CHECKS, unknown[]>;

export async function ledgerInvariants(): Promise<InvariantReport> {
  const report = {} as InvariantReport;
  for (const [name, query] of Object.entries(CHECKS)) report[name as keyof typeof CHECKS] = [...(await getDb().execute(query))];
  return report;
}

export const INVARIANTS_HOLD: InvariantReport = { capAndCounts: [], allocatedOnce: [], yenMatches: [], yearlyCap: [], payoutsAddUp: [], noNegativeHolding: [] };

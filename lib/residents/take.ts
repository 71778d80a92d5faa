import "server-only";
import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import type { Offering } from "@/db/schema";
import { residentPhase } from "./tranche";

/**
 * The reservation's one statement on the offering row: takes `units` from the cap if the sale is
 * open on the approved revision read before, and, while residents come first, from the right part.
 * A resident takes tranche units first (then general ones); anyone else only general ones, within
 * cap − tranche; afterwards only the cap counts. The sub-select locks the row (in the UPDATE's own
 * mode: FOR UPDATE would clash with the key-share locks of the orders' foreign keys and deadlock)
 * and reads its newest values, so the units counted as the tranche's here are exactly those added to
 * resident_taken_units, whatever commits meanwhile; they are written on the order in the same
 * statement. Null: refused (sold out for this buyer, or the sale changed under the buyer).
 */
export async function takeUnits(tx: Tx, offering: Offering, order: { id: string; units: number }, resident: boolean, now: Date): Promise<{ residentUnits: number } | null> {
  const units = order.units;
  const phase = residentPhase(offering, now);
  // In a residents' window nobody else buys (the reservation refuses earlier, with the date).
  if (phase === "window" && !resident) return null;
  const first = phase === "window" || phase === "tranche";
  const fromTranche = first && resident ? sql`least(${units}::int, p.resident_units - p.resident_taken_units)` : sql`0`;
  // The units this order adds to the general part must fit in cap − tranche while residents come first.
  const general = first ? sql`p.reserved_units + p.sold_units - p.resident_taken_units + ${units}::int - ${fromTranche} <= p.cap_units - p.resident_units` : sql`true`;
  const at = now.toISOString();
  const rows = await tx.execute<{ resident_units: number }>(sql`
    with taken as (
    update offerings as o
    set reserved_units = p.reserved_units + ${units}::int,
        resident_taken_units = p.resident_taken_units + ${fromTranche}
    from (select id, status, terms_revision, approved_revision, opens_at, closes_at, cap_units, reserved_units, sold_units, resident_units, resident_taken_units
          from offerings where id = ${offering.id} for no key update) as p
    where o.id = p.id
      and p.status = 'open'
      and p.terms_revision = ${offering.termsRevision}::int
      and p.approved_revision = ${offering.termsRevision}::int
      and p.opens_at <= ${at}::timestamptz
      and p.closes_at > ${at}::timestamptz
      and p.reserved_units + p.sold_units + ${units}::int <= p.cap_units
      and ${general}
    returning ${fromTranche} as resident_units),
    noted as (update orders set resident_units = taken.resident_units from taken where orders.id = ${order.id} and taken.resident_units > 0)
    select resident_units from taken`);
  const [taken] = rows;
  return taken ? { residentUnits: Number(taken.resident_units) } : null;
}

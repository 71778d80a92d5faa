import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/db/client";
import { offerings, recordSnapshots, snapshotHoldings, type RecordSnapshot } from "@/db/schema";
import { freezeHoldings, frozenSnapshotOf, recordCutoff, type SnapshotOutcome } from "@/lib/bonds/snapshot";
import { chainContext, type ChainContext } from "@/lib/chain/context";

/**
 * Who held a village token at the end of a record date, for its votes and holding perks: the same
 * snapshot as a bond payment's (lib/bonds/snapshot.ts: from the chain, checked against the
 * ledger, frozen once), keyed by offering and record date, so a vote and a perk of one date share it.
 */

export async function takeHoldersSnapshot(input: { offeringId: string; recordDate: string; takenBy?: string | null; now?: Date }, ctx: ChainContext = chainContext()): Promise<SnapshotOutcome> {
  const [offering] = await ctx.db.select().from(offerings).where(eq(offerings.id, input.offeringId));
  if (!offering) throw new Error(`offering ${input.offeringId} not found`);
  return freezeHoldings(ctx, { offering, recordDate: input.recordDate, paymentDate: null, takenBy: input.takenBy ?? null, now: input.now });
}

export function holdersSnapshot(offeringId: string, recordDate: string, db: DbOrTx = getDb()): Promise<RecordSnapshot | null> {
  return frozenSnapshotOf(db, offeringId, { recordDate, paymentDate: null });
}

/** The newest holders' snapshot of a record date whatever its status (a mismatch or read error for staff to see). */
export async function latestHoldersSnapshot(offeringId: string, recordDate: string, db: DbOrTx = getDb()): Promise<RecordSnapshot | null> {
  const [row] = await db
    .select()
    .from(recordSnapshots)
    .where(and(eq(recordSnapshots.offeringId, offeringId), eq(recordSnapshots.recordDate, recordDate), isNull(recordSnapshots.paymentDate)))
    .orderBy(sql`${recordSnapshots.takenAt} desc`)
    .limit(1);
  return row ?? null;
}

/** A holder's units in a frozen snapshot (all their addresses), 0 when they held none. */
export async function unitsAtSnapshot(db: DbOrTx, snapshotId: string, userId: string): Promise<number> {
  const [row] = await db
    .select({ units: sql<string>`coalesce(sum(${snapshotHoldings.units}), 0)` })
    .from(snapshotHoldings)
    .where(and(eq(snapshotHoldings.snapshotId, snapshotId), eq(snapshotHoldings.userId, userId)));
  return Number(row?.units ?? 0);
}

/**
 * The (offering, record date) pairs that votes and holding perks wait on: the date has ended in
 * Tokyo and there is no frozen snapshot, and no mismatch waiting for staff (a failed read is retried).
 */
export async function dueHoldersSnapshots(db: DbOrTx, chainId: number, now = new Date()): Promise<{ offeringId: string; recordDate: string }[]> {
  const rows = await db.execute<{ offering_id: string; record_date: string }>(sql`
    with wanted as (
      select offering_id, record_date from votes
      union
      select offering_id, record_date from perks where kind = 'holding' and status = 'open'
    )
    select w.offering_id, w.record_date::text as record_date from wanted w
    join offerings o on o.id = w.offering_id
    where o.chain_id = ${chainId} and o.token_address is not null
      and not exists (
        select 1 from record_snapshots s
        where s.offering_id = w.offering_id and s.record_date = w.record_date and s.payment_date is null and s.status in ('frozen', 'mismatch')
      )`);
  return [...rows].filter((row) => recordCutoff(row.record_date).getTime() <= now.getTime()).map((row) => ({ offeringId: row.offering_id, recordDate: row.record_date }));
}

/** Takes every due holders' snapshot. */
export async function sweepHoldersSnapshots(ctx: ChainContext, now = new Date()): Promise<void> {
  for (const due of await dueHoldersSnapshots(ctx.db, ctx.chainId, now)) {
    const outcome = await takeHoldersSnapshot({ ...due, now }, ctx);
    if (outcome.status !== "not_due") console.log(`[holders] snapshot of ${due.offeringId} for ${due.recordDate}: ${outcome.status}`);
  }
}

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
  // A bond's holders are snapshotted per payment (lib/bonds/snapshot.ts), never by record date alone.
  if (offering.kind !== "village_token") throw new Error(`offering ${offering.slug} is not a village token`);
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

const RETRY_FIRST_MS = 10 * 60_000;
const RETRY_MAX_MS = 6 * 3_600_000;

/** When the sweep next tries a record date whose chain read failed `failures` times: 10 minutes after the first, doubling, at most 6 hours. */
export function nextSnapshotTry(failures: number, lastFailedAt: Date): Date {
  const wait = Math.min(RETRY_FIRST_MS * 2 ** Math.max(0, Math.min(failures, 16) - 1), RETRY_MAX_MS);
  return new Date(lastFailedAt.getTime() + wait);
}

/**
 * The failed reads of a record date's holders, for staff: how many, the last, and when the sweep
 * tries again (null when it will not: a mismatch waits for staff, a frozen snapshot is final).
 */
export async function holdersSnapshotFailures(offeringId: string, recordDate: string, db: DbOrTx = getDb()): Promise<{ failures: number; lastFailedAt: Date | null; nextTryAt: Date | null }> {
  const [row] = await db
    .select({
      failures: sql<number>`count(*) filter (where ${recordSnapshots.status} = 'error')`.mapWith(Number),
      settled: sql<boolean>`coalesce(bool_or(${recordSnapshots.status} in ('frozen', 'mismatch')), false)`,
      lastFailedAt: sql<Date | null>`max(${recordSnapshots.takenAt}) filter (where ${recordSnapshots.status} = 'error')`.mapWith(recordSnapshots.takenAt),
    })
    .from(recordSnapshots)
    .where(and(eq(recordSnapshots.offeringId, offeringId), eq(recordSnapshots.recordDate, recordDate), isNull(recordSnapshots.paymentDate)));
  const failures = row?.failures ?? 0;
  const lastFailedAt = row?.lastFailedAt ?? null;
  return { failures, lastFailedAt, nextTryAt: failures > 0 && lastFailedAt && !row?.settled ? nextSnapshotTry(failures, lastFailedAt) : null };
}

/**
 * The (offering, record date) pairs that running votes and open holding perks wait on: a village
 * token with a token on this chain, the date has ended in Tokyo, no frozen snapshot and no mismatch
 * waiting for staff. A failed read is tried again later and later (nextSnapshotTry), not every sweep.
 */
export async function dueHoldersSnapshots(db: DbOrTx, chainId: number, now = new Date()): Promise<{ offeringId: string; recordDate: string }[]> {
  const at = now.toISOString();
  const rows = await db.execute<{ offering_id: string; record_date: string; failures: number; last_failed_ms: number | null }>(sql`
    with wanted as (
      select offering_id, record_date from votes where ends_at > ${at}::timestamptz
      union
      select offering_id, record_date from perks where kind = 'holding' and status = 'open' and claim_closes_at > ${at}::timestamptz
    )
    select w.offering_id, w.record_date::text as record_date, count(f.id)::int as failures, (extract(epoch from max(f.taken_at)) * 1000)::float8 as last_failed_ms
    from wanted w
    join offerings o on o.id = w.offering_id
    left join record_snapshots f on f.offering_id = w.offering_id and f.record_date = w.record_date and f.payment_date is null and f.status = 'error'
    where o.kind = 'village_token' and o.chain_id = ${chainId} and o.token_address is not null
      and not exists (
        select 1 from record_snapshots s
        where s.offering_id = w.offering_id and s.record_date = w.record_date and s.payment_date is null and s.status in ('frozen', 'mismatch')
      )
    group by w.offering_id, w.record_date`);
  return [...rows]
    .filter((row) => recordCutoff(row.record_date).getTime() <= now.getTime())
    .filter((row) => row.failures === 0 || row.last_failed_ms === null || nextSnapshotTry(row.failures, new Date(Number(row.last_failed_ms))).getTime() <= now.getTime())
    .map((row) => ({ offeringId: row.offering_id, recordDate: row.record_date }));
}

/** Takes every due holders' snapshot. */
export async function sweepHoldersSnapshots(ctx: ChainContext, now = new Date()): Promise<void> {
  for (const due of await dueHoldersSnapshots(ctx.db, ctx.chainId, now)) {
    const outcome = await takeHoldersSnapshot({ ...due, now }, ctx);
    if (outcome.status !== "not_due") console.log(`[holders] snapshot of ${due.offeringId} for ${due.recordDate}: ${outcome.status}`);
  }
}

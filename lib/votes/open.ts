import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { getDb, type Db, type DbOrTx } from "@/db/client";
import { recordSnapshots, snapshotHoldings, votes, type RecordSnapshot, type Vote } from "@/db/schema";
import { holdersSnapshot } from "@/lib/holders/snapshot";
import { notifyMany } from "@/lib/notifications/notices";

/**
 * A vote opens when the holders' snapshot of its record date is frozen: the vote is linked to it
 * and its eligible holders are told. Linking is a conditional update, so however many callers
 * (the snapshot job, the sweep, a page that reads the vote) race, one of them notifies, once.
 */

/** Holders of a snapshot who may vote: the users with units in it (an address nobody owns has no vote). */
export async function eligibleHolders(db: DbOrTx, snapshotId: string): Promise<{ userId: string; units: number }[]> {
  const rows = await db
    .select({ userId: snapshotHoldings.userId, units: sql<number>`sum(${snapshotHoldings.units})`.mapWith(Number) })
    .from(snapshotHoldings)
    .where(and(eq(snapshotHoldings.snapshotId, snapshotId), sql`${snapshotHoldings.userId} is not null`))
    .groupBy(snapshotHoldings.userId);
  return rows.filter((row): row is { userId: string; units: number } => row.userId !== null && row.units > 0);
}

/** Links the vote to its frozen snapshot and notifies its holders, unless another caller already did; true when this call opened it. */
export async function openVote(db: DbOrTx, voteId: string, snapshotId: string, now = new Date()): Promise<boolean> {
  const run = async (tx: DbOrTx) => {
    const [opened] = await tx
      .update(votes)
      .set({ snapshotId })
      .where(and(eq(votes.id, voteId), isNull(votes.snapshotId)))
      .returning();
    if (!opened) return false;
    // A vote whose end has passed before its snapshot froze is linked (for its result) but nobody is asked to vote.
    if (opened.endsAt.getTime() > now.getTime()) {
      const detail = { voteId: opened.id, questionJa: opened.questionJa, questionEn: opened.questionEn, endsAt: opened.endsAt.toISOString() };
      await notifyMany(
        tx,
        (await eligibleHolders(tx, snapshotId)).map((holder) => ({ userId: holder.userId, kind: "vote_opened" as const, detail })),
      );
    }
    return true;
  };
  // Its own transaction, or a savepoint inside the caller's (vote creation).
  return (db as Db).transaction(run);
}

/** Opens every vote still waiting whose record date now has a frozen holders' snapshot; the number opened. */
export async function openWaitingVotes(db: DbOrTx = getDb(), now = new Date()): Promise<number> {
  const waiting = await db
    .select({ voteId: votes.id, snapshotId: recordSnapshots.id })
    .from(votes)
    .innerJoin(
      recordSnapshots,
      and(eq(recordSnapshots.offeringId, votes.offeringId), eq(recordSnapshots.recordDate, votes.recordDate), isNull(recordSnapshots.paymentDate), eq(recordSnapshots.status, "frozen")),
    )
    .where(isNull(votes.snapshotId));
  let opened = 0;
  for (const row of waiting) if (await openVote(db, row.voteId, row.snapshotId, now)) opened += 1;
  return opened;
}

/** The frozen snapshot a vote counts by: its linked one, or (linking it now) the one frozen since; null while there is none. */
export async function snapshotOfVote(vote: Vote, db: DbOrTx = getDb()): Promise<RecordSnapshot | null> {
  if (vote.snapshotId) {
    const [row] = await db.select().from(recordSnapshots).where(eq(recordSnapshots.id, vote.snapshotId));
    return row ?? null;
  }
  const frozen = await holdersSnapshot(vote.offeringId, vote.recordDate, db);
  if (!frozen) return null;
  await openVote(db, vote.id, frozen.id);
  return frozen;
}

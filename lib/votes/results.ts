import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/db/client";
import { ballots, offerings, projects, recordSnapshots, voteOptions, votes, type RecordSnapshot, type Vote } from "@/db/schema";
import { eligibleHolders } from "./open";
import { decide, share, tallyOptions, type VoteOutcome } from "./tally";

/**
 * The result of an ended vote, for everyone: per option the ballots and their weight, the
 * turnout, and the snapshot counted by. Before the end (by the database's clock) there is no
 * result at all, so no page, action or feed can show a running count.
 */

type OptionProject = { slug: string; titleJa: string; titleEn: string } | null;
export type OptionResult = {
  optionId: string;
  position: number;
  labelJa: string;
  labelEn: string;
  project: OptionProject;
  votes: number;
  weight: number;
  votesPercent: number;
  weightPercent: number;
  /** Ahead alone, or one of the options tied at the top. */
  leading: boolean;
};

export type SnapshotFacts = Pick<RecordSnapshot, "id" | "recordDate" | "cutoffAt" | "blockNumber" | "holders" | "supplyChain"> & { tokenAddress: string | null };

export type VoteResult = {
  vote: Vote;
  options: OptionResult[];
  outcome: VoteOutcome;
  ballots: number;
  unitsVoted: number;
  eligibleHolders: number;
  eligibleUnits: number;
  turnoutPercent: number;
  unitsPercent: number;
  snapshot: SnapshotFacts | null;
};

/** The options of a vote in order, with their project when it is published (a draft has no page to link). */
export async function optionsOf(voteId: string, db: DbOrTx = getDb()) {
  const rows = await db
    .select({ option: voteOptions, slug: projects.slug, titleJa: projects.titleJa, titleEn: projects.titleEn, publishedAt: projects.publishedAt })
    .from(voteOptions)
    .leftJoin(projects, eq(projects.id, voteOptions.projectId))
    .where(eq(voteOptions.voteId, voteId))
    .orderBy(asc(voteOptions.position));
  return rows.map(({ option, slug, titleJa, titleEn, publishedAt }) => ({
    ...option,
    project: slug && titleJa && titleEn && publishedAt && publishedAt.getTime() <= Date.now() ? { slug, titleJa, titleEn } : null,
  }));
}

async function snapshotFacts(snapshotId: string | null, db: DbOrTx = getDb()): Promise<SnapshotFacts | null> {
  if (!snapshotId) return null;
  const [row] = await db
    .select({ snapshot: recordSnapshots, tokenAddress: offerings.tokenAddress })
    .from(recordSnapshots)
    .innerJoin(offerings, eq(offerings.id, recordSnapshots.offeringId))
    .where(eq(recordSnapshots.id, snapshotId));
  if (!row) return null;
  const { id, recordDate, cutoffAt, blockNumber, holders, supplyChain } = row.snapshot;
  return { id, recordDate, cutoffAt, blockNumber, holders, supplyChain, tokenAddress: row.tokenAddress };
}

export type ResultError = "notFound" | "running";

/** The result once the vote has ended; "running" before, whatever the caller's clock. */
export async function voteResult(voteId: string, db: DbOrTx = getDb()): Promise<{ ok: true; result: VoteResult } | { ok: false; error: ResultError }> {
  const [found] = await db
    .select({ vote: votes, ended: sql<boolean>`${votes.endsAt} <= now()` })
    .from(votes)
    .where(eq(votes.id, voteId));
  if (!found) return { ok: false, error: "notFound" };
  if (!found.ended) return { ok: false, error: "running" };
  const { vote } = found;
  const [options, counted, snapshot] = await Promise.all([
    optionsOf(vote.id, db),
    db
      .select({
        optionId: ballots.optionId,
        votes: sql<number>`count(*)`.mapWith(Number),
        weight: sql<number>`coalesce(sum(${ballots.units}), 0)`.mapWith(Number),
      })
      .from(ballots)
      .innerJoin(votes, eq(votes.id, ballots.voteId))
      // The end is checked again with the counting itself.
      .where(and(eq(ballots.voteId, vote.id), sql`${votes.endsAt} <= now()`))
      .groupBy(ballots.optionId),
    snapshotFacts(vote.snapshotId, db),
  ]);
  const tallies = tallyOptions(
    options.map((option) => option.id),
    counted,
  );
  const outcome = decide(tallies, vote.counting);
  const ballotCount = tallies.reduce((sum, row) => sum + row.votes, 0);
  const unitsVoted = tallies.reduce((sum, row) => sum + row.weight, 0);
  const holders = vote.snapshotId ? await eligibleHolders(db, vote.snapshotId) : [];
  const eligibleUnits = holders.reduce((sum, holder) => sum + holder.units, 0);
  return {
    ok: true,
    result: {
      vote,
      options: options.map((option, index) => ({
        optionId: option.id,
        position: option.position,
        labelJa: option.labelJa,
        labelEn: option.labelEn,
        project: option.project,
        votes: tallies[index]!.votes,
        weight: tallies[index]!.weight,
        votesPercent: share(tallies[index]!.votes, ballotCount),
        weightPercent: share(tallies[index]!.weight, unitsVoted),
        leading: (outcome.optionIds as string[]).includes(option.id),
      })),
      outcome,
      ballots: ballotCount,
      unitsVoted,
      eligibleHolders: holders.length,
      eligibleUnits,
      turnoutPercent: share(ballotCount, holders.length),
      unitsPercent: share(unitsVoted, eligibleUnits),
      snapshot,
    },
  };
}

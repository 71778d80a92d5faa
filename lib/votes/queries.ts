import "server-only";
import { and, asc, desc, eq, gt, inArray, isNotNull, sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/db/client";
import { ballots, offerings, projects, recordSnapshots, snapshotHoldings, voteOptions, votes, type RecordSnapshot, type Vote } from "@/db/schema";
import { recordCutoff } from "@/lib/bonds/snapshot";
import { holdersSnapshotFailures, latestHoldersSnapshot } from "@/lib/holders/snapshot";
import { eligibleHolders, snapshotOfVote } from "./open";
import { optionsOf, voteResult, type OptionResult } from "./results";

/** Reading votes for the public pages, the holder's dashboard, the project pages and staff. Never who chose what. */

/** Waiting for its record date's snapshot, open for ballots, or ended (the result is public). */
export type VoteState = "waiting" | "open" | "ended";

function voteState(vote: Pick<Vote, "endsAt">, snapshotFrozen: boolean, now = new Date()): VoteState {
  if (vote.endsAt.getTime() <= now.getTime()) return "ended";
  return snapshotFrozen ? "open" : "waiting";
}

/** True when the record date's holders' snapshot is frozen (linked or not yet). */
const frozenSnapshotExists = sql<boolean>`(${votes.snapshotId} is not null or exists (
  select 1 from ${recordSnapshots} s where s.offering_id = ${votes.offeringId} and s.record_date = ${votes.recordDate} and s.payment_date is null and s.status = 'frozen'))`;

const offeringNames = { offeringNameJa: offerings.nameJa, offeringNameEn: offerings.nameEn, offeringSlug: offerings.slug };

export type VoteListRow = Vote & { state: VoteState; offeringNameJa: string; offeringNameEn: string; offeringSlug: string };

/** Every vote, running ones first (soonest end first), then ended ones (latest first). */
export async function listVotes(now = new Date(), db: DbOrTx = getDb()): Promise<VoteListRow[]> {
  const rows = await db
    .select({ vote: votes, frozen: frozenSnapshotExists, ...offeringNames })
    .from(votes)
    .innerJoin(offerings, eq(offerings.id, votes.offeringId))
    .orderBy(desc(votes.endsAt))
    .limit(200);
  const listed = rows.map(({ vote, frozen, ...names }) => ({ ...vote, ...names, state: voteState(vote, frozen, now) }));
  const running = listed.filter((row) => row.state !== "ended").reverse();
  return [...running, ...listed.filter((row) => row.state === "ended")];
}

/** One vote for its public page: the vote, its options (published projects linked), its offering, the snapshot it counts by. */
export async function publicVote(voteId: string, now = new Date(), db: DbOrTx = getDb()) {
  const [row] = await db
    .select({ vote: votes, ...offeringNames })
    .from(votes)
    .innerJoin(offerings, eq(offerings.id, votes.offeringId))
    .where(eq(votes.id, voteId));
  if (!row) return null;
  const [options, snapshot] = await Promise.all([optionsOf(voteId, db), snapshotOfVote(row.vote, db)]);
  const vote = snapshot && !row.vote.snapshotId ? { ...row.vote, snapshotId: snapshot.id } : row.vote;
  return { ...row, vote, options, snapshot, state: voteState(vote, snapshot !== null, now) };
}

export type PublicVote = NonNullable<Awaited<ReturnType<typeof publicVote>>>;

/** The running votes a holder may vote in (units in the snapshot), and whether they have voted yet. */
export async function runningVotesFor(userId: string, db: DbOrTx = getDb()) {
  const rows = await db
    .select({
      vote: votes,
      ...offeringNames,
      units: sql<number>`sum(${snapshotHoldings.units})`.mapWith(Number),
      voted: sql<boolean>`exists (select 1 from ${ballots} b where b.vote_id = ${votes.id} and b.user_id = ${userId})`,
    })
    .from(votes)
    .innerJoin(offerings, eq(offerings.id, votes.offeringId))
    .innerJoin(snapshotHoldings, and(eq(snapshotHoldings.snapshotId, votes.snapshotId), eq(snapshotHoldings.userId, userId)))
    .where(and(isNotNull(votes.snapshotId), gt(votes.endsAt, sql`now()`)))
    .groupBy(votes.id, offerings.id)
    .orderBy(asc(votes.endsAt));
  return rows.map(({ vote, ...rest }) => ({ ...vote, ...rest }));
}

export type ProjectVote = {
  vote: Vote;
  state: VoteState;
  option: Pick<OptionResult, "labelJa" | "labelEn"> & Partial<Pick<OptionResult, "votes" | "weight" | "votesPercent" | "weightPercent" | "leading">>;
  tie: boolean;
};

/** The votes with an option for this project: their state and, once ended, how this project's option did. */
export async function votesForProject(projectId: string, now = new Date(), db: DbOrTx = getDb()): Promise<ProjectVote[]> {
  const rows = await db
    .select({ vote: votes, option: voteOptions, frozen: frozenSnapshotExists })
    .from(voteOptions)
    .innerJoin(votes, eq(votes.id, voteOptions.voteId))
    .where(eq(voteOptions.projectId, projectId))
    .orderBy(desc(votes.endsAt))
    .limit(20);
  const listed: ProjectVote[] = [];
  for (const { vote, option, frozen } of rows) {
    const state = voteState(vote, frozen, now);
    const found = state === "ended" ? await voteResult(vote.id, db) : null;
    const counted = found?.ok ? found.result.options.find((row) => row.optionId === option.id) : undefined;
    listed.push({
      vote,
      state: found && !found.ok ? "open" : state,
      option: counted ?? { labelJa: option.labelJa, labelEn: option.labelEn },
      tie: found?.ok ? found.result.outcome.kind === "tie" && Boolean(counted?.leading) : false,
    });
  }
  return listed;
}

/** How the record date's snapshot stands, for staff: frozen, a mismatch (how many holders differ), a failed read, or not taken yet. */
export type SnapshotState =
  | { status: "frozen"; snapshot: RecordSnapshot }
  | { status: "mismatch"; snapshot: RecordSnapshot; count: number }
  | { status: "error"; snapshot: RecordSnapshot; message: string; failures: number; nextTryAt: Date | null }
  | { status: "pending"; due: boolean };

async function snapshotStateOf(vote: Vote, now = new Date(), db: DbOrTx = getDb()): Promise<SnapshotState> {
  const frozen = await snapshotOfVote(vote, db);
  if (frozen) return { status: "frozen", snapshot: frozen };
  const latest = await latestHoldersSnapshot(vote.offeringId, vote.recordDate, db);
  if (latest?.status === "mismatch") return { status: "mismatch", snapshot: latest, count: latest.mismatches.length };
  if (latest?.status === "error") {
    const { failures, nextTryAt } = await holdersSnapshotFailures(vote.offeringId, vote.recordDate, db);
    // The sweep leaves an ended vote's date alone: only staff's retake is left.
    return { status: "error", snapshot: latest, message: latest.error ?? "", failures, nextTryAt: vote.endsAt.getTime() > now.getTime() ? nextTryAt : null };
  }
  return { status: "pending", due: recordCutoff(vote.recordDate).getTime() <= now.getTime() };
}

/** Staff's list of an offering's votes: each with the number of ballots cast so far (never how they split). */
export async function staffVotes(offeringId: string, now = new Date(), db: DbOrTx = getDb()) {
  const rows = await db
    .select({ vote: votes, frozen: frozenSnapshotExists, ballots: sql<number>`(select count(*) from ${ballots} b where b.vote_id = ${votes.id})`.mapWith(Number) })
    .from(votes)
    .where(eq(votes.offeringId, offeringId))
    .orderBy(desc(votes.createdAt));
  return rows.map(({ vote, frozen, ballots: cast }) => ({ ...vote, ballots: cast, state: voteState(vote, frozen, now) }));
}

/** One vote of the offering for staff: the vote, its options, the ballots cast so far and the snapshot's state. */
export async function staffVote(offeringId: string, voteId: string, now = new Date(), db: DbOrTx = getDb()) {
  const [vote] = await db
    .select()
    .from(votes)
    .where(and(eq(votes.id, voteId), eq(votes.offeringId, offeringId)));
  if (!vote) return null;
  const [options, [cast], snapshot] = await Promise.all([
    optionsOf(vote.id, db),
    db
      .select({ count: sql<number>`count(*)`.mapWith(Number) })
      .from(ballots)
      .where(eq(ballots.voteId, vote.id)),
    snapshotStateOf(vote, now, db),
  ]);
  // How many may vote (an aggregate of the snapshot, never who has voted), so staff can judge the turnout so far.
  const eligible = snapshot.status === "frozen" ? (await eligibleHolders(db, snapshot.snapshot.id)).length : null;
  return { vote, options, ballots: cast?.count ?? 0, eligible, snapshot, state: voteState(vote, snapshot.status === "frozen", now) };
}

/** The projects of an offering, for the option selects of the vote form. */
export async function projectChoices(offeringId: string, db: DbOrTx = getDb()) {
  return db.select({ id: projects.id, titleJa: projects.titleJa, titleEn: projects.titleEn }).from(projects).where(eq(projects.offeringId, offeringId)).orderBy(asc(projects.createdAt));
}

/** The ended votes, latest first, with their results: the feed's entries. */
export async function endedVoteResults(limit = 20, db: DbOrTx = getDb()) {
  const ended = await db.select({ id: votes.id }).from(votes).where(sql`${votes.endsAt} <= now()`).orderBy(desc(votes.endsAt)).limit(limit);
  if (ended.length === 0) return [];
  const names = await db
    .select({ id: votes.id, ...offeringNames })
    .from(votes)
    .innerJoin(offerings, eq(offerings.id, votes.offeringId))
    .where(
      inArray(
        votes.id,
        ended.map((row) => row.id),
      ),
    );
  const results = [];
  for (const { id } of ended) {
    const found = await voteResult(id, db);
    if (found.ok) results.push({ ...found.result, ...names.find((row) => row.id === id)! });
  }
  return results;
}

export type EndedVoteResult = Awaited<ReturnType<typeof endedVoteResults>>[number];

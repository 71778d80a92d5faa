import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/db/client";
import { ballots, voteOptions, votes } from "@/db/schema";
import { unitsAtSnapshot } from "@/lib/holders/snapshot";
import { snapshotOfVote } from "./open";

/**
 * A holder's ballot: one per vote, changed in place until the end. Who chose what is written
 * only here and read back only by the holder themselves; casting is neither audited nor logged.
 */

type CastError = "notFound" | "notOpen" | "ended" | "notEligible" | "badOption";
export type CastResult = { ok: true; units: number; changed: boolean; changes: number } | { ok: false; error: CastError };

/** Why a signed-in user may or may not vote, with their weight when they may. */
export type Eligibility = { eligible: true; units: number } | { eligible: false; reason: "notOpen" | "ended" | "noUnits" };

export async function eligibilityOf(voteId: string, userId: string, now = new Date(), db: DbOrTx = getDb()): Promise<Eligibility | null> {
  const [vote] = await db.select().from(votes).where(eq(votes.id, voteId));
  if (!vote) return null;
  if (vote.endsAt.getTime() <= now.getTime()) return { eligible: false, reason: "ended" };
  const snapshot = await snapshotOfVote(vote, db);
  if (!snapshot) return { eligible: false, reason: "notOpen" };
  const units = await unitsAtSnapshot(db, snapshot.id, userId);
  return units > 0 ? { eligible: true, units } : { eligible: false, reason: "noUnits" };
}

/**
 * Casts or changes a holder's ballot. One statement: it inserts or replaces the (vote, holder) row
 * only while the database's clock is before the end and only with an option of this vote, so a
 * ballot that arrives after the end is refused whatever the server's clock says.
 */
export async function castBallot(input: { voteId: string; userId: string; optionId: string; now?: Date }, db: DbOrTx = getDb()): Promise<CastResult> {
  const eligibility = await eligibilityOf(input.voteId, input.userId, input.now, db);
  if (!eligibility) return { ok: false, error: "notFound" };
  if (!eligibility.eligible) return { ok: false, error: eligibility.reason === "noUnits" ? "notEligible" : eligibility.reason };
  const rows = await db.execute<{ changes: number; prior: string | null }>(sql`
    with prior as (select option_id from ${ballots} where vote_id = ${input.voteId} and user_id = ${input.userId})
    insert into ${ballots} (vote_id, user_id, option_id, units, changes, cast_at, updated_at)
    select v.id, ${input.userId}, o.id, ${eligibility.units}, 0, now(), now()
    from ${votes} v join ${voteOptions} o on o.vote_id = v.id and o.id = ${input.optionId}
    where v.id = ${input.voteId} and now() < v.ends_at and v.snapshot_id is not null
    on conflict (vote_id, user_id) do update set
      option_id = excluded.option_id,
      units = excluded.units,
      changes = ${ballots}.changes + (case when ${ballots}.option_id = excluded.option_id then 0 else 1 end),
      updated_at = now()
    returning changes, (select option_id from prior) as prior`);
  const [row] = [...rows];
  if (row) return { ok: true, units: eligibility.units, changed: row.prior !== null && row.prior !== input.optionId, changes: Number(row.changes) };
  // Nothing written: the end passed (by the database's clock) or the option is not this vote's.
  const [state] = await db
    .select({ ended: sql<boolean>`now() >= ${votes.endsAt}` })
    .from(votes)
    .where(eq(votes.id, input.voteId));
  return { ok: false, error: state?.ended ? "ended" : "badOption" };
}

/** The holder's own ballot (their choice and weight), for their eyes only. */
export async function ballotOf(voteId: string, userId: string, db: DbOrTx = getDb()) {
  const [row] = await db
    .select({ optionId: ballots.optionId, units: ballots.units, changes: ballots.changes, updatedAt: ballots.updatedAt })
    .from(ballots)
    .where(and(eq(ballots.voteId, voteId), eq(ballots.userId, userId)));
  return row ?? null;
}

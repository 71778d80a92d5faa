import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { projects, voteOptions, votes, type Offering } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/roles";
import { recordAudit } from "@/lib/audit";
import { recordCutoff } from "@/lib/bonds/snapshot";
import { holdersSnapshot } from "@/lib/holders/snapshot";
import { offeringForStaff } from "@/lib/issuers/access";
import { enqueue } from "@/lib/jobs/enqueue";
import { JOBS } from "@/lib/jobs/names";
import { openVote } from "./open";
import type { VoteInput } from "./schemas";

type CreateVoteError = "notFound" | "notVillageToken" | "noToken" | "recordDateTooFar" | "endsBeforeRecordDate" | "endsInPast" | "endsTooFar" | "project";

/** A record date at most a year ahead, and an end at most a year after it: a vote never waits or runs for ever. */
const MAX_AHEAD_MS = 366 * 86_400_000;

export type CreateVoteResult = { ok: true; voteId: string; opened: boolean; snapshotQueued: boolean } | { ok: false; error: CreateVoteError; field?: string };

/** The village token a staff member may open votes on: their issuer's, deployed; otherwise why not. */
async function voteOfferingFor(
  user: Pick<SessionUser, "id" | "role">,
  offeringId: string,
): Promise<{ ok: true; offering: Offering } | { ok: false; error: "notFound" | "notVillageToken" | "noToken" }> {
  const offering = await offeringForStaff(user, offeringId);
  if (!offering) return { ok: false, error: "notFound" };
  if (offering.kind !== "village_token") return { ok: false, error: "notVillageToken" };
  if (!offering.tokenAddress) return { ok: false, error: "noToken" };
  return { ok: true, offering };
}

/**
 * Opens a vote with its options in one transaction (audited vote.created). When its record date
 * has already ended the holders' snapshot is asked for in the same transaction, or, if it is
 * frozen already (another vote or perk of that date), the vote opens at once.
 */
export async function createVote(user: Pick<SessionUser, "id" | "role">, input: VoteInput, options: { now?: Date } = {}): Promise<CreateVoteResult> {
  const now = options.now ?? new Date();
  const found = await voteOfferingFor(user, input.offeringId);
  if (!found.ok) return found;
  const { offering } = found;
  const cutoff = recordCutoff(input.recordDate);
  if (cutoff.getTime() > now.getTime() + MAX_AHEAD_MS) return { ok: false, error: "recordDateTooFar", field: "recordDate" };
  if (input.endsAt.getTime() <= cutoff.getTime()) return { ok: false, error: "endsBeforeRecordDate", field: "endsAt" };
  if (input.endsAt.getTime() <= now.getTime()) return { ok: false, error: "endsInPast", field: "endsAt" };
  if (input.endsAt.getTime() > cutoff.getTime() + MAX_AHEAD_MS) return { ok: false, error: "endsTooFar", field: "endsAt" };

  const projectIds = [...new Set(input.options.map((option) => option.projectId).filter((id): id is string => id !== null))];
  if (projectIds.length > 0) {
    const own = await getDb()
      .select({ id: projects.id })
      .from(projects)
      .where(and(eq(projects.offeringId, offering.id), inArray(projects.id, projectIds)));
    const ownIds = new Set(own.map((row) => row.id));
    const stray = input.options.findIndex((option) => option.projectId !== null && !ownIds.has(option.projectId));
    if (stray >= 0) return { ok: false, error: "project", field: "options" };
  }

  return getDb().transaction(async (tx) => {
    const [vote] = await tx
      .insert(votes)
      .values({
        offeringId: offering.id,
        questionJa: input.questionJa,
        questionEn: input.questionEn,
        descriptionJa: input.descriptionJa,
        descriptionEn: input.descriptionEn,
        recordDate: input.recordDate,
        endsAt: input.endsAt,
        counting: input.counting,
        createdBy: user.id,
      })
      .returning();
    await tx.insert(voteOptions).values(input.options.map((option, index) => ({ voteId: vote!.id, position: index + 1, ...option })));
    await recordAudit(tx, {
      actorId: user.id,
      action: "vote.created",
      targetType: "offering",
      targetId: offering.id,
      detail: {
        voteId: vote!.id,
        questionJa: input.questionJa,
        questionEn: input.questionEn,
        recordDate: input.recordDate,
        endsAt: input.endsAt.toISOString(),
        counting: input.counting,
        options: input.options.length,
      },
    });
    let opened = false;
    let snapshotQueued = false;
    if (cutoff.getTime() <= now.getTime()) {
      const frozen = await holdersSnapshot(offering.id, input.recordDate, tx);
      if (frozen) opened = await openVote(tx, vote!.id, frozen.id, now);
      else {
        await enqueue(tx, JOBS.holdersSnapshot, { offeringId: offering.id, recordDate: input.recordDate });
        snapshotQueued = true;
      }
    }
    return { ok: true as const, voteId: vote!.id, opened, snapshotQueued };
  });
}

import "server-only";
import type { SessionUser } from "@/lib/auth/roles";
import { type ChainContext, requestChainContext } from "@/lib/chain/context";
import { recordCutoff, type SnapshotOutcome } from "@/lib/bonds/snapshot";
import { takeHoldersSnapshot } from "@/lib/holders/snapshot";
import { offeringForStaff } from "@/lib/issuers/access";
import { openWaitingVotes } from "./open";
import { staffVote, staffVotes } from "./queries";

/** What staff of the offering's issuer (or admin) see of its votes; anyone else gets null, as for a vote that does not exist. */

type StaffUser = Pick<SessionUser, "id" | "role">;

export async function staffVotesFor(user: StaffUser, offeringId: string, now = new Date()) {
  const offering = await offeringForStaff(user, offeringId);
  if (offering?.kind !== "village_token") return null;
  return { offering, votes: await staffVotes(offering.id, now) };
}

export async function staffVoteFor(user: StaffUser, offeringId: string, voteId: string, now = new Date()) {
  const offering = await offeringForStaff(user, offeringId);
  if (offering?.kind !== "village_token") return null;
  const found = await staffVote(offering.id, voteId, now);
  return found ? { offering, ...found } : null;
}

/**
 * Takes the vote's record-date snapshot now (again, after a mismatch or failed read), as the coupon
 * page does for a bond; a frozen snapshot opens the votes waiting on it.
 */
export async function retakeVoteSnapshot(
  user: StaffUser,
  input: { offeringId: string; voteId: string },
  now = new Date(),
  ctx?: ChainContext,
): Promise<{ ok: true; outcome: SnapshotOutcome } | { ok: false; error: "notFound" | "notRetakable" }> {
  const found = await staffVoteFor(user, input.offeringId, input.voteId, now);
  if (!found) return { ok: false, error: "notFound" };
  if (found.snapshot.status === "frozen" || recordCutoff(found.vote.recordDate).getTime() > now.getTime()) return { ok: false, error: "notRetakable" };
  const outcome = await takeHoldersSnapshot({ offeringId: found.offering.id, recordDate: found.vote.recordDate, takenBy: user.id, now }, ctx ?? requestChainContext());
  if (outcome.status === "frozen" || outcome.status === "already_frozen") await openWaitingVotes(ctx?.db, now);
  return { ok: true, outcome };
}

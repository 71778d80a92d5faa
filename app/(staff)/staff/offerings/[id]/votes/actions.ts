"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { roleAction } from "@/lib/actions";
import { createVote } from "@/lib/votes/define";
import { voteRefSchema, voteSchema } from "@/lib/votes/schemas";
import { retakeVoteSnapshot } from "@/lib/votes/staff";

/** Staff of the offering's issuer open a vote; on success they land on its page. */
export const createVoteAction = roleAction("staff", voteSchema, async (input, { user, t }) => {
  const result = await createVote(user, input);
  if (!result.ok) {
    const message = t(`votesStaff.errors.${result.error}`);
    return result.field ? { status: "invalid", message, fieldErrors: { [result.field]: message } } : { status: "error", message };
  }
  revalidatePath(`/staff/offerings/${input.offeringId}/votes`);
  revalidatePath("/votes");
  const created = result.opened ? "opened" : result.snapshotQueued ? "queued" : "waiting";
  redirect(`/staff/offerings/${input.offeringId}/votes/${result.voteId}?created=${created}`);
});

/** Take the record-date holders' snapshot of a vote now (again, after a mismatch or a failed read). */
export const retakeVoteSnapshotAction = roleAction("staff", voteRefSchema, async (input, { user, t }) => {
  const result = await retakeVoteSnapshot(user, input);
  if (!result.ok) return { status: "error", message: t(`votesStaff.errors.${result.error}`) };
  revalidatePath(`/staff/offerings/${input.offeringId}/votes`, "layout");
  revalidatePath(`/votes/${input.voteId}`);
  const message = t(`votesStaff.snapshot.outcome.${result.outcome.status}`);
  return result.outcome.status === "frozen" || result.outcome.status === "already_frozen" ? { status: "ok", message } : { status: "error", message };
});

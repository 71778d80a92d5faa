"use server";

import { revalidatePath } from "next/cache";
import { signedInAction } from "@/lib/actions";
import { castBallot } from "@/lib/votes/ballots";
import { ballotSchema } from "@/lib/votes/schemas";

/** A holder casts or changes their ballot; nothing about the choice is logged or audited. */
export const castBallotAction = signedInAction(ballotSchema, async (input, { user, t }) => {
  const result = await castBallot({ voteId: input.voteId, userId: user.id, optionId: input.optionId });
  if (!result.ok) return { status: "error", message: t(`votes.errors.${result.error}`) };
  revalidatePath(`/votes/${input.voteId}`);
  revalidatePath("/dashboard");
  return { status: "ok", message: t(result.changed ? "votes.ballot.changed" : "votes.ballot.cast") };
});

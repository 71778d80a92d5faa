"use server";

import { revalidatePath } from "next/cache";
import { roleAction } from "@/lib/actions";
import { env } from "@/lib/env";
import { decideProfileChange } from "@/lib/onboarding/profile-changes";
import { decideReview } from "@/lib/onboarding/review";
import { profileChangeDecisionSchema, reviewDecisionSchema } from "@/lib/onboarding/schemas";

export const decideReviewAction = roleAction("staff", reviewDecisionSchema, async (input, { user, t }) => {
  const result =
    input.decision === "approve"
      ? await decideReview({
          reviewerId: user.id,
          documentId: input.documentId,
          decision: "approve",
          masterKeys: env().custodyMasterKeys,
          addressMatches: input.addressMatches === "yes",
          addressShown: input.addressShown,
        })
      : await decideReview({ reviewerId: user.id, documentId: input.documentId, decision: "reject", reason: input.reason });
  if (!result.ok) {
    if (result.error === "addressChanged") return { status: "error", message: t("residents.review.addressChanged") };
    return { status: "error", message: t(result.error === "ownDocument" ? "profileChanges.ownDocument" : "reviews.decided") };
  }
  revalidatePath("/staff/reviews", "layout");
  return {
    status: "ok",
    message: result.walletAddress ? t("reviews.approvedWallet", { address: result.walletAddress }) : t("reviews.rejected"),
  };
});

export const decideProfileChangeAction = roleAction("staff", profileChangeDecisionSchema, async (input, { user, t }) => {
  const result =
    input.decision === "approve"
      ? await decideProfileChange({ reviewerId: user.id, requestId: input.requestId, decision: "approve", addressConfirmed: input.addressConfirmed === "yes" })
      : await decideProfileChange({ reviewerId: user.id, ...input });
  if (!result.ok) return { status: "error", message: t(result.error === "ownChange" ? "profileChanges.ownChange" : "profileChanges.decided") };
  revalidatePath("/staff/reviews", "layout");
  return { status: "ok", message: t(input.decision === "approve" ? "profileChanges.approved" : "profileChanges.rejected") };
});

"use server";

import { revalidatePath } from "next/cache";
import { roleAction } from "@/lib/actions";
import { env } from "@/lib/env";
import { decideReview } from "@/lib/onboarding/review";
import { reviewDecisionSchema } from "@/lib/onboarding/schemas";

export const decideReviewAction = roleAction("staff", reviewDecisionSchema, async (input, { user, t }) => {
  const result =
    input.decision === "approve"
      ? await decideReview({ reviewerId: user.id, documentId: input.documentId, decision: "approve", masterKeys: env().custodyMasterKeys })
      : await decideReview({ reviewerId: user.id, documentId: input.documentId, decision: "reject", reason: input.reason });
  if (!result.ok) return { status: "error", message: t("reviews.decided") };
  revalidatePath("/staff/reviews", "layout");
  return {
    status: "ok",
    message: result.walletAddress ? t("reviews.approvedWallet", { address: result.walletAddress }) : t("reviews.rejected"),
  };
});

import { eq } from "drizzle-orm";
import { expect } from "vitest";
import { as, form, run } from "../session-mock";
import { makeUser, PNG_1x1, VALID_PROFILE } from "../fixtures";
import { getDb } from "@/db/client";
import { identityDocuments } from "@/db/schema";
import { acceptDocumentsAction, saveProfileAction, saveSuitabilityAction, uploadIdentityAction } from "@/app/(investor)/onboarding/actions";
import { decideReviewAction } from "@/app/(staff)/staff/reviews/actions";
import type { Role, SessionUser } from "@/lib/auth/roles";
import { documentsToAccept } from "@/lib/onboarding/documents";

/** Onboards `user` (any role) through the real actions up to an uploaded document; returns its id. */
export async function submitForReview(user: SessionUser): Promise<string> {
  as.user = user;
  expect(await run(saveProfileAction, form(VALID_PROFILE))).toEqual({ redirect: "/onboarding/suitability" });
  await run(saveSuitabilityAction, form({ experience: "1_to_3y", incomeBand: "3m_to_5m", assetBand: "1m_to_5m", purpose: "support_village" }));
  await run(acceptDocumentsAction, form({ documentIds: (await documentsToAccept(user.id)).map((doc) => doc.id).join(",") }));
  expect(await run(uploadIdentityAction, form({ document: new File([PNG_1x1], "id.png") }))).toEqual({ redirect: "/onboarding/identity" });
  const [document] = await getDb().select().from(identityDocuments).where(eq(identityDocuments.userId, user.id));
  return document!.id;
}

/** A user whose identity `reviewer` approved through the review action. */
export async function approvedUser(reviewer: SessionUser, role: Role = "investor"): Promise<SessionUser> {
  const user = await makeUser(role);
  const documentId = await submitForReview(user);
  as.user = reviewer;
  expect(await run(decideReviewAction, form({ documentId, decision: "approve", addressMatches: "yes" }))).toMatchObject({ status: "ok" });
  as.user = user;
  return user;
}

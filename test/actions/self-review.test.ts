import { eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { as, form, run } from "../session-mock";
import { makeUser, VALID_PROFILE } from "../fixtures";
import { databaseError } from "../db";
import { approvedUser, submitForReview } from "./onboarding-flow";
import { getDb } from "@/db/client";
import { seedIfEmpty } from "@/db/seed";
import { identityDocuments, profileChangeRequests, wallets } from "@/db/schema";
import { saveProfileAction } from "@/app/(investor)/onboarding/actions";
import { decideProfileChangeAction, decideReviewAction } from "@/app/(staff)/staff/reviews/actions";
import type { Role } from "@/lib/auth/roles";
import { listPendingChanges } from "@/lib/onboarding/profile-changes";
import { listReviewQueue } from "@/lib/onboarding/review";

const db = () => getDb();
const statusOf = async (documentId: string) => (await db().select().from(identityDocuments).where(eq(identityDocuments.id, documentId)))[0]!.status;

beforeAll(async () => {
  await seedIfEmpty(db());
});
beforeEach(() => {
  as.locale = "ja";
});

describe("nobody reviews their own identity document", () => {
  it.each<Role>(["staff", "admin"])("%s: the queue leaves it out and both decisions are refused, in ja and en", async (role) => {
    const member = await makeUser(role);
    const colleague = await makeUser("staff");
    const documentId = await submitForReview(member);

    expect((await listReviewQueue(member.id)).map((row) => row.document.id)).not.toContain(documentId);
    expect((await listReviewQueue(colleague.id)).map((row) => row.document.id)).toContain(documentId);

    as.user = member;
    expect(await run(decideReviewAction, form({ documentId, decision: "approve", addressMatches: "yes" }))).toEqual({
      status: "error",
      message: "ご自身の本人確認書類は審査できません。別の職員に依頼してください。",
    });
    as.locale = "en";
    expect(await run(decideReviewAction, form({ documentId, decision: "reject", reason: "self" }))).toEqual({
      status: "error",
      message: "You cannot review your own identity document. Please ask another staff member.",
    });
    expect(await statusOf(documentId)).toBe("in_review");
    expect(await db().select().from(wallets).where(eq(wallets.userId, member.id))).toEqual([]);

    as.user = colleague;
    expect(await run(decideReviewAction, form({ documentId, decision: "approve", addressMatches: "yes" }))).toMatchObject({ status: "ok" });
    expect(await statusOf(documentId)).toBe("approved");
  });
});

describe("nobody reviews a change to their own details", () => {
  it.each<Role>(["staff", "admin"])("%s: the queue leaves it out and both decisions are refused, in ja and en", async (role) => {
    const colleague = await makeUser("staff");
    const member = await approvedUser(colleague, role);
    await run(saveProfileAction, form({ ...VALID_PROFILE, street: "影石99" }));
    const [request] = await db().select().from(profileChangeRequests).where(eq(profileChangeRequests.userId, member.id));

    expect((await listPendingChanges(member.id)).map((row) => row.request.id)).not.toContain(request!.id);
    expect((await listPendingChanges(colleague.id)).map((row) => row.request.id)).toContain(request!.id);

    as.user = member;
    expect(await run(decideProfileChangeAction, form({ requestId: request!.id, decision: "approve" }))).toEqual({
      status: "error",
      message: "ご自身の登録情報の変更は審査できません。別の職員に依頼してください。",
    });
    as.locale = "en";
    expect(await run(decideProfileChangeAction, form({ requestId: request!.id, decision: "reject", reason: "self" }))).toEqual({
      status: "error",
      message: "You cannot review a change to your own details. Please ask another staff member.",
    });
    const [after] = await db().select().from(profileChangeRequests).where(eq(profileChangeRequests.id, request!.id));
    expect(after).toMatchObject({ status: "pending", reviewerId: null });
  });

  it("the database refuses a change request reviewed by its own requester", async () => {
    const colleague = await makeUser("staff");
    const member = await approvedUser(colleague, "staff");
    await run(saveProfileAction, form({ ...VALID_PROFILE, street: "影石98" }));
    const error = await databaseError(db().update(profileChangeRequests).set({ status: "approved", reviewerId: member.id, reviewedAt: new Date() }).where(eq(profileChangeRequests.userId, member.id)));
    expect(error.constraint_name).toBe("profile_change_requests_not_own_review");
  });
});

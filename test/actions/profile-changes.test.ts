import { eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { as, form, run } from "../session-mock";
import { makeUser, VALID_PROFILE } from "../fixtures";
import { approvedUser, submitForReview } from "./onboarding-flow";
import { getDb } from "@/db/client";
import { DEMO_OFFERING_SLUG, seedIfEmpty } from "@/db/seed";
import { auditLog, investorProfiles, ledgerEntries, offerings, profileChangeRequests } from "@/db/schema";
import { saveProfileAction } from "@/app/(investor)/onboarding/actions";
import { decideProfileChangeAction } from "@/app/(staff)/staff/reviews/actions";
import type { SessionUser } from "@/lib/auth/roles";
import { env } from "@/lib/env";
import { saveProfile } from "@/lib/onboarding/profile";
import { latestProfileChange, listPendingChanges } from "@/lib/onboarding/profile-changes";
import { decideReview } from "@/lib/onboarding/review";
import { profileSchema } from "@/lib/onboarding/schemas";
import { getOnboardingState, purchaseBlockers } from "@/lib/onboarding/state";
import { getRegister } from "@/lib/register/register";

const db = () => getDb();
let offeringId: string;
let staff: SessionUser;

const MOVED = { ...VALID_PROFILE, familyNameKanji: "佐藤", familyNameKana: "サトウ", postalCode: "100-0001", prefecture: "13", city: "千代田区", street: "千代田1-1", phone: "03-1234-5678" };

const profileOf = async (userId: string) => (await db().select().from(investorProfiles).where(eq(investorProfiles.userId, userId)))[0]!;
const requestsOf = (userId: string) => db().select().from(profileChangeRequests).where(eq(profileChangeRequests.userId, userId)).orderBy(profileChangeRequests.requestedAt);
const auditOf = (userId: string, prefix = "profile.") =>
  db()
    .select()
    .from(auditLog)
    .where(eq(auditLog.actorId, userId))
    .orderBy(auditLog.id)
    .then((rows) => rows.filter((row) => row.action.startsWith(prefix)));
const registerLine = async (userId: string) => (await getRegister(offeringId, new Date())).holders.find((holder) => holder.userId === userId)!;

/** An approved investor holding tokens, so the register lists them. */
async function holder() {
  const user = await approvedUser(staff);
  await db().insert(ledgerEntries).values({ kind: "tokens_allocated", offeringId, userId: user.id, units: 3 });
  as.user = user;
  return user;
}

beforeAll(async () => {
  await seedIfEmpty(db());
  [{ id: offeringId }] = (await db().select({ id: offerings.id }).from(offerings).where(eq(offerings.slug, DEMO_OFFERING_SLUG))) as [{ id: string }];
  staff = await makeUser("staff");
});
beforeEach(() => {
  as.locale = "ja";
});

describe("a verified investor's identity change waits for staff", () => {
  it("keeps the verified data in force until approval, then the new data becomes verified", async () => {
    const investor = await holder();
    expect(await run(saveProfileAction, form(MOVED))).toEqual({ redirect: "/onboarding/profile" });

    // Identity fields: unchanged in the profile and the register; phone (contact data) applies at once.
    expect(await profileOf(investor.id)).toMatchObject({ familyNameKanji: "山田", prefecture: "33", city: "英田郡西森村", phone: "0312345678" });
    expect(await registerLine(investor.id)).toMatchObject({ nameKanji: "山田 花子", nameKana: "ヤマダ ハナコ", postalCode: "707-0503", city: "英田郡西森村", phone: "0312345678" });
    expect(await purchaseBlockers(investor.id)).toEqual([]);
    expect((await getOnboardingState(investor.id)).identity.status).toBe("approved");

    const [request] = await requestsOf(investor.id);
    expect(request).toMatchObject({
      status: "pending",
      oldValues: { familyNameKanji: "山田", familyNameKana: "ヤマダ", postalCode: "707-0503", prefecture: "33", city: "英田郡西森村", street: "影石33-1" },
      newValues: { familyNameKanji: "佐藤", familyNameKana: "サトウ", postalCode: "100-0001", prefecture: "13", city: "千代田区", street: "千代田1-1" },
    });
    expect(Object.keys(request!.newValues)).not.toContain("phone");
    expect((await latestProfileChange(investor.id))?.status).toBe("pending");
    expect((await listPendingChanges(staff.id)).map((row) => row.request.id)).toContain(request!.id);

    // The audit log names the fields; the values (personal data) stay in the request table.
    const entries = await auditOf(investor.id);
    expect(entries.map((entry) => [entry.action, entry.detail])).toEqual([
      ["profile.created", expect.anything()],
      ["profile.updated", { fields: ["phone"] }],
      ["profile.change_requested", { userId: investor.id, fields: ["familyNameKanji", "familyNameKana", "postalCode", "prefecture", "city", "street"] }],
    ]);
    expect(JSON.stringify(entries.map((entry) => entry.detail))).not.toMatch(/佐藤|千代田|100-0001/);

    as.user = staff;
    expect(await run(decideProfileChangeAction, form({ requestId: request!.id, decision: "approve" }))).toEqual({ status: "ok", message: "承認しました。申請内容が確認済みの登録情報になりました。" });
    expect(await profileOf(investor.id)).toMatchObject({ familyNameKanji: "佐藤", familyNameKana: "サトウ", prefecture: "13", city: "千代田区", street: "千代田1-1", givenNameKanji: "花子" });
    expect(await registerLine(investor.id)).toMatchObject({ nameKanji: "佐藤 花子", postalCode: "100-0001", city: "千代田区" });
    expect((await requestsOf(investor.id))[0]).toMatchObject({ status: "approved", reviewerId: staff.id, reviewedAt: expect.any(Date) });
    expect(await listPendingChanges(staff.id)).toEqual([]);
    const [approval] = await auditOf(staff.id, "profile.change_approved");
    expect(approval).toMatchObject({ targetId: request!.id, detail: { userId: investor.id, fields: ["familyNameKanji", "familyNameKana", "postalCode", "prefecture", "city", "street"] } });
    expect(await run(decideProfileChangeAction, form({ requestId: request!.id, decision: "reject", reason: "x" }))).toEqual({
      status: "error",
      message: "この変更申請はすでに審査済みか、取り下げられています。",
    });
  });

  it("a rejection keeps the verified data and tells the investor why; the reason stays out of the audit log", async () => {
    const investor = await holder();
    await run(saveProfileAction, form({ ...VALID_PROFILE, birthDate: "1985-01-01" }));
    const [request] = await requestsOf(investor.id);

    as.user = staff;
    expect(await run(decideProfileChangeAction, form({ requestId: request!.id, decision: "reject", reason: " " }))).toMatchObject({ status: "invalid", fieldErrors: { reason: "入力してください。" } });
    as.locale = "en";
    expect(await run(decideProfileChangeAction, form({ requestId: request!.id, decision: "reject", reason: "新しい住所の確認書類を添えて再申請してください" }))).toEqual({
      status: "ok",
      message: "Sent back. The verified details are unchanged.",
    });

    expect((await profileOf(investor.id)).birthDate).toBe("1990-04-01");
    expect(await registerLine(investor.id)).toMatchObject({ birthDate: "1990-04-01" });
    expect(await latestProfileChange(investor.id)).toMatchObject({ status: "rejected", rejectionReason: "新しい住所の確認書類を添えて再申請してください" });
    const [rejection] = await auditOf(staff.id, "profile.change_rejected");
    expect(rejection).toMatchObject({ targetId: request!.id, detail: { userId: investor.id, fields: ["birthDate"] } });
    expect(JSON.stringify(rejection!.detail)).not.toMatch(/1985|確認書類/);
  });

  it("a second edit replaces the pending request; the verified values again withdraw it", async () => {
    const investor = await holder();
    await run(saveProfileAction, form({ ...VALID_PROFILE, city: "美作市" }));
    // The form shows the requested city; the investor also corrects the street.
    await run(saveProfileAction, form({ ...VALID_PROFILE, city: "美作市", street: "影石1" }));
    await run(saveProfileAction, form({ ...VALID_PROFILE, city: "美作市", street: "影石1" }));
    const [first, second] = await requestsOf(investor.id);
    expect(await requestsOf(investor.id)).toHaveLength(2);
    expect(first).toMatchObject({ status: "withdrawn", newValues: { city: "美作市" } });
    expect(second).toMatchObject({ status: "pending", newValues: { city: "美作市", street: "影石1" }, oldValues: { city: "英田郡西森村", street: "影石33-1" } });

    as.user = staff;
    expect(await run(decideProfileChangeAction, form({ requestId: first!.id, decision: "approve" }))).toMatchObject({ status: "error" });
    expect((await profileOf(investor.id)).city).toBe("英田郡西森村");

    as.user = investor;
    expect(await run(saveProfileAction, form(VALID_PROFILE))).toEqual({ redirect: "/onboarding/suitability" });
    expect((await requestsOf(investor.id)).map((row) => row.status)).toEqual(["withdrawn", "withdrawn"]);
    expect(await latestProfileChange(investor.id)).toBeNull();
    expect((await auditOf(investor.id)).map((entry) => entry.action)).toEqual([
      "profile.created",
      "profile.change_requested",
      "profile.change_withdrawn",
      "profile.change_requested",
      "profile.change_withdrawn",
    ]);
  });
});

describe("before identity approval", () => {
  it("edits apply at once and are audited by field name; an unchanged save writes nothing", async () => {
    const investor = await makeUser();
    await submitForReview(investor);
    await run(saveProfileAction, form({ ...VALID_PROFILE, givenNameKanji: "春子", street: "影石2" }));
    await run(saveProfileAction, form({ ...VALID_PROFILE, givenNameKanji: "春子", street: "影石2" }));
    expect(await profileOf(investor.id)).toMatchObject({ givenNameKanji: "春子", street: "影石2" });
    expect(await requestsOf(investor.id)).toEqual([]);
    const entries = await auditOf(investor.id);
    expect(entries.map((entry) => [entry.action, entry.detail])).toEqual([
      ["profile.created", { fields: expect.arrayContaining(["familyNameKanji", "birthDate", "street", "phone"]) }],
      ["profile.updated", { fields: ["givenNameKanji", "street"] }],
    ]);
    expect(entries.every((entry) => entry.targetType === "user" && entry.targetId === investor.id)).toBe(true);
  });
});

describe("an edit racing the identity approval", () => {
  it("lands before the approval (and is what was approved) or becomes a change request, never a silent change after it", async () => {
    const investors = [];
    for (let i = 0; i < 8; i++) {
      const user = await makeUser();
      investors.push({ user, documentId: await submitForReview(user) });
    }
    const input = profileSchema().parse(MOVED);
    await Promise.all(
      investors.flatMap(({ user, documentId }) => [saveProfile(user.id, input), decideReview({ reviewerId: staff.id, documentId, decision: "approve", masterKeys: env().custodyMasterKeys })]),
    );
    for (const { user } of investors) {
      const entries = await db().select().from(auditLog).where(eq(auditLog.targetId, user.id)).orderBy(auditLog.id);
      const approvedAt = (await db().select().from(auditLog).where(eq(auditLog.action, "identity.approved")).orderBy(auditLog.id)).find((entry) => entry.detail!.userId === user.id)!.id;
      const updates = entries.filter((entry) => entry.action === "profile.updated" && (entry.detail as { fields: string[] }).fields.includes("city"));
      const requests = await requestsOf(user.id);
      expect(updates.every((entry) => entry.id < approvedAt)).toBe(true);
      expect((await profileOf(user.id)).city).toBe(updates.length > 0 ? "千代田区" : "英田郡西森村");
      expect(requests.length).toBe(updates.length > 0 ? 0 : 1);
    }
  });
});

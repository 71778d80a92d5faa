import { count, eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { as, form, run } from "../session-mock";
import { makeUser, PNG_1x1, VALID_PROFILE } from "../fixtures";
import { pngBomb } from "../images";
import { getDb } from "@/db/client";
import { seedIfEmpty } from "@/db/seed";
import { auditLog, identityDocuments, investorProfiles, suitabilityAnswers, wallets } from "@/db/schema";
import { acceptDocumentsAction, saveProfileAction, saveSuitabilityAction, uploadIdentityAction } from "@/app/(investor)/onboarding/actions";
import { decideReviewAction } from "@/app/(staff)/staff/reviews/actions";
import { documentsToAccept } from "@/lib/onboarding/documents";
import { getOnboardingState, purchaseBlockers } from "@/lib/onboarding/state";

const db = () => getDb();
const profileCount = async () => (await db().select({ n: count() }).from(investorProfiles))[0]!.n;

beforeAll(async () => {
  await seedIfEmpty(getDb());
});
beforeEach(() => {
  as.locale = "ja";
});

async function onboardToIdentity() {
  const user = await makeUser();
  as.user = user;
  expect(await run(saveProfileAction, form(VALID_PROFILE))).toEqual({ redirect: "/onboarding/suitability" });
  expect(await run(saveSuitabilityAction, form({ experience: "1_to_3y", incomeBand: "3m_to_5m", assetBand: "1m_to_5m", purpose: "support_village" }))).toEqual({ redirect: "/onboarding/disclosures" });
  const pending = await documentsToAccept(user.id);
  expect(await run(acceptDocumentsAction, form({ documentIds: pending.map((doc) => doc.id).join(",") }))).toEqual({ redirect: "/onboarding/identity" });
  return user;
}

describe("onboarding actions refuse anonymous callers", () => {
  it.each([
    ["profile", saveProfileAction, form(VALID_PROFILE)],
    ["suitability", saveSuitabilityAction, form({ experience: "none", incomeBand: "under_3m", assetBand: "over_10m", purpose: "long_term" })],
    ["disclosures", acceptDocumentsAction, form({ documentIds: "00000000-0000-0000-0000-000000000000" })],
    ["identity", uploadIdentityAction, form({ document: new File([PNG_1x1], "id.png") })],
  ])("%s", async (_name, action, data) => {
    as.user = null;
    const before = await profileCount();
    expect(await run(action as never, data)).toEqual({ status: "error", message: "この操作にはログインが必要です。" });
    expect(await profileCount()).toBe(before);
  });
});

describe("profile input", () => {
  const cases: [string, string, RegExp][] = [
    ["familyNameKanji", "", /入力してください/],
    ["familyNameKanji", "山".repeat(51), /50文字以内/],
    ["familyNameKanji", "<script>alert(1)</script>", /使用できない文字/],
    ["givenNameKanji", "Robert'); DROP TABLE users;--", /使用できない文字/],
    ["familyNameKana", "山田", /カタカナ/],
    ["birthDate", "", /入力してください/],
    ["birthDate", "1990-02-30", /正しい日付/],
    ["birthDate", "yesterday", /正しい日付/],
    ["birthDate", `${new Date().getFullYear() - 17}-01-01`, /18歳以上/],
    ["postalCode", "12345", /7桁/],
    ["postalCode", "' OR 1=1 --", /7桁/],
    ["prefecture", "48", /都道府県/],
    ["city", "x".repeat(101), /100文字以内/],
    ["street", "<img src=x onerror=alert(1)>", /使用できない文字/],
    ["phone", "call me", /電話番号/],
    ["countryOfResidence", "US", /日本にお住まい/],
  ];

  it.each(cases)("%s = %j gets a field message and stores nothing", async (field, value, message) => {
    as.user = await makeUser();
    const state = await run(saveProfileAction, form({ ...VALID_PROFILE, [field]: value }));
    expect(state).toMatchObject({ status: "invalid" });
    expect((state as { fieldErrors: Record<string, string> }).fieldErrors[field]).toMatch(message);
    expect(Object.keys((state as { fieldErrors: Record<string, string> }).fieldErrors)).toEqual([field]);
    expect((await db().select().from(investorProfiles).where(eq(investorProfiles.userId, as.user.id))).length).toBe(0);
  });

  it("answers in English when the reader chose English", async () => {
    as.user = await makeUser();
    as.locale = "en";
    const state = await run(saveProfileAction, form({ ...VALID_PROFILE, familyNameKana: "yamada" }));
    expect((state as { fieldErrors: Record<string, string> }).fieldErrors.familyNameKana).toBe("Enter this in katakana.");
  });

  it("normalises what it stores: hiragana to katakana, postal code and phone digits", async () => {
    const user = await makeUser();
    as.user = user;
    await run(saveProfileAction, form({ ...VALID_PROFILE, familyNameKana: "やまだ", postalCode: "７０７０５０３", phone: "+81-868-79-2111" }));
    const [row] = await db().select().from(investorProfiles).where(eq(investorProfiles.userId, user.id));
    expect(row).toMatchObject({ familyNameKana: "ヤマダ", postalCode: "707-0503", phone: "0868792111" });
  });
});

describe("suitability", () => {
  it("keeps every answer with its time and blocks buying when unsuitable, with the reason", async () => {
    const user = await makeUser();
    as.user = user;
    await run(saveProfileAction, form(VALID_PROFILE));
    const state = await run(saveSuitabilityAction, form({ experience: "none", incomeBand: "under_3m", assetBand: "under_1m", purpose: "short_term_profit" }));
    expect(state).toMatchObject({ status: "error" });
    expect((state as { message: string }).message).toMatch(/売却できる市場がなく/);
    expect((await getOnboardingState(user.id)).blockers).toContain("unsuitable");
    await run(saveSuitabilityAction, form({ experience: "over_3y", incomeBand: "over_10m", assetBand: "over_10m", purpose: "long_term" }));
    expect((await getOnboardingState(user.id)).blockers).not.toContain("unsuitable");
    expect((await db().select().from(suitabilityAnswers).where(eq(suitabilityAnswers.userId, user.id))).length).toBe(2);
  });
});

describe("identity documents and review", () => {
  it("judges the file by content, not by its name, and limits size", async () => {
    const user = await onboardToIdentity();
    as.user = user;
    const fake = new File([Buffer.from("<?php echo 'hi'; ?>")], "passport.png", { type: "image/png" });
    expect(await run(uploadIdentityAction, form({ document: fake }))).toMatchObject({ status: "invalid", fieldErrors: { document: expect.stringMatching(/JPEG・PNG・PDF/) } });
    const huge = new File([PNG_1x1, Buffer.alloc(5 * 1024 * 1024)], "big.png");
    expect(await run(uploadIdentityAction, form({ document: huge }))).toMatchObject({ fieldErrors: { document: expect.stringMatching(/5MB/) } });
    // A PNG signature and header over no pixel data, and a 10 KB PNG of 81 million pixels.
    const broken = new File([PNG_1x1.subarray(0, 33)], "passport.png");
    expect(await run(uploadIdentityAction, form({ document: broken }))).toMatchObject({ status: "invalid", fieldErrors: { document: expect.stringMatching(/壊れている/) } });
    const bomb = new File([pngBomb(9000, 9000)], "passport.png");
    expect(await run(uploadIdentityAction, form({ document: bomb }))).toMatchObject({ status: "invalid", fieldErrors: { document: expect.stringMatching(/4,000万画素/) } });
    expect(await run(uploadIdentityAction, form({ document: "not a file" }))).toMatchObject({ status: "invalid" });
    expect((await db().select().from(identityDocuments).where(eq(identityDocuments.userId, user.id))).length).toBe(0);

    const named = new File([PNG_1x1], "scan.pdf", { type: "application/pdf" });
    expect(await run(uploadIdentityAction, form({ document: named }))).toEqual({ redirect: "/onboarding/identity" });
    const [stored] = await db().select().from(identityDocuments).where(eq(identityDocuments.userId, user.id));
    expect(stored).toMatchObject({ contentType: "image/png", status: "in_review" });
    expect(stored!.storageKey).toMatch(/^identity\/[0-9a-f-]{36}\.png$/);
    expect(await run(uploadIdentityAction, form({ document: named }))).toMatchObject({ fieldErrors: { document: expect.stringMatching(/審査中または承認済み/) } });
  });

  it("refuses the identity step before the earlier steps", async () => {
    as.user = await makeUser();
    expect(await run(uploadIdentityAction, form({ document: new File([PNG_1x1], "id.png") }))).toEqual({ status: "error", message: "前のステップを先に完了してください。" });
  });

  it("lets only staff decide; rejection lets the investor resubmit; approval creates one wallet and audits both", async () => {
    const investor = await onboardToIdentity();
    await run(uploadIdentityAction, form({ document: new File([PNG_1x1], "id.png") }));
    const [first] = await db().select().from(identityDocuments).where(eq(identityDocuments.userId, investor.id));

    for (const caller of [null, investor, await makeUser()]) {
      as.user = caller;
      const state = await run(decideReviewAction, form({ documentId: first!.id, decision: "approve", addressMatches: "yes" }));
      expect(state).toMatchObject({ status: "error" });
    }
    expect((await db().select().from(wallets).where(eq(wallets.userId, investor.id))).length).toBe(0);

    const staff = await makeUser("staff");
    as.user = staff;
    expect(await run(decideReviewAction, form({ documentId: first!.id, decision: "reject", reason: "" }))).toMatchObject({ status: "invalid", fieldErrors: { reason: "入力してください。" } });
    expect(await run(decideReviewAction, form({ documentId: first!.id, decision: "reject", reason: "写真が不鮮明です" }))).toMatchObject({ status: "ok" });
    expect(await run(decideReviewAction, form({ documentId: first!.id, decision: "approve", addressMatches: "yes" }))).toMatchObject({ status: "error", message: "この書類はすでに審査済みです。" });
    expect((await getOnboardingState(investor.id)).identity).toEqual({ status: "rejected", reason: "写真が不鮮明です" });

    as.user = investor;
    expect(await run(uploadIdentityAction, form({ document: new File([PNG_1x1], "id2.png") }))).toEqual({ redirect: "/onboarding/identity" });
    const second = (await db().select().from(identityDocuments).where(eq(identityDocuments.userId, investor.id))).find((doc) => doc.status === "in_review")!;

    as.user = staff;
    const approved = await run(decideReviewAction, form({ documentId: second.id, decision: "approve", addressMatches: "no" }));
    expect(approved).toMatchObject({ status: "ok", message: expect.stringMatching(/ウォレット 0x[0-9a-fA-F]{40} を作成しました/) });
    const walletRows = await db().select().from(wallets).where(eq(wallets.userId, investor.id));
    expect(walletRows).toHaveLength(1);
    expect((await getOnboardingState(investor.id)).blockers).toEqual([]);

    const audit = await db().select().from(auditLog).where(eq(auditLog.actorId, staff.id));
    expect(audit.map((entry) => entry.action).sort()).toEqual(["identity.approved", "identity.rejected", "wallet.created"]);
    expect(audit.every((entry) => entry.at instanceof Date)).toBe(true);
  });
});

describe("the one-query purchase check", () => {
  it("agrees with the full onboarding state at every step", async () => {
    const user = await makeUser();
    as.user = user;
    const same = async () => expect(await purchaseBlockers(user.id)).toEqual((await getOnboardingState(user.id)).blockers);
    await same();
    await run(saveProfileAction, form(VALID_PROFILE));
    await same();
    await run(saveSuitabilityAction, form({ experience: "none", incomeBand: "under_3m", assetBand: "under_1m", purpose: "long_term" }));
    await same();
    await run(saveSuitabilityAction, form({ experience: "over_3y", incomeBand: "over_10m", assetBand: "over_10m", purpose: "long_term" }));
    await same();
    await run(acceptDocumentsAction, form({ documentIds: (await documentsToAccept(user.id)).map((doc) => doc.id).join(",") }));
    await same();
    await run(uploadIdentityAction, form({ document: new File([PNG_1x1], "id.png") }));
    await same();
    expect(await purchaseBlockers(user.id)).toEqual(["identity"]);
  });
});

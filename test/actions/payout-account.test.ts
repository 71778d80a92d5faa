import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { as, form, run } from "../session-mock";
import { makeUser, VALID_PROFILE } from "../fixtures";
import { getDb } from "@/db/client";
import { auditLog, identityDocuments, ledgerEntries, offerings, payoutBankAccounts, villages } from "@/db/schema";
import { registerPayoutAccountAction } from "@/app/(investor)/account/payout/actions";
import type { SessionUser } from "@/lib/auth/roles";
import { acceptDocuments, documentsToAccept } from "@/lib/onboarding/documents";
import { recordSuitability, saveProfile } from "@/lib/onboarding/profile";
import { currentPayoutAccount, needsPayoutAccount } from "@/lib/payouts/accounts";

const VALID = { bankCode: "0001", branchCode: "110", accountType: "ordinary", accountNumber: "1234567", holderNameKana: "ヤマダ ハナコ" };

/** An investor whose onboarding is complete (profile kana ヤマダ ハナコ, identity in review). */
async function onboardedInvestor(): Promise<SessionUser> {
  const user = await makeUser();
  await saveProfile(user.id, VALID_PROFILE as never);
  await recordSuitability(user.id, { experience: "1_to_3y", incomeBand: "3m_to_5m", assetBand: "1m_to_5m", purpose: "support_village" });
  await acceptDocuments(
    user.id,
    (await documentsToAccept(user.id)).map((doc) => doc.id),
  );
  await getDb().insert(identityDocuments).values({ userId: user.id, storageKey: "identity/x.png", contentType: "image/png", sizeBytes: 1, status: "approved" });
  return user;
}

const accountsOf = (userId: string) => getDb().select().from(payoutBankAccounts).where(eq(payoutBankAccounts.userId, userId)).orderBy(payoutBankAccounts.createdAt);

let counter = 0;
async function makeOfferingOf(kind: "village_token" | "municipal_bond"): Promise<string> {
  counter += 1;
  const [village] = await getDb()
    .insert(villages)
    .values({ slug: `payout-village-${counter}`, nameJa: "村", nameEn: "Village", prefectureJa: "岡山県", prefectureEn: "Okayama", descriptionJa: "村", descriptionEn: "Village" })
    .returning();
  const [offering] = await getDb()
    .insert(offerings)
    .values({
      villageId: village!.id,
      slug: `payout-offering-${counter}`,
      kind,
      nameJa: "債",
      nameEn: "Bond",
      descriptionJa: "債",
      descriptionEn: "Bond",
      tokenSymbol: "BND",
      priceYen: 10_000,
      capUnits: 1_000,
      maxUnitsPerOrder: 100,
      opensAt: new Date(Date.now() - 86_400_000),
      closesAt: new Date(Date.now() + 86_400_000),
    })
    .returning();
  return offering!.id;
}

beforeAll(() => {
  as.locale = "ja";
});

describe("registering a payout account", () => {
  it("is refused to anonymous callers and to investors who have not finished onboarding", async () => {
    as.user = null;
    expect(await run(registerPayoutAccountAction, form(VALID))).toMatchObject({ status: "error" });
    const newcomer = await makeUser();
    as.user = newcomer;
    expect(await run(registerPayoutAccountAction, form(VALID))).toMatchObject({ status: "error", message: expect.stringMatching(/本人情報の登録/) });
    expect(await accountsOf(newcomer.id)).toHaveLength(0);
  });

  it("refuses unknown banks and branches, wrong lengths, non-kana and other people's names, storing nothing", async () => {
    const user = await onboardedInvestor();
    as.user = user;
    expect(await run(registerPayoutAccountAction, form({ ...VALID, bankCode: "0002" }))).toMatchObject({
      status: "invalid",
      fieldErrors: { bankCode: "この金融機関コードは全銀協の一覧にありません。" },
    });
    expect(await run(registerPayoutAccountAction, form({ ...VALID, branchCode: "999" }))).toMatchObject({
      status: "invalid",
      fieldErrors: { branchCode: "この支店コードはこの金融機関の一覧にありません。" },
    });
    for (const accountNumber of ["123456", "12345678", "12a4567"]) {
      expect(await run(registerPayoutAccountAction, form({ ...VALID, accountNumber }))).toMatchObject({ status: "invalid", fieldErrors: { accountNumber: "口座番号は7桁の数字で入力してください。" } });
    }
    expect(await run(registerPayoutAccountAction, form({ ...VALID, holderNameKana: "山田 花子" }))).toMatchObject({
      status: "invalid",
      fieldErrors: { holderNameKana: "口座名義はカタカナで入力してください。" },
    });
    expect(await run(registerPayoutAccountAction, form({ ...VALID, holderNameKana: "ヤマダ タロウ" }))).toMatchObject({
      status: "invalid",
      fieldErrors: { holderNameKana: expect.stringContaining("口座名義がご登録のお名前（ヤマダ\u3000ハナコ）と一致しません") },
    });
    as.locale = "en";
    expect(await run(registerPayoutAccountAction, form({ ...VALID, holderNameKana: "スズキ ハナコ" }))).toMatchObject({
      fieldErrors: { holderNameKana: expect.stringContaining("does not match the kana name on your profile (ヤマダ\u3000ハナコ)") },
    });
    as.locale = "ja";
    expect(await accountsOf(user.id)).toHaveLength(0);
  });

  it("saves what matches after normalisation (full-width digits, half-width kana), audited without the full number", async () => {
    const user = await onboardedInvestor();
    as.user = user;
    const state = await run(registerPayoutAccountAction, form({ ...VALID, accountNumber: "１２３４５６７", holderNameKana: "ﾔﾏﾀﾞ　 ﾊﾅｺ" }));
    expect(state).toMatchObject({ status: "ok", message: "受取口座を登録しました。" });
    const current = await currentPayoutAccount(user.id);
    expect(current).toMatchObject({ bankCode: "0001", branchCode: "110", accountType: "ordinary", accountNumber: "1234567", holderNameKana: "ヤマダ\u3000ハナコ", endedAt: null });
    const [audit] = await getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.actorId, user.id), eq(auditLog.action, "payout_account.registered")));
    expect(audit).toMatchObject({ targetId: current!.id, detail: { bankCode: "0001", branchCode: "110", accountNumber: "****567" } });
    expect(JSON.stringify(audit!.detail)).not.toContain("1234567");
  });

  it("a change ends the previous account in the same step and keeps exactly one current", async () => {
    const user = await onboardedInvestor();
    as.user = user;
    expect(await run(registerPayoutAccountAction, form(VALID))).toMatchObject({ status: "ok" });
    const first = await currentPayoutAccount(user.id);
    expect(await run(registerPayoutAccountAction, form({ ...VALID, bankCode: "9900", branchCode: "108", accountNumber: "7654321", accountType: "savings" }))).toMatchObject({ status: "ok" });
    const rows = await accountsOf(user.id);
    expect(rows).toHaveLength(2);
    expect(rows.filter((row) => row.endedAt === null)).toHaveLength(1);
    expect(rows.find((row) => row.id === first!.id)!.endedAt).not.toBeNull();
    expect(await currentPayoutAccount(user.id)).toMatchObject({ bankCode: "9900", branchCode: "108", accountNumber: "7654321" });
    const audits = await getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.actorId, user.id), eq(auditLog.action, "payout_account.replaced")));
    expect(audits).toHaveLength(1);
    expect(audits[0]!.detail).toMatchObject({ previousId: first!.id, accountNumber: "****321" });
    expect(JSON.stringify(audits[0]!.detail)).not.toMatch(/7654321|1234567/);
  });

  it("only ever touches the signed-in investor's own account", async () => {
    const owner = await onboardedInvestor();
    as.user = owner;
    await run(registerPayoutAccountAction, form(VALID));
    const ownerAccount = await currentPayoutAccount(owner.id);
    const other = await onboardedInvestor();
    as.user = other;
    // A smuggled user id is not part of the schema: the other investor's own account is written.
    expect(await run(registerPayoutAccountAction, form({ ...VALID, accountNumber: "9999999", userId: owner.id }))).toMatchObject({ status: "ok" });
    expect(await currentPayoutAccount(owner.id)).toEqual(ownerAccount);
    expect(await accountsOf(owner.id)).toHaveLength(1);
    expect(await currentPayoutAccount(other.id)).toMatchObject({ accountNumber: "9999999", userId: other.id });
  });

  it("is rate limited per investor", async () => {
    const user = await onboardedInvestor();
    as.user = user;
    // Refused attempts count too (a mismatching name), so names cannot be probed without limit.
    for (let i = 0; i < 10; i++) expect(await run(registerPayoutAccountAction, form({ ...VALID, holderNameKana: "ヤマダ タロウ" }))).toMatchObject({ status: "invalid" });
    expect(await run(registerPayoutAccountAction, form(VALID))).toMatchObject({ status: "error", message: expect.stringMatching(/分ほど待って/) });
    expect(await accountsOf(user.id)).toHaveLength(0);
  });
});

describe("the dashboard to-do", () => {
  it("shows only for holders of a municipal bond without a payout account", async () => {
    const bond = await makeOfferingOf("municipal_bond");
    const token = await makeOfferingOf("village_token");
    const allocate = (userId: string, offeringId: string, units: number) =>
      getDb()
        .insert(ledgerEntries)
        .values({ kind: units > 0 ? "tokens_allocated" : "tokens_clawed_back", offeringId, userId, units });

    const nobody = await onboardedInvestor();
    expect(await needsPayoutAccount(nobody.id)).toBe(false);

    const tokenHolder = await onboardedInvestor();
    await allocate(tokenHolder.id, token, 5);
    expect(await needsPayoutAccount(tokenHolder.id)).toBe(false);

    const bondHolder = await onboardedInvestor();
    await allocate(bondHolder.id, bond, 3);
    expect(await needsPayoutAccount(bondHolder.id)).toBe(true);
    as.user = bondHolder;
    expect(await run(registerPayoutAccountAction, form(VALID))).toMatchObject({ status: "ok" });
    expect(await needsPayoutAccount(bondHolder.id)).toBe(false);

    const formerHolder = await onboardedInvestor();
    await allocate(formerHolder.id, bond, 2);
    await allocate(formerHolder.id, bond, -2);
    expect(await needsPayoutAccount(formerHolder.id)).toBe(false);
  });
});

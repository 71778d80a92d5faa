import { describe, expect, it } from "vitest";
import { findBank, findBranch, searchBanks, searchBranches } from "./banks";
import { holderMatchesProfile, holderNameFromProfile, isKatakanaName, normaliseHolderName } from "./kana";
import { payoutAccountSchema } from "./schemas";

// Against the real zengin-code data, not a fixture.
describe("bank and branch codes", () => {
  it("looks up banks and branches by code, and knows what does not exist", async () => {
    expect(await findBank("0001")).toEqual({ code: "0001", name: "みずほ", kana: "ミズホ" });
    expect(await findBank("9900")).toMatchObject({ name: "ゆうちょ" });
    expect(await findBank("0002")).toBeNull();
    expect(await findBranch("0001", "110")).toEqual({ code: "110", name: "東京中央", kana: "トウキヨウチユウオウ" });
    expect(await findBranch("0001", "999")).toBeNull();
    expect(await findBranch("0002", "110")).toBeNull();
  });

  it("searches banks by code prefix, name, kana or hiragana, with the full name people type", async () => {
    expect((await searchBanks("0001")).matches.map((bank) => bank.code)).toEqual(["0001"]);
    for (const query of ["みずほ銀行", "ミズホ", "みずほ", "mizuho"]) {
      expect((await searchBanks(query)).matches.map((bank) => bank.code)).toContain("0001");
    }
    expect((await searchBanks("京都信用金庫")).matches.map((bank) => bank.name)).toEqual(["京都信金"]);
    // Small kana typed by a person match the list's large kana ("トウキヨウ").
    expect((await searchBranches("0001", "とうきょう")).matches.map((branch) => branch.code)).toContain("110");
    expect((await searchBranches("0001", "東京中央")).matches[0]).toMatchObject({ code: "110" });
    expect(await searchBanks("  ")).toEqual({ matches: [], more: false });
  });

  it("never answers with more than 20 matches, and says there were more", async () => {
    const result = await searchBanks("信金");
    expect(result.matches).toHaveLength(20);
    expect(result.more).toBe(true);
    expect((await searchBranches("0001", "1", 500)).matches.length).toBeLessThanOrEqual(20);
    // Codes in order, even those JavaScript would enumerate first ("1001" before "0001").
    const codes = (await searchBanks("0")).matches.map((bank) => bank.code);
    expect(codes).toEqual([...codes].sort());
    expect(codes[0]).toBe("0001");
  });
});

describe("holder names", () => {
  it("normalises hiragana, half-width kana, dashes and spaces to full-width katakana", () => {
    expect(normaliseHolderName("やまだ　 はなこ")).toBe("ヤマダ\u3000ハナコ");
    expect(normaliseHolderName("ﾔﾏﾀﾞ ﾊﾅｺ")).toBe("ヤマダ\u3000ハナコ");
    expect(normaliseHolderName(" ｻﾄｰ-ｼﾞｮｰ ")).toBe("サトーージョー");
    expect(isKatakanaName("ヤマダ\u3000ハナコ")).toBe(true);
    expect(isKatakanaName("山田\u3000ハナコ")).toBe(false);
    expect(isKatakanaName("YAMADA")).toBe(false);
  });

  it("compares with the profile as banks do: small kana as large, any dash as the long mark, spaces ignored", () => {
    const profile = { familyNameKana: "サトウ", givenNameKana: "ショウタ" };
    expect(holderMatchesProfile("さとう しょうた", profile)).toBe(true);
    expect(holderMatchesProfile("ｻﾄｳ ｼﾖｳﾀ", profile)).toBe(true);
    expect(holderMatchesProfile("サトウショウタ", profile)).toBe(true);
    expect(holderMatchesProfile("サトウ ショータ", profile)).toBe(false);
    expect(holderMatchesProfile("ショウタ サトウ", profile)).toBe(false);
    expect(holderMatchesProfile("ｻﾄ- ｼﾞﾖ-ｼﾞ", { familyNameKana: "サトー", givenNameKana: "ジョージ" })).toBe(true);
    expect(holderMatchesProfile("ヤマダ", { familyNameKana: null, givenNameKana: null })).toBe(false);
    expect(holderNameFromProfile(profile)).toBe("サトウ\u3000ショウタ");
  });

  it("the shared schema converts full-width digits and refuses wrong lengths and non-kana names", () => {
    const valid = { bankCode: "０００１", branchCode: "110", accountType: "ordinary", accountNumber: "１２３４５６７", holderNameKana: "やまだ はなこ" };
    expect(payoutAccountSchema.parse(valid)).toEqual({ bankCode: "0001", branchCode: "110", accountType: "ordinary", accountNumber: "1234567", holderNameKana: "ヤマダ\u3000ハナコ" });
    const fields = (input: Record<string, string>) => {
      const result = payoutAccountSchema.safeParse(input);
      return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join(".")}:${issue.message}`);
    };
    expect(fields({ ...valid, accountNumber: "123456" })).toEqual(["accountNumber:payouts.errors.accountNumber"]);
    expect(fields({ ...valid, accountNumber: "12345678" })).toEqual(["accountNumber:payouts.errors.accountNumber"]);
    expect(fields({ ...valid, holderNameKana: "山田 花子" })).toEqual(["holderNameKana:payouts.errors.holderNameKana"]);
    expect(fields({ ...valid, accountType: "gold" })).toEqual(["accountType:payouts.errors.accountType"]);
    expect(fields({ ...valid, bankCode: "1" })).toEqual(["bankCode:payouts.errors.bankCode"]);
    expect(fields({}).sort()).toEqual([
      "accountNumber:payouts.errors.accountNumber",
      "accountType:payouts.errors.accountType",
      "bankCode:payouts.errors.bankCode",
      "branchCode:payouts.errors.branchCode",
      "holderNameKana:payouts.errors.holderNameKana",
    ]);
  });
});

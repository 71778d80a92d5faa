import { expect, test } from "@playwright/test";
import { signInWithMagicLink, uniqueEmail } from "./fixtures";
import { completeOnboarding } from "./journeys";

test("an investor registers and then changes a payout account, the search working without JavaScript", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const email = uniqueEmail("payout");
  await signInWithMagicLink(page, email);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto("/account/payout");
  await expect(page.getByText("先に本人情報の登録を完了してください")).toBeVisible();
  await page.goto("/dashboard");
  await context.close();

  const js = await browser.newPage();
  await signInWithMagicLink(js, email);
  await completeOnboarding(js, "ja");
  await js.close();

  const noJs = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await signInWithMagicLink(noJs, email);
  await noJs.goto("/account");
  await noJs.getByRole("link", { name: /受取口座/ }).click();
  await expect(noJs).toHaveURL(/\/account\/payout$/);
  await expect(noJs.getByText("受取口座はまだ登録されていません。")).toBeVisible();
  await noJs.getByLabel("金融機関名またはコードで検索").fill("みずほ銀行");
  await noJs.getByRole("button", { name: "検索" }).click();
  await noJs.getByTestId("bank-search-matches").getByRole("link", { name: /0001/ }).click();
  await expect(noJs.getByTestId("payout-bank")).toContainText("みずほ");
  await noJs.getByLabel("支店名またはコードで検索").fill("とうきょうちゅうおう");
  await noJs.getByRole("button", { name: "検索" }).click();
  await noJs.getByTestId("branch-search-matches").getByRole("link", { name: /110/ }).click();
  await expect(noJs.getByTestId("payout-branch")).toContainText("東京中央");
  await expect(noJs.getByLabel("口座名義（カタカナ）")).toHaveValue("ヤマダ　ハナコ");
  await noJs.getByLabel("口座番号（7桁）").fill("１２３４５６");
  await noJs.getByRole("button", { name: "この口座を登録する" }).click();
  await expect(noJs.locator("#accountNumber-error")).toHaveText("口座番号は7桁の数字で入力してください。");
  await noJs.getByLabel("口座番号（7桁）").fill("１２３４５６７");
  await noJs.getByLabel("口座名義（カタカナ）").fill("ヤマダ タロウ");
  await noJs.getByRole("button", { name: "この口座を登録する" }).click();
  await expect(noJs.locator("#holderNameKana-error")).toContainText("ご登録のお名前（ヤマダ　ハナコ）と一致しません");
  await noJs.getByLabel("口座名義（カタカナ）").fill("ﾔﾏﾀﾞ ﾊﾅｺ");
  await noJs.getByRole("button", { name: "この口座を登録する" }).click();
  await expect(noJs.getByText("受取口座を登録しました。")).toBeVisible();
  await noJs.goto("/account/payout");
  await expect(noJs.getByTestId("payout-current")).toContainText("****567");
  await expect(noJs.getByTestId("payout-current")).not.toContainText("1234567");

  // With JavaScript: a change, by bank code.
  const page2 = await browser.newPage();
  await signInWithMagicLink(page2, email);
  await page2.goto("/account/payout");
  await page2.getByLabel("金融機関名またはコードで検索").fill("9900");
  await page2.getByRole("button", { name: "検索" }).click();
  await page2.getByTestId("bank-search-matches").getByRole("link", { name: /9900/ }).click();
  await page2.getByLabel("支店名またはコードで検索").fill("108");
  await page2.getByRole("button", { name: "検索" }).click();
  await page2.getByTestId("branch-search-matches").getByRole("link", { name: /108/ }).click();
  await page2.getByLabel("口座番号（7桁）").fill("7654321");
  await page2.getByText("貯蓄", { exact: true }).click();
  await page2.getByRole("button", { name: "この口座を登録する" }).click();
  await expect(page2.getByText("受取口座を登録しました。")).toBeVisible();
  await expect(page2.getByTestId("payout-current")).toContainText("****321");
  await expect(page2.getByTestId("payout-current")).toContainText("ゆうちょ");
});

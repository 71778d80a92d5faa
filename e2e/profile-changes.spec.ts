import { expect, test } from "@playwright/test";
import { signInWithMagicLink, uniqueEmail } from "./fixtures";
import { approvedInvestor } from "./journeys";

test("a verified investor's address change waits for staff, who see the old and the new value", async ({ page, browser }) => {
  // Sign-up, onboarding and two staff reviews: near the default minute on a busy machine.
  test.setTimeout(120_000);
  const email = uniqueEmail("mover");
  await approvedInvestor(page, browser, email);

  await page.goto("/onboarding/profile");
  await page.getByLabel("市区町村").fill("美作市");
  await page.getByRole("button", { name: "保存して次へ" }).click();
  await expect(page).toHaveURL(/\/onboarding\/profile$/);
  await expect(page.getByTestId("profile-change-status")).toContainText("登録情報の変更を申請中です");
  await expect(page.getByTestId("profile-change-status")).toContainText("市区町村");
  await expect(page.getByLabel("市区町村")).toHaveValue("美作市");

  const staff = await browser.newPage();
  await signInWithMagicLink(staff, "staff@village.example", "/sign-in?callbackUrl=%2Fstaff%2Freviews");
  await staff.getByTestId("profile-change-queue").getByRole("listitem").filter({ hasText: email }).getByRole("link").click();
  await expect(staff).toHaveURL(/\/staff\/reviews\/changes\/[0-9a-f-]{36}$/);
  const city = staff.getByTestId("profile-change-values").getByRole("row", { name: /市区町村/ });
  await expect(city).toContainText("英田郡西森村");
  await expect(city).toContainText("美作市");
  await staff.getByRole("button", { name: "承認する" }).click();
  await expect(staff.getByTestId("review-outcome")).toHaveText("審査結果: 承認済み");
  await staff.close();

  await page.reload();
  await expect(page.getByTestId("profile-change-status")).toContainText("登録情報の変更が承認されました");
});

import { expect, test } from "@playwright/test";
import { mailedLink, signInWithMagicLink, uniqueEmail } from "./fixtures";

test("an email change is told to the old address, whose link cancels it and signs out everywhere", async ({ page }) => {
  const email = uniqueEmail("change-old");
  const newEmail = uniqueEmail("change-new");
  await signInWithMagicLink(page, email, "/sign-in?callbackUrl=%2Faccount");
  await expect(page).toHaveURL(/\/account$/);
  await page.getByLabel("新しいメールアドレス").fill(newEmail);
  await page.getByRole("button", { name: "確認メールを送る" }).click();
  await expect(page.getByText(/新しいアドレスに確認メールを、現在のアドレスにお知らせを送りました/)).toBeVisible();

  const cancelLink = await mailedLink(page, email);
  expect(cancelLink).toContain("/account/cancel-email-change?token=");
  await page.goto(cancelLink);
  await expect(page.getByRole("heading", { name: "メールアドレス変更の取り消し" })).toBeVisible();
  await expect(page.getByText(newEmail)).toBeVisible();
  await page.getByRole("button", { name: "変更を取り消す" }).click();
  await expect(page).toHaveURL(/\/sign-in\?cancelled=1$/);
  await expect(page.getByText("メールアドレスの変更を取り消し、すべての端末からログアウトしました。", { exact: false })).toBeVisible();

  await page.goto("/account");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Faccount/);
  await page.goto(await mailedLink(page, newEmail));
  await expect(page.getByText("リンクの有効期限が切れているか、すでに使用されています。")).toBeVisible();
  await expect(page.getByRole("button", { name: "変更する" })).toHaveCount(0);
});

test("a signed-in person can sign in anew (for a recent sign-in) and comes back", async ({ page }) => {
  const email = uniqueEmail("again");
  await signInWithMagicLink(page, email, "/sign-in?callbackUrl=%2Faccount");
  await expect(page).toHaveURL(/\/account$/);
  await page.goto("/sign-in?callbackUrl=%2Faccount");
  await expect(page).toHaveURL(/\/dashboard$/);
  await signInWithMagicLink(page, email, "/sign-in?again=1&callbackUrl=%2Faccount");
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId("account-email")).toHaveText(email);
});

test("the offering page refreshes itself through the background refresh action", async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto("/offerings/nishimori-forest-token");
  const refresh = await page.waitForRequest((request) => request.method() === "POST" && request.headers()["next-action"] !== undefined, { timeout: 25_000 });
  const response = await refresh.response();
  expect(response?.status()).toBe(200);
  expect(response?.headers()["content-type"]).toContain("text/x-component");
  await expect(page.getByRole("progressbar")).toBeVisible();
});

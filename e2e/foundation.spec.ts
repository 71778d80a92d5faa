import { expect, test } from "@playwright/test";
import { mailedLink, signInWithMagicLink, uniqueEmail } from "./fixtures";

test("the home page presents the issuers with an open offering, the offerings and their projects @phone", async ({ page }) => {
  await page.goto("/");
  // Both demo issuers have an open offering; other specs may open more.
  await expect(page.getByTestId("issuer-card").filter({ hasText: "海辺町" })).toBeVisible();
  await expect(page.getByTestId("offering-price").filter({ hasText: /^¥2,000$/ })).not.toHaveCount(0);
  await expect(page.getByTestId("offering-price").filter({ hasText: /^¥1,000$/ })).not.toHaveCount(0);
  await expect(page.getByTestId("offering-raised").first()).toHaveText(/^¥\d{1,3}(,\d{3})*$/);
  await expect(page.getByTestId("offering-deadline").first()).toHaveText(/\d{4}年\d{1,2}月\d{1,2}日/);
  await expect(page.getByRole("progressbar").first()).toBeVisible();
  await page.getByTestId("issuer-card").filter({ hasText: "西森村" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("西森村");
  await expect(page.getByTestId("issuer-population")).toHaveText("人口 約1,400人");
  await expect(page.getByTestId("offering-price").first()).toHaveText("¥1,000");
  await expect(page.getByRole("link", { name: /百年の森 間伐事業/ })).toBeVisible();
  await page.getByRole("link", { name: /百年の森 間伐事業/ }).click();
  await expect(page.getByRole("heading", { name: "事業の進捗" })).toBeVisible();
  await expect(page.getByText("第1区画の間伐が完了しました")).toBeVisible();
});

test("the language switch shows English and is remembered", async ({ page }) => {
  await page.goto("/projects");
  await page.getByRole("button", { name: "表示言語を切り替える" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Village projects");
  await expect(page).toHaveURL(/\/projects$/);
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { name: "Open offerings", exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Switch display language" }).click();
  await expect(page.getByRole("heading", { name: "募集中のオファリング" })).toBeVisible();
});

test("an investor signs in through the magic link and is refused the staff area @phone", async ({ page }) => {
  const email = uniqueEmail("investor");
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fdashboard/);
  await signInWithMagicLink(page, email, page.url());
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { name: "マイページ" })).toBeVisible();
  await expect(page.getByText(`${email} でログイン中`)).toBeVisible();
  await expect(page.getByRole("link", { name: "職員メニュー" })).toHaveCount(0);

  const response = await page.goto("/staff");
  expect(response?.status()).toBe(403);
  await expect(page.getByTestId("forbidden")).toBeVisible();
  await expect(page.getByRole("heading", { name: "職員メニュー" })).toHaveCount(0);

  await page.goto("/dashboard");
  await page.getByRole("button", { name: "ログアウト" }).click();
  await expect(page.getByRole("link", { name: "ログイン" })).toBeVisible();
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("staff sign in and reach the staff area", async ({ page }) => {
  await signInWithMagicLink(page, "staff@village.example", "/sign-in?callbackUrl=%2Fstaff");
  await expect(page).toHaveURL(/\/staff$/);
  await expect(page.getByRole("heading", { name: "職員メニュー", level: 1 })).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: "本人確認の審査" })).toBeVisible();
});

test("a magic link works once, and a mail scanner's GET does not spend it", async ({ page, context, request }) => {
  const email = uniqueEmail("once");
  await page.goto("/sign-in");
  await page.getByLabel("メールアドレス").fill(email);
  await page.getByRole("button", { name: "ログインリンクを送る" }).click();
  await expect(page).toHaveURL(/\/sign-in\/check-email/);
  const link = await mailedLink(page, email);
  // A scanner fetches the link and the callback behind it; neither signs in nor spends the token.
  expect((await request.get(link)).status()).toBe(200);
  const callback = link.replace("/sign-in/confirm", "/api/auth/callback/email");
  const scanned = await request.get(callback, { maxRedirects: 0 });
  expect(scanned.status()).toBe(303);
  expect(scanned.headers().location).toContain("/sign-in/confirm");
  // A cross-site POST to the callback is refused.
  expect((await request.post(callback, { headers: { origin: "https://evil.example" }, maxRedirects: 0 })).status()).toBe(403);

  await page.goto(link);
  await page.getByRole("main").getByRole("button", { name: "ログインする" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  await context.clearCookies();
  await page.goto(link);
  await page.getByRole("main").getByRole("button", { name: "ログインする" }).click();
  await expect(page).toHaveURL(/\/sign-in\/error/);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("a bad email address gets a message in the reader's language and sends nothing", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("メールアドレス").fill("<script>alert(1)</script>");
  await page.getByRole("button", { name: "ログインリンクを送る" }).click();
  await expect(page.locator("#email-error")).toHaveText("メールアドレスの形式が正しくありません。");
  await expect(page).toHaveURL(/\/sign-in$/);
});

test("the health check reports the database up", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body.checks.database.up).toBe(true);
  expect(body.mode).toBe("demo");
});

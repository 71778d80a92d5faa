import { expect, test, type Page } from "@playwright/test";
import { uniqueEmail } from "./fixtures";
import { approvedInvestor } from "./journeys";

const OFFERING = "/offerings/nishimori-forest-token";

async function unitsLeft(page: Page): Promise<number> {
  await page.goto(OFFERING);
  const text = await page.locator("dt", { hasText: "残り口数" }).locator("xpath=following-sibling::dd").innerText();
  return Number(text.replace(/[^\d]/g, ""));
}

async function startCheckout(page: Page, units: number) {
  await page.goto(OFFERING);
  await page.getByLabel("口数", { exact: true }).fill(String(units));
  await expect(page.getByTestId("buy-total")).toHaveText(`¥${(units * 1000).toLocaleString("en-US")}`);
  await page.getByLabel(/契約締結前交付書面/).check();
  await page.getByRole("button", { name: "カード決済へ進む" }).click();
  await expect(page).toHaveURL(/\/checkout\/cs_/);
  await expect(page.getByRole("button", { name: new RegExp(`¥${(units * 1000).toLocaleString("en-US")}`) })).toBeVisible();
}

async function pay(page: Page, card: string) {
  await page.getByLabel(/Card number/).fill(card);
  await page.getByLabel(/Expiry/).fill("12 / 34");
  await page.getByLabel(/CVC/).fill("123");
  await page.getByLabel(/Name on card/).fill("HANAKO YAMADA");
  await page.getByRole("button", { name: /Pay/ }).click();
}

test("an approved investor buys 3 units with the test card and sees the order paid; a declined card's units come back after expiry @phone", async ({ page, browser }) => {
  test.setTimeout(120_000);
  await approvedInvestor(page, browser, uniqueEmail("buyer"));
  const before = await unitsLeft(page);

  await startCheckout(page, 3);
  await pay(page, "4242 4242 4242 4242");
  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}\?checkout=success$/);
  // Fulfilment comes from the webhook, not from this redirect; the page refreshes itself.
  await expect(page.getByTestId("order-status")).toHaveText(/入金確認済み|トークン発行中|トークン発行済み/, { timeout: 20_000 });
  await expect(page.getByRole("heading", { name: "受領書" })).toBeVisible();
  await expect(page.getByTestId("order-journey")).toContainText("予約済み");
  expect(await unitsLeft(page)).toBe(before - 3);

  await startCheckout(page, 2);
  const checkoutUrl = new URL(page.url());
  await pay(page, "4000 0000 0000 0002");
  await expect(page.getByText(/カードが拒否されました/)).toBeVisible();
  expect(await unitsLeft(page)).toBe(before - 5);

  // Let the emulator expire the session now, as Stripe would after 30 minutes.
  const sessionId = checkoutUrl.pathname.split("/").pop()!;
  const expired = await page.request.post(`${checkoutUrl.origin}/_emulator/sessions/${sessionId}/expire`);
  expect(expired.ok()).toBe(true);
  await expect.poll(() => unitsLeft(page), { timeout: 15_000 }).toBe(before - 3);
  await page.goto("/orders");
  await expect(page.getByTestId("order-status").first()).toHaveText("期限切れ");
});

import { expect, test, type Page } from "@playwright/test";
import { uniqueEmail } from "./fixtures";
import { approvedInvestor } from "./journeys";

const OFFERING = "/offerings/nishimori-forest-token";
const DAY_MS = 24 * 60 * 60 * 1000;

/** The Tokyo calendar day `days` after today, as the portal writes dates (ja: 2026年12月4日, en: 4 Dec 2026). */
function tokyoDay(days: number, locale: "ja-JP" | "en-GB") {
  return new Intl.DateTimeFormat(locale, { timeZone: "Asia/Tokyo", year: "numeric", month: locale === "ja-JP" ? "long" : "short", day: "numeric" }).format(new Date(Date.now() + days * DAY_MS));
}

/** Reloads until `check` passes: for what changes after a job or a webhook on a page that does not refresh itself. */
async function reloadUntil(page: Page, check: () => Promise<void>, timeout = 60_000) {
  await expect(async () => {
    await page.reload();
    await check();
  }).toPass({ timeout, intervals: [1_000, 2_000, 3_000] });
}

test("a Japanese investor pays for 1 unit at a konbini: the order page shows the number and the deadline, the test payment makes it paid, then the tokens are issued", async ({ page, browser }) => {
  test.setTimeout(120_000);
  await approvedInvestor(page, browser, uniqueEmail("konbini"));

  await page.goto(OFFERING);
  await page.getByLabel("口数", { exact: true }).fill("1");
  await expect(page.getByTestId("buy-total")).toHaveText("¥1,000");
  await page.getByLabel(/契約締結前交付書面/).check();
  await page.getByTestId("method-konbini").check();
  await page.getByRole("button", { name: "お支払い番号を発行する" }).click();
  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
  const orderUrl = new URL(page.url()).pathname;

  await expect(page.getByTestId("order-status")).toHaveText("お支払い待ち");
  await expect(page.getByTestId("konbini-number")).toHaveText(/^\d{6,}$/);
  // Three days to pay, until the end of the last one (Tokyo time).
  await expect(page.getByTestId("payment-deadline")).toHaveText(`${tokyoDay(3, "ja-JP")} 23:59 JST`);

  // The voucher opens in a new tab; the emulator's page has the test button that pays at the store.
  const voucherUrl = await page.getByTestId("deferred-hosted-link").getAttribute("href");
  expect(voucherUrl).toMatch(/\/vouchers\/pi_/);
  await page.goto(voucherUrl!);
  await expect(page.getByTestId("amount")).toHaveText(/1,000/);
  await page.getByRole("button", { name: /店頭で支払う/ }).click();
  await expect(page.getByTestId("status")).toHaveText(/お支払い済み/);

  await page.goto(orderUrl);
  await expect(page.getByTestId("order-status")).toHaveText(/入金確認済み|トークン発行中|トークン発行済み/, { timeout: 20_000 });
  await expect(page.getByTestId("deferred-panel")).toHaveText(/コンビニでお支払いいただきました/);
  await expect(page.getByRole("heading", { name: "受領書" })).toBeVisible();
  await expect(page.getByTestId("order-status")).toHaveText("トークン発行済み", { timeout: 60_000 });
});

test("an investor cancels an allocated card order within cooling-off: refunded in full and the tokens taken back @phone-only", async ({ page, browser }) => {
  test.setTimeout(150_000);
  await approvedInvestor(page, browser, uniqueEmail("cooling"), "en");

  await page.goto(OFFERING);
  await page.getByLabel("Units", { exact: true }).fill("1");
  await expect(page.getByTestId("buy-total")).toHaveText("¥1,000");
  await page.getByLabel(/pre-contract disclosure/).check();
  await page.getByRole("button", { name: "Continue to card payment" }).click();
  await expect(page).toHaveURL(/\/checkout\/cs_/);
  await page.getByLabel(/Card number/).fill("4242 4242 4242 4242");
  await page.getByLabel(/Expiry/).fill("12 / 34");
  await page.getByLabel(/CVC/).fill("123");
  await page.getByLabel(/Name on card/).fill("HANAKO YAMADA");
  await page.getByRole("button", { name: /Pay/ }).click();
  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}\?checkout=success$/);
  await expect(page.getByTestId("order-status")).toHaveText("Tokens issued", { timeout: 60_000 });

  // Eight days counting the day of the application: until the end of the seventh day after today.
  const panel = page.getByTestId("cooling-off-panel");
  await expect(panel).toContainText(`You may cancel this order until the end of ${tokyoDay(7, "en-GB")}, Japan time`);
  await panel.getByTestId("cooling-off-cancel").click();
  await expect(panel).toContainText("Any tokens already issued to you are taken back after the refund.");
  await panel.getByTestId("cooling-off-confirm").click();
  // The page re-renders with the cancellation on it (the refund may already have landed).
  await expect(panel.getByTestId("cooling-off-status")).toHaveText(
    new RegExp(`^Cancelled on ${tokyoDay(0, "en-GB")} \\(cooling-off\\)\\. (The refund is on its way\\.|The full amount was refunded\\.)`),
  );
  await expect(panel.getByTestId("cooling-off-cancel")).toHaveCount(0);

  // The refund's webhook moves the order; the page is reloaded as a person would.
  await reloadUntil(page, async () => {
    await expect(page.getByTestId("order-status")).toHaveText("Refunded", { timeout: 1_000 });
  });
  await expect(page.getByTestId("cooling-off-status")).toContainText("The full amount was refunded.");
  await expect(page.getByTestId("order-journey")).toContainText("Cancelled within the cooling-off period");

  // The clawback runs on chain after the refund: the dashboard shows none left, in the ledger and on the blockchain.
  await page.goto("/dashboard");
  await expect(page.getByTestId("holdings-order-status")).toHaveText("Refunded");
  await reloadUntil(page, async () => {
    await expect(page.getByTestId("holdings-ledger")).toHaveText("0 units", { timeout: 1_000 });
    await expect(page.getByTestId("holdings-chain")).toHaveText("0 units", { timeout: 1_000 });
  });
});

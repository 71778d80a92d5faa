import { expect, test, type Browser, type Page } from "@playwright/test";
import { translator, type Locale } from "../lib/i18n/catalog";
import { formatNumber } from "../lib/i18n/format";
import { axeJourney, expectNoSeriousViolations } from "./axe";
import { type PageCheck, signInWithMagicLink, uniqueEmail } from "./fixtures";
import { approvedInvestor, payByCard } from "./journeys";

// The demo village's open offering and a project it funds (db/seed.ts); its staff write in Japanese.
const OFFERING = "/offerings/nishimori-forest-token";
const PROJECT = { ja: "百年の森 間伐事業", en: "Hundred-year forest thinning" };
const STAFF = "staff@village.example";
const UNITS = 2;
const ja = translator("ja");

/** From the offering page through the emulator's Checkout to the order allocated. */
async function buy(page: Page, locale: Locale, check: PageCheck) {
  const t = translator(locale);
  await page.goto(OFFERING);
  await check(page);
  await page.getByLabel(t("buy.units"), { exact: true }).fill(String(UNITS));
  await expect(page.getByTestId("buy-total")).toHaveText(`¥${formatNumber(UNITS * 1000, locale)}`);
  await page.getByLabel(t("buy.disclosure").split("{version}")[0]!).check();
  await page.getByRole("button", { name: t("buy.submit") }).click();
  await expect(page).toHaveURL(/\/checkout\/cs_/);
  await check(page);
  await payByCard(page);

  // Paid comes from the webhook, allocated from the worker: the page refreshes itself until then.
  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}\?checkout=success$/);
  const status = page.getByTestId("order-status");
  const paid = t("orders.status.paid");
  const allocating = t("orders.status.allocating");
  const allocated = t("orders.status.allocated");
  await expect(status).toHaveText(new RegExp(`^(${paid}|${allocating}|${allocated})$`), { timeout: 20_000 });
  await check(page);
  await expect(status).toHaveText(allocated, { timeout: 60_000 });
  const steps = await page.getByTestId("order-journey").locator("li > span:first-child").allInnerTexts();
  expect(steps.indexOf(paid), `journey ${steps.join(" → ")}`).toBeGreaterThan(steps.indexOf(t("orders.status.awaiting_payment")));
  expect(steps.indexOf(allocated), `journey ${steps.join(" → ")}`).toBeGreaterThan(steps.indexOf(paid));
}

/** The dashboard: the same balance in the ledger and on chain, and the order's transaction, opened in the explorer. */
async function seeTokens(page: Page, locale: Locale, check: PageCheck) {
  const t = translator(locale);
  const units = t("chain.holdings.units", { count: formatNumber(UNITS, locale) });
  await page.goto("/dashboard");
  await expect(page.getByTestId("holdings-ledger")).toHaveText(units);
  await expect(page.getByTestId("holdings-chain")).toHaveText(units);
  await expect(page.getByTestId("holdings-line")).toContainText(t("chain.holdings.agree"));
  const order = page.getByTestId("holdings-order");
  await expect(order.getByTestId("holdings-order-status")).toHaveText(t("chain.status.allocated"));
  const wallet = (await page.getByTestId("wallet-address").innerText()).trim();
  await check(page);

  await order.getByTestId("holdings-tx").click();
  await expect(page).toHaveURL(/\/explorer\/tx\/0x[0-9a-f]{64}$/);
  await expect(page.getByTestId("explorer-tx-status")).toHaveText(t("chain.explorer.resultValue.success"));
  // The transaction's events name the investor's custodial wallet.
  await expect(page.getByRole("main")).toContainText(new RegExp(wallet, "i"));
  await check(page);
}

/** Staff of the village write an update on a project the offering funds and publish it; the holders are told. */
async function staffPostUpdate(browser: Browser, title: { ja: string; en: string }, check: PageCheck) {
  const staff = await (await browser.newContext()).newPage();
  await signInWithMagicLink(staff, STAFF, "/sign-in?callbackUrl=%2Fstaff%2Fprojects", check);
  await expect(staff).toHaveURL(/\/staff\/projects$/);
  await check(staff);
  await staff
    .getByRole("listitem")
    .filter({ hasText: PROJECT.ja })
    .getByRole("link", { name: ja("projectsAdmin.open") })
    .click();
  await expect(staff).toHaveURL(/\/staff\/projects\/[0-9a-f-]{36}$/);
  await check(staff);
  await staff.getByRole("link", { name: ja("projectsAdmin.updates.new") }).click();
  await expect(staff).toHaveURL(/\/updates\/new$/);
  await check(staff);
  await staff.getByLabel(ja("projectsAdmin.updates.titleJa")).fill(title.ja);
  await staff.getByLabel(ja("projectsAdmin.updates.titleEn")).fill(title.en);
  await staff.getByLabel(ja("projectsAdmin.updates.bodyJa")).fill("第3区画の作業道が**完成**しました。");
  await staff.getByLabel(ja("projectsAdmin.updates.bodyEn")).fill("The work road to plot 3 is **finished**.");
  await staff.getByRole("button", { name: ja("projectsAdmin.updates.saveDraft") }).click();
  await expect(staff).toHaveURL(/\/updates\/[0-9a-f-]{36}$/);
  await check(staff);
  await staff.getByRole("button", { name: ja("projectsAdmin.updates.publish") }).click();
  await expect(staff.getByTestId("update-publish-status")).toHaveText(/公開しました。[1-9][\d,]*人の保有者にお知らせしました。/);
  await staff.context().close();
}

/** The notice in the app and in the dev mailbox, in the investor's language, leading to the update. */
async function seeNotice(page: Page, locale: Locale, email: string, title: { ja: string; en: string }, check: PageCheck) {
  const t = translator(locale);
  await page.goto("/notifications");
  const notice = page.getByTestId("notifications").getByRole("link").filter({ hasText: title[locale] });
  await expect(notice).toContainText(t("notifications.unread"));
  await expect(notice).toContainText(t("notifications.newUpdate", { project: PROJECT[locale] }));
  await check(page);

  const subject = t("notifications.mailSubject", { project: PROJECT[locale], title: title[locale] });
  const mail = page
    .getByRole("listitem")
    .filter({ has: page.getByTestId("mail-to").getByText(email, { exact: true }) })
    .filter({ hasText: subject });
  // The mail is a job the worker delivers shortly after the publication.
  await expect(async () => {
    await page.goto("/dev/mailbox");
    await expect(mail).toHaveCount(1, { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await check(page);

  await page.goto("/notifications");
  await notice.click();
  await expect(page).toHaveURL(/\/projects\/forest-thinning#update-[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: title[locale] })).toBeInViewport();
  await check(page);
}

async function wholeJourney(page: Page, browser: Browser, locale: Locale) {
  // Axe is about half of the time; on a loaded shared 2-core machine a run took up to 3 minutes.
  test.setTimeout(360_000);
  const axe = axeJourney();
  const email = uniqueEmail(`journey-${locale}`);
  const stamp = Date.now();
  const title = { ja: `第3区画の作業道が完成 ${stamp}`, en: `Work road to plot 3 finished ${stamp}` };

  await test.step("sign up by email, onboard, staff approve the identity", () => approvedInvestor(page, browser, email, locale, axe.check));
  await test.step("buy with the test card: paid, then allocated", () => buy(page, locale, axe.check));
  await test.step("the dashboard shows the on-chain balance and the transaction", () => seeTokens(page, locale, axe.check));
  await test.step("staff post a project update", () => staffPostUpdate(browser, title, axe.check));
  await test.step("the investor sees the notice in the app and in the mail", () => seeNotice(page, locale, email, title, axe.check));
  const pages = await axe.expectAllChecked();
  test.info().annotations.push({ type: "axe", description: `${pages} pages checked, none with a serious or critical violation` });
}

for (const locale of ["ja", "en"] as const) {
  test(`a new investor's whole journey, every page checked with axe (${locale})`, ({ page, browser }) => wholeJourney(page, browser, locale));
}

test("a new investor's whole journey on a phone, every page checked with axe (ja) @phone-only", ({ page, browser }) => wholeJourney(page, browser, "ja"));

test("the axe check fails on a page with a serious violation", async ({ page }) => {
  await page.setContent('<html lang="en"><head><title>Broken</title></head><body><main><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></body></html>');
  await expect(expectNoSeriousViolations(page)).rejects.toThrow(/image-alt \(critical\)/);
});

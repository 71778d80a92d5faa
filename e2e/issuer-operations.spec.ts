import { expect, test, type Browser, type Page } from "@playwright/test";
import { signInWithMagicLink, uniqueEmail } from "./fixtures";
import { approvedInvestor } from "./journeys";

const ISSUER_A_STAFF = "staff@village.example";
const ISSUER_A_SECOND_STAFF = "staff2@village.example";
const ISSUER_B_STAFF = "staff@umibe.example";
const PRICE = 1_200;
const UNITS = 3;
// Card fees are the processor's: 3.6% of each charge, rounded to the yen (the emulator's balance transactions).
const FEE = Math.round(PRICE * UNITS * 0.036);

const yen = (n: number) => `¥${n.toLocaleString("en-US")}`;

async function staffPage(browser: Browser, email: string, path: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInWithMagicLink(page, email, `/sign-in?callbackUrl=${encodeURIComponent(path)}`);
  return page;
}

async function createOffering(page: Page, slug: string) {
  await expect(page).toHaveURL(/\/staff\/offerings\/new$/);
  await page.getByLabel(/URL名/).fill(slug);
  await page.getByLabel("名称（日本語）").fill("西森村 木の学校トークン");
  await page.getByLabel("名称（英語）").fill("Nishimori School Token");
  await page.getByLabel("シンボル").fill("NSC");
  await page.getByLabel("説明（日本語）").fill("木造校舎の改修に充てます。");
  await page.getByLabel("説明（英語）").fill("For the wooden school.");
  await page.getByLabel("1口の価格（円）").fill(String(PRICE));
  await page.getByLabel("発行上限（口）").fill("500");
  await page.getByLabel("1回の最多口数").fill("50");
  await page.getByLabel("募集開始（日本時間）").fill("2026-01-01T09:00");
  await page.getByLabel("募集終了（日本時間）").fill("2099-01-01T09:00");
  await page.getByRole("button", { name: "保存する" }).click();
  await expect(page).toHaveURL(/\/staff\/offerings\/[0-9a-f-]{36}$/);
}

async function buyWithTestCard(page: Page, slug: string, units: number) {
  await page.goto(`/offerings/${slug}`);
  await page.getByLabel("口数", { exact: true }).fill(String(units));
  await expect(page.getByTestId("buy-total")).toHaveText(yen(units * PRICE));
  await page.getByLabel(/契約締結前交付書面/).check();
  await page.getByRole("button", { name: "カード決済へ進む" }).click();
  await expect(page).toHaveURL(/\/checkout\/cs_/);
  await page.getByLabel(/Card number/).fill("4242 4242 4242 4242");
  await page.getByLabel(/Expiry/).fill("12 / 34");
  await page.getByLabel(/CVC/).fill("123");
  await page.getByLabel(/Name on card/).fill("HANAKO YAMADA");
  await page.getByRole("button", { name: /Pay/ }).click();
  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}\?checkout=success$/);
}

test("issuer A launches an offering with four eyes, an investor buys and holds the tokens, issuer B sees none of it, and the settlement report shows the sale", async ({ page, browser }) => {
  test.setTimeout(300_000);
  const slug = `school-${Date.now()}`;

  // Staff of issuer A write the terms; the author cannot approve them.
  const author = await staffPage(browser, ISSUER_A_STAFF, "/staff/offerings/new");
  await createOffering(author, slug);
  const offeringPath = new URL(author.url()).pathname;
  await expect(author.getByTestId("own-terms")).toBeVisible();
  await expect(author.getByTestId("deployment")).toHaveAttribute("data-state", "awaitingApproval");

  // Nothing can be bought before the contract exists.
  await page.goto(`/offerings/${slug}`);
  await expect(page.getByRole("button", { name: "カード決済へ進む" })).toHaveCount(0);

  // A second staff member of issuer A approves; the token deploys through the signer queue, its progress on the page.
  const approver = await staffPage(browser, ISSUER_A_SECOND_STAFF, offeringPath);
  // The first click only asks (the confirm button, same label, takes the focus); the second approves.
  const approve = approver.getByRole("button", { name: /第1版の条件を承認する/ });
  await approve.click();
  await expect(approver.getByTestId("confirm-question")).toContainText("承認してよろしいですか");
  await expect(approve).toBeFocused();
  await expect(approver.getByTestId("terms-approval")).toHaveAttribute("data-approved", "no");
  await expect(approver.getByTestId("deployment")).toHaveAttribute("data-state", "awaitingApproval");
  await approve.click();
  await expect(approver.getByTestId("terms-approval")).toHaveAttribute("data-approved", "yes");
  await expect(approver.getByTestId("deployment")).toHaveAttribute("data-state", /queued|sent|deployed/);
  await expect(approver.getByTestId("deployment")).toHaveAttribute("data-state", "deployed", { timeout: 90_000 });
  await approver.getByRole("button", { name: "募集を開始する" }).click();
  await expect(approver.getByTestId("confirm-question")).toContainText("開始してよろしいですか");
  await approver.getByRole("button", { name: "募集を開始する" }).click();
  await expect(approver.getByTestId("offering-status")).toHaveText("募集中");

  // The public page shows the contract as soon as it exists.
  await page.goto(`/offerings/${slug}`);
  await expect(page.getByTestId("offering-contract")).toContainText(/0x[0-9a-fA-F]{40}/);

  // An investor buys with the test card and sees the tokens on chain.
  const investorEmail = uniqueEmail("issuer-a-buyer");
  await approvedInvestor(page, browser, investorEmail);
  await buyWithTestCard(page, slug, UNITS);
  await expect(page.getByTestId("order-status")).toHaveText("トークン発行済み", { timeout: 60_000 });
  const orderPath = new URL(page.url()).pathname;
  await page.goto("/dashboard");
  const holding = page.getByTestId("holdings-order").filter({ hasText: "西森村 木の学校トークン" });
  await expect(holding).toContainText(`${UNITS}`);
  await expect(holding.getByTestId("holdings-tx")).toBeVisible();

  // Staff of issuer B see none of it and can touch none of it.
  const other = await staffPage(browser, ISSUER_B_STAFF, "/staff/offerings");
  await expect(other.getByText("西森村 木の学校トークン")).toHaveCount(0);
  for (const path of [offeringPath, `${offeringPath}/chain`, `${offeringPath}/settlement`, orderPath]) {
    const response = await other.goto(path);
    expect(response?.status(), path).toBe(404);
  }
  expect((await other.request.get(`${offeringPath}/settlement/csv?v=1`)).status()).toBe(404);
  await other.goto(`/staff/orders?email=${encodeURIComponent(investorEmail)}`);
  await expect(other.getByTestId("staff-order-row")).toHaveCount(0);

  // Issuer A's staff find the order by the investor's email.
  await author.goto(`/staff/orders?email=${encodeURIComponent(investorEmail)}`);
  await expect(author.getByTestId("staff-order-row")).toHaveCount(1);

  // The sale closes; the settlement report has the exact figures of that sale.
  // Asked, then cancelled with Escape: focus back on the button, and the sale still open.
  await author.goto(offeringPath);
  const close = author.getByRole("button", { name: "募集を終了する" });
  await close.click();
  await expect(author.getByTestId("confirm-question")).toContainText("元に戻せません");
  await author.keyboard.press("Escape");
  await expect(author.getByTestId("confirm-question")).toHaveCount(0);
  await expect(close).toBeFocused();
  await author.reload();
  await expect(author.getByTestId("offering-status")).toHaveText("募集中");
  await close.click();
  await author
    .getByRole("group", { name: /元に戻せません/ })
    .getByRole("button", { name: "募集を終了する" })
    .click();
  await expect(author.getByTestId("offering-status")).toHaveText(/募集終了/);
  await author.goto(`${offeringPath}/settlement`);
  await expect(async () => {
    await author.reload();
    await expect(author.getByTestId("settlement-report")).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  await expect(author.getByTestId("settlement-yenReceived")).toHaveText(yen(UNITS * PRICE));
  await expect(author.getByTestId("settlement-yenRefunded")).toHaveText(yen(0));
  await expect(author.getByTestId("settlement-cardFees")).toHaveText(yen(FEE));
  await expect(author.getByTestId("settlement-netProceeds")).toHaveText(yen(UNITS * PRICE - FEE));
  await expect(author.getByTestId("settlement-totalSupply")).toContainText(String(UNITS));
  await expect(author.getByTestId("settlement-holders")).toHaveText("1");

  const csv = await author.request.get(`${offeringPath}/settlement/csv?v=1`);
  expect(csv.status()).toBe(200);
  const csvBytes = await csv.body();
  expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const csvText = csvBytes.toString("utf8");
  for (const figure of [UNITS * PRICE, FEE, UNITS * PRICE - FEE]) expect(csvText).toContain(String(figure));

  const pdf = await author.request.get(`${offeringPath}/settlement/pdf?v=1&lang=ja`);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toContain("application/pdf");
  const pdfBytes = await pdf.body();
  expect(pdfBytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  expect(pdfBytes.toString("latin1")).toContain("NotoSansJP");
});

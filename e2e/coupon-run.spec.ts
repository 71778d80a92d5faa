import { readFile } from "node:fs/promises";
import { expect, test, type Browser, type Download, type Locator, type Page } from "@playwright/test";
import iconv from "iconv-lite";
import { ja as couponsJa } from "../lib/i18n/messages/coupons";
import { ja as offeringAdminJa } from "../lib/i18n/messages/offering-admin";
import { ja as statementsJa } from "../lib/i18n/messages/statements";
import { signInWithMagicLink } from "./fixtures";

// The demo seed's Umibe bond (db/seed-bond.ts) and people (db/seed.ts, DEMO_BOND_INVESTORS): those modules are server-only.
const BOND_SYMBOL = "UMBD";
const PREPARER = "staff@umibe.example";
const APPROVER = "staff2@umibe.example";
const HOLDERS = 7;
const WITH_ACCOUNT = { email: "kaito.hamada@example.jp", name: "浜田 海斗", kana: "ﾊﾏﾀﾞ" };
const WITHOUT_ACCOUNT = "sakura.tamura@example.jp";

const m = couponsJa.coupons;
const s = statementsJa.statements;

/** A catalog message as a pattern, each {placeholder} matching any text. */
const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const pattern = (template: string) =>
  new RegExp(
    template
      .split(/\{\w+\}/)
      .map(escapeRegex)
      .join(".+?"),
  );
const yen = async (cell: Locator) => Number((await cell.innerText()).replace(/[¥,\s]/g, ""));

async function staffPage(browser: Browser, email: string, path: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInWithMagicLink(page, email, `/sign-in?callbackUrl=${encodeURIComponent(path)}`);
  await expect(page).toHaveURL(new RegExp(`${escapeRegex(path)}$`));
  return page;
}

/** Clicks an irreversible button, then its confirm step (the same label, in the group the question names). */
async function confirmClick(scope: Locator | Page, label: string, question: string) {
  await scope.getByRole("button", { name: label, exact: true }).click();
  await scope.getByRole("group", { name: question }).getByRole("button", { name: label, exact: true }).click();
}

async function downloaded(page: Page, click: () => Promise<void>): Promise<{ download: Download; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent("download"), click()]);
  return { download, bytes: await readFile(await download.path()) };
}

type Figures = { gross: number; national: number; local: number; net: number };

test("staff prepare and a second staff approves the bond's first coupon run, download the transfer file and mark it paid; the investor sees the coupon and downloads the notice", async ({
  browser,
}) => {
  test.setTimeout(240_000);

  // 1. The preparer finds the bond among the issuer's offerings and opens its coupons page.
  const preparer = await staffPage(browser, PREPARER, "/staff/offerings");
  const listed = preparer.getByTestId("staff-offering").filter({ hasText: BOND_SYMBOL });
  await expect(listed).toHaveCount(1);
  await listed.getByRole("link", { name: offeringAdminJa.offeringAdmin.edit, exact: true }).click();
  await expect(preparer).toHaveURL(/\/staff\/offerings\/[0-9a-f-]{36}$/);
  await preparer.getByTestId("coupons-link").click();
  await expect(preparer).toHaveURL(/\/staff\/offerings\/[0-9a-f-]{36}\/coupons$/);
  const couponsPath = new URL(preparer.url()).pathname;

  // The first payment: a fresh database has no run for it; its snapshot is taken here unless the worker's sweep already froze it.
  const first = preparer.getByTestId("coupon-payment-1");
  await expect(first.getByTestId("coupon-run-status"), "payment 1 already has a run: this spec needs a freshly seeded database").toHaveText(m.run.none);
  const frozen = pattern(m.snapshot.frozen);
  if (!frozen.test(await first.innerText())) {
    await first.getByRole("button", { name: new RegExp(`^(${escapeRegex(m.snapshot.take)}|${escapeRegex(m.snapshot.retake)})$`) }).click();
  }
  await expect(first).toContainText(m.snapshot.frozen.replace("{holders}", String(HOLDERS)), { timeout: 60_000 });

  await confirmClick(first, m.run.prepare, m.run.prepareConfirm);
  const runLink = first.getByTestId("coupon-run-status").getByRole("link", { name: m.run.status.prepared });
  await runLink.click();
  await expect(preparer).toHaveURL(new RegExp(`${escapeRegex(couponsPath)}/[0-9a-f-]{36}$`));
  const runPath = new URL(preparer.url()).pathname;

  // Every holder is listed, each gross equal to net plus both taxes, and the totals are the rows' sums.
  const rows = preparer.getByTestId("coupon-payment");
  await expect(rows).toHaveCount(HOLDERS);
  const figures = new Map<string, Figures>();
  for (const row of await rows.all()) {
    const f: Figures = {
      gross: await yen(row.getByTestId("payment-gross")),
      national: await yen(row.getByTestId("payment-national")),
      local: await yen(row.getByTestId("payment-local")),
      net: await yen(row.getByTestId("payment-net")),
    };
    expect(f.gross).toBeGreaterThan(0);
    expect(f.net + f.national + f.local).toBe(f.gross);
    figures.set((await row.getByTestId("payment-holder").innerText()).trim(), f);
  }
  const sum = (pick: (f: Figures) => number) => [...figures.values()].reduce((total, f) => total + pick(f), 0);
  expect(await yen(preparer.getByTestId("run-gross"))).toBe(sum((f) => f.gross));
  expect(await yen(preparer.getByTestId("run-net"))).toBe(sum((f) => f.net));
  const holderFigures = figures.get(WITH_ACCOUNT.name);
  expect(holderFigures, `${WITH_ACCOUNT.name} is among the holders`).toBeDefined();

  // The preparer cannot approve their own run: no approve button, and the page says why.
  await expect(preparer.getByTestId("coupon-own-run")).toHaveText(new RegExp(`${escapeRegex(m.actions.ownRun)}|${escapeRegex("You prepared this run")}`));
  await expect(preparer.getByRole("button", { name: m.actions.approve, exact: true })).toHaveCount(0);
  await preparer.context().close();

  // 2. A second staff member of the issuer approves through the confirm step.
  const approver = await staffPage(browser, APPROVER, runPath);
  await expect(approver.getByTestId("coupon-own-run")).toHaveCount(0);
  await confirmClick(approver, m.actions.approve, m.actions.approveConfirm);
  await expect(approver.getByText(`${m.detail.kind.coupon} · ${m.run.status.approved}`)).toBeVisible();

  // The payments with an account are in the file; the others wait for one.
  const inFileRows = approver.getByTestId("coupon-payment").filter({ has: approver.getByTestId("coupon-payment-status").getByText(m.payment.status.in_file, { exact: true }) });
  const waitingRows = approver.getByTestId("coupon-payment").filter({ has: approver.getByTestId("coupon-payment-status").getByText(m.payment.status.waiting_account, { exact: true }) });
  await expect(waitingRows).toHaveCount(2);
  await expect(inFileRows).toHaveCount(HOLDERS - 2);
  let inFileYen = 0;
  for (const row of await inFileRows.all()) inFileYen += await yen(row.getByTestId("payment-net"));
  const byStatus = m.detail.byStatus
    .replace("{status}", m.payment.status.in_file)
    .replace("{count}", String(HOLDERS - 2))
    .replace("{yen}", `¥${inFileYen.toLocaleString("en-US")}`);
  await expect(approver.getByText(byStatus, { exact: true })).toBeVisible();

  // The transfer file: 120-byte records each ended by CR LF, a header first, the trailer's count and total those of the file's payments.
  const { download, bytes } = await downloaded(approver, () => approver.getByTestId("coupon-file").click());
  expect(download.suggestedFilename()).toBeTruthy();
  expect(bytes.length % 122).toBe(0);
  const records = bytes.length / 122;
  for (let i = 0; i < records; i++) expect(bytes.subarray(i * 122 + 120, i * 122 + 122).toString("latin1"), `record ${i + 1} ends with CR LF`).toBe("\r\n");
  expect(String.fromCharCode(bytes[0]!)).toBe("1");
  expect(records).toBe(HOLDERS - 2 + 3);
  const trailer = bytes.subarray((records - 2) * 122, (records - 2) * 122 + 120).toString("latin1");
  expect(trailer[0]).toBe("8");
  expect(Number(trailer.slice(1, 7))).toBe(HOLDERS - 2);
  expect(Number(trailer.slice(7, 19))).toBe(inFileYen);
  expect(String.fromCharCode(bytes[(records - 1) * 122]!)).toBe("9");
  // The holder's data record, decoded from Shift_JIS: half-width kana name (bytes 50–79) and the net amount (80–89).
  const data = iconv
    .decode(bytes, "Shift_JIS")
    .split("\r\n")
    .filter((line) => line.startsWith("2"));
  const holderRecord = data.find((line) => line.slice(50, 80).startsWith(WITH_ACCOUNT.kana));
  expect(holderRecord, `a data record for ${WITH_ACCOUNT.kana}`).toBeDefined();
  expect(Number(holderRecord!.slice(80, 90))).toBe(holderFigures!.net);

  // Mark all paid: the run closes as paid, the payments without an account still waiting.
  await confirmClick(approver, m.actions.markAllPaid, m.actions.markAllConfirm);
  await expect(approver.getByText(`${m.detail.kind.coupon} · ${m.run.status.paid}`)).toBeVisible();
  const statuses = approver.getByTestId("coupon-payment-status");
  await expect(statuses.getByText(m.payment.status.paid, { exact: true })).toHaveCount(HOLDERS - 2);
  await expect(statuses.getByText(m.payment.status.waiting_account, { exact: true })).toHaveCount(2);
  await expect(statuses.getByText(m.payment.status.in_file, { exact: true })).toHaveCount(0);
  await approver.goto(couponsPath);
  await expect(approver.getByTestId("coupon-payment-1").getByTestId("coupon-run-status")).toHaveText(m.run.status.paid);
  await approver.context().close();

  // 3. The investor with an account reaches the history from the dashboard and sees payment 1 paid, with the staff table's figures.
  const investor = await (await browser.newContext()).newPage();
  await signInWithMagicLink(investor, WITH_ACCOUNT.email);
  await expect(investor).toHaveURL(/\/dashboard$/);
  await expect(investor.getByTestId("dashboard-income")).toBeVisible();
  await investor.getByRole("link", { name: s.dashboardLink }).click();
  await expect(investor).toHaveURL(/\/account\/income$/);
  const line = investor.getByTestId("income-line").filter({ hasText: new RegExp(`${escapeRegex(s.paymentNumber.replace("{number}", "1"))}(?!\\d)`) });
  await expect(line).toHaveCount(1);
  await expect(line.getByTestId("income-status")).toHaveText(pattern(s.status.paid));
  expect({
    gross: await yen(line.getByTestId("income-gross")),
    national: await yen(line.getByTestId("income-nationalTax")),
    local: await yen(line.getByTestId("income-localTax")),
    net: await yen(line.getByTestId("income-net")),
  }).toEqual(holderFigures);
  const notice = await downloaded(investor, () => line.getByRole("link", { name: s.notice }).click());
  expect(notice.download.suggestedFilename()).toMatch(/\.pdf$/);
  expect(notice.bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  await investor.context().close();

  // 4. An investor without an account is told the coupon waits for one, with the way to register it.
  const waiting = await (await browser.newContext()).newPage();
  await signInWithMagicLink(waiting, WITHOUT_ACCOUNT);
  await waiting.goto("/account/income");
  const waitingLine = waiting.getByTestId("income-line");
  await expect(waitingLine).toHaveCount(1);
  await expect(waitingLine.getByTestId("income-status")).toContainText(s.status.waitingAccount);
  await waitingLine.getByRole("link", { name: s.status.registerAccount }).click();
  await expect(waiting).toHaveURL(/\/account\/payout$/);
  await waiting.context().close();
});

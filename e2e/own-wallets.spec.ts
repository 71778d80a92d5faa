import { expect, test, type Browser, type Page } from "@playwright/test";
import type { Hex } from "viem";
import { translator, type Locale } from "../lib/i18n/catalog";
import { formatNumber } from "../lib/i18n/format";
import { signInWithMagicLink, uniqueEmail } from "./fixtures";
import { approvedInvestor } from "./journeys";
import { injectTestWallet, type TestWallet } from "./test-wallet";

// The demo's own wallet (db/seed-own-wallets.ts DEMO_LINKED_WALLET, a server-only module): Hardhat
// test-mnemonic account 9, linked by Kaito Hamada, allowlisted for the harbour and Nishimori tokens
// and funded with dev JPYC when the dev chain starts.
const KAITO = { email: "kaito.hamada@example.jp" };
const DEMO_WALLET = { address: "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720", key: "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6" as Hex };
const HARBOUR = { nameJa: "海辺町 漁港再生トークン", symbol: "UMB" };
const NISHIMORI = { slug: "nishimori-forest-token", nameJa: "西森村 森のトークン 第1回", nameEn: "Nishimori Forest Token, Series 1", priceYen: 1_000, staff: "staff@village.example" };
const CHAIN_ID = 31337;

const ja = translator("ja");
const en = translator("en");
const tr = { ja, en } as const;
const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** The first whole number in a text such as "15口" or "1,234 units". */
const numberIn = (text: string) => Number((text.match(/[\d,]+/)?.[0] ?? "NaN").replace(/,/g, ""));

/** Signs in through the magic link and lands on `path`. */
async function signIn(page: Page, email: string, path: string) {
  await signInWithMagicLink(page, email, `/sign-in?callbackUrl=${encodeURIComponent(path)}`);
  await expect(page).toHaveURL(new RegExp(`${escapeRegex(path)}$`));
}

/** Clicks "link" and answers the wallet's two requests; the outcome shows under the button. */
async function linkWallet(page: Page, wallet: TestWallet) {
  await page.getByTestId("link-wallet-button").click();
  await expect.poll(() => wallet.requests.map((request) => request.method)).toContain("personal_sign");
}

/** The units of `symbol` the explorer's page of `address` shows on chain. */
async function explorerUnits(page: Page, address: string, symbol: string): Promise<number> {
  await page.goto(`/explorer/address/${address}`);
  await expect(page.getByTestId("explorer-address")).toHaveText(address);
  const line = page.getByRole("listitem").filter({ has: page.getByRole("link", { name: symbol, exact: true }) });
  return numberIn(await line.getByTestId("explorer-balance").innerText());
}

async function linkAndCheck(page: Page, browser: Browser, lang: Locale) {
  const t = tr[lang];
  const email = uniqueEmail(`own-wallet-${lang}`);
  await approvedInvestor(page, browser, email, lang);
  const wallet = await injectTestWallet(page);

  // The account page leads to the wallets page, where nothing is linked yet.
  await page.goto("/account");
  await page.getByTestId("own-wallets-link").click();
  await expect(page).toHaveURL(/\/account\/wallets$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("ownWallets.title"));
  await expect(page.getByText(t("ownWallets.own.none"))).toBeVisible();
  await expect(page.getByTestId("link-wallet-chain")).toHaveText(t("ownWallets.link.expectedChain", { chainId: String(CHAIN_ID) }));

  // The person declines the signature in the wallet: a clear message, nothing linked (also after a reload).
  wallet.rejectNext("personal_sign");
  await linkWallet(page, wallet);
  await expect(page.getByTestId("link-wallet-result")).toHaveText(t("ownWallets.link.rejected"));
  await expect(page.getByTestId("linked-wallet")).toHaveCount(0);
  await page.reload();
  await expect(page.getByText(t("ownWallets.own.none"))).toBeVisible();
  await expect(page.getByTestId("linked-wallet")).toHaveCount(0);

  // Signed this time: the message is the portal's EIP-4361 message for this site, address and chain.
  wallet.requests.length = 0;
  await linkWallet(page, wallet);
  await expect(page.getByTestId("link-wallet-result")).toHaveText(t("ownWallets.link.linked", { address: wallet.address }));
  const signed = wallet.requests.find((request) => request.method === "personal_sign")?.text ?? "";
  expect(signed).toContain(`${new URL(page.url()).host} wants you to sign in with your Ethereum account:\n${wallet.address}\n`);
  expect(signed).toContain(`Chain ID: ${CHAIN_ID}`);
  const linked = page.getByTestId("linked-wallet");
  await expect(linked).toHaveCount(1);
  // Shown checksummed, exactly as the wallet names it.
  await expect(linked).toHaveAttribute("data-address", wallet.address);
  await expect(linked.getByTestId("linked-wallet-address")).toHaveText(wallet.address);
  await expect(page.getByText(t("ownWallets.own.none"))).toHaveCount(0);
  await page.reload();
  await expect(page.locator(`[data-testid="linked-wallet"][data-address="${wallet.address}"]`)).toHaveCount(1);
  return { email, wallet };
}

test("an investor links a wallet by signing in it, and a declined signature links nothing (ja) @phone", async ({ page, browser }) => {
  test.setTimeout(120_000);
  await linkAndCheck(page, browser, "ja");
});

test("an investor links a wallet in English, asks approval for a token, and staff of its issuer put it on the allowlist", async ({ page, browser }) => {
  test.setTimeout(150_000);
  const { email, wallet } = await linkAndCheck(page, browser, "en");
  const linked = page.getByTestId("linked-wallet");
  await expect(linked.getByText(en("ownWallets.own.noApprovals"))).toBeVisible();

  // Approval asked for the Nishimori token (on sale): waiting for the issuer's staff.
  const ask = linked.getByTestId("request-approval-form");
  await ask.getByLabel(en("ownWallets.request.offering")).selectOption({ label: NISHIMORI.nameEn });
  await ask.getByRole("button", { name: en("ownWallets.request.submit") }).click();
  const approval = linked.getByTestId("linked-wallet-approval").filter({ hasText: NISHIMORI.nameEn });
  await expect(approval.getByTestId("approval-state")).toHaveAttribute("data-state", "requested");
  await expect(approval.getByTestId("approval-state")).toHaveText(en("ownWallets.status.requested"));
  const offeringId = await approval.getAttribute("data-offering");
  expect(offeringId).toMatch(/^[0-9a-f-]{36}$/);

  // Staff of the village find it from the offering's page and approve it.
  const staff = await (await browser.newContext()).newPage();
  await signIn(staff, NISHIMORI.staff, `/staff/offerings/${offeringId}`);
  await staff.getByTestId("wallets-link").click();
  await expect(staff).toHaveURL(new RegExp(`/staff/offerings/${offeringId}/wallets$`));
  const row = staff.locator(`[data-testid="staff-wallet-approval"][data-address="${wallet.address}"]`);
  await expect(row).toHaveAttribute("data-state", "requested");
  await expect(row).toContainText(email);
  await row.getByRole("button", { name: ja("ownWallets.staff.approve"), exact: true }).click();
  await row
    .getByRole("group", { name: ja("ownWallets.staff.approveConfirm", { address: wallet.address }) })
    .getByRole("button", { name: ja("ownWallets.staff.approve") })
    .click();
  // The allowlisting goes on chain through the worker; the staff page follows it on reload.
  await expect(async () => {
    await staff.reload();
    await expect(row).toHaveAttribute("data-state", "allowlisted", { timeout: 1_000 });
  }).toPass({ intervals: [1_000, 2_000], timeout: 45_000 });
  await staff.close();

  // The investor sees it on the allowlist, and so does the explorer.
  await page.reload();
  await expect(approval.getByTestId("approval-state")).toHaveAttribute("data-state", "allowlisted");
  await expect(approval.getByTestId("approval-state")).toHaveText(en("ownWallets.status.allowlisted"));
  await page.goto(`/explorer/address/${wallet.address}`);
  const line = page.getByRole("listitem").filter({ has: page.getByRole("link", { name: "NMT", exact: true }) });
  await expect(line).toContainText(en("chain.explorer.allowlisted"));
});

test("a holder withdraws 3 harbour tokens to his linked wallet through the confirm step and sees them on the explorer page of that address (phone) @phone-only", async ({ page }) => {
  test.setTimeout(120_000);
  const wallet = await injectTestWallet(page, DEMO_WALLET.key);
  expect(wallet.address).toBe(DEMO_WALLET.address);
  const before = await explorerUnits(page, DEMO_WALLET.address, HARBOUR.symbol);

  await signIn(page, KAITO.email, "/account/wallets");
  const linked = page.locator(`[data-testid="linked-wallet"][data-address="${DEMO_WALLET.address}"]`);
  await expect(linked.getByTestId("linked-wallet-approval").filter({ hasText: HARBOUR.nameJa }).getByTestId("approval-state")).toHaveAttribute("data-state", "allowlisted");
  await page.getByTestId("withdraw-link").click();
  await expect(page).toHaveURL(/\/account\/wallets\/withdraw$/);

  // The harbour token: how many are free to move now.
  const holding = page.getByTestId("withdraw-holding").filter({ hasText: HARBOUR.nameJa });
  const freeBefore = numberIn(await holding.getByText(/^いま移せる口数/).innerText());
  expect(freeBefore).toBeGreaterThanOrEqual(3);
  await holding.getByRole("link", { name: ja("withdrawals.choose.select") }).click();

  const choice = page.getByTestId("withdraw-choice-form");
  await expect(choice.getByRole("radio")).toHaveCount(1);
  await expect(choice.getByRole("radio")).toBeChecked();
  await expect(choice).toContainText(DEMO_WALLET.address);
  await choice.getByLabel(ja("withdrawals.form.units")).fill("3");
  await choice.getByRole("button", { name: ja("withdrawals.form.next") }).click();

  // The confirm step: the amount, the checksummed address, a recent sign-in.
  const three = ja("orders.units", { count: formatNumber(3, "ja") });
  await expect(page.getByTestId("withdraw-confirm-units")).toHaveText(three);
  await expect(page.getByTestId("withdraw-confirm-address")).toHaveText(DEMO_WALLET.address);
  await expect(page.getByTestId("withdraw-confirm-address").locator("strong").first()).toHaveText(DEMO_WALLET.address.slice(0, 6));
  await expect(page.getByTestId("withdraw-sign-in-state")).toHaveText(ja("withdrawals.confirm.signedInRecently"));
  await page.getByRole("button", { name: ja("withdrawals.confirm.submit", { count: three }) }).click();

  // Its status page follows it until it is done on chain.
  await expect(page).toHaveURL(/\/account\/wallets\/withdraw\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("withdrawal-to")).toHaveText(DEMO_WALLET.address);
  await expect(page.getByTestId("withdrawal-status")).toHaveText(ja("withdrawals.status.confirmed"), { timeout: 45_000 });
  const txHref = await page.getByTestId("withdrawal-tx").getAttribute("href");
  const hash = txHref?.match(/0x[0-9a-f]{64}$/)?.[0];
  expect(hash, `the transaction link ${txHref}`).toBeTruthy();
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

  // The address's page on the explorer: 3 more, and the transaction among its recent ones.
  await page.getByTestId("withdrawal-address-page").click();
  await expect(page).toHaveURL(new RegExp(`/explorer/address/${DEMO_WALLET.address}$`, "i"));
  const line = page.getByRole("listitem").filter({ has: page.getByRole("link", { name: HARBOUR.symbol, exact: true }) });
  await expect(line.getByTestId("explorer-balance")).toHaveText(ja("chain.holdings.units", { count: formatNumber(before + 3, "ja") }));
  const recent = page.getByRole("listitem").filter({ has: page.locator(`a[href="/explorer/tx/${hash}"]`) });
  await expect(recent).toContainText(ja("chain.explorer.kind.withdrawal"));
  await recent.getByRole("link").click();
  await expect(page.getByTestId("explorer-tx-status")).toHaveText(ja("chain.explorer.resultValue.success"));
  await expect(page.getByText(`transfer(${DEMO_WALLET.address}, 3)`)).toBeVisible();

  // And 3 fewer are left in the custodial wallet to move.
  await page.goto("/account/wallets/withdraw");
  await expect(page.getByTestId("withdraw-holding").filter({ hasText: HARBOUR.nameJa })).toContainText(
    ja("withdrawals.choose.free", { count: ja("orders.units", { count: formatNumber(freeBefore - 3, "ja") }) }),
  );
});

test("a holder buys 2 units with JPYC signed in his own wallet, and payment and allocation are one transaction", async ({ page }) => {
  test.setTimeout(120_000);
  const wallet = await injectTestWallet(page, DEMO_WALLET.key);
  await signIn(page, KAITO.email, "/account/wallets");
  const custodial = (await page.getByTestId("wallet-address").innerText()).trim();
  expect(custodial).toMatch(/^0x[0-9a-fA-F]{40}$/);

  // The offering offers JPYC from his linked wallet; he chooses it for 2 units.
  await page.goto(`/offerings/${NISHIMORI.slug}`);
  await page.getByLabel(ja("buy.units")).fill("2");
  await expect(page.getByTestId("buy-total")).toHaveText(`¥${(2 * NISHIMORI.priceYen).toLocaleString("en-US")}`);
  await page.getByLabel(/契約締結前交付書面/).check();
  await page.getByTestId("method-stablecoin").check();
  await expect(page.getByText(ja("stablecoin.buy.stablecoinHint", { address: DEMO_WALLET.address }))).toBeVisible();
  await page.getByRole("button", { name: ja("stablecoin.buy.submit") }).click();

  // The order's page asks for one signature of the payment.
  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
  const pay = page.getByTestId("stablecoin-pay");
  await expect(pay.getByTestId("stablecoin-amount")).toHaveText(ja("stablecoin.pay.amountValue", { amount: "2,000" }));
  await expect(pay.getByTestId("stablecoin-from")).toHaveText(DEMO_WALLET.address);
  await pay.getByTestId("pay-with-wallet").click();

  // What the wallet signed: an EIP-3009 authorisation of exactly ¥2,000 (18 decimals) from his wallet.
  await expect.poll(() => wallet.requests.some((request) => request.method === "eth_signTypedData_v4")).toBe(true);
  const typed = JSON.parse(wallet.requests.find((request) => request.method === "eth_signTypedData_v4")!.text!) as {
    primaryType: string;
    domain: { chainId: number };
    message: { from: string; value: string };
  };
  expect(["ReceiveWithAuthorization", "TransferWithAuthorization"]).toContain(typed.primaryType);
  expect(typed.message.from.toLowerCase()).toBe(DEMO_WALLET.address.toLowerCase());
  expect(BigInt(typed.message.value)).toBe(2_000n * 10n ** 18n);
  expect(Number(typed.domain.chainId)).toBe(CHAIN_ID);

  // The page follows the settlement to the end: allocated, in one step with one transaction.
  await expect(page.getByTestId("order-status")).toHaveText(ja("orders.status.allocated"), { timeout: 60_000 });
  const journey = page.getByTestId("order-journey");
  await expect(journey.getByTestId("journey-settled")).toHaveCount(1);
  await expect(journey.getByTestId("journey-settled")).toContainText(ja("stablecoin.journey.settled"));
  await expect(journey).toContainText(ja("stablecoin.journey.signed"));
  await expect(journey).not.toContainText(ja("orders.status.paid"));
  await expect(journey).not.toContainText(ja("orders.status.allocating"));
  await expect(journey.getByTestId("journey-tx")).toHaveCount(1);

  // That transaction on the explorer: it succeeded, took the coins from his wallet and delivered the units to the custodial wallet.
  await journey.getByTestId("journey-tx").click();
  await expect(page).toHaveURL(/\/explorer\/tx\/0x[0-9a-f]{64}$/);
  await expect(page.getByTestId("explorer-tx-status")).toHaveText(ja("chain.explorer.resultValue.success"));
  await expect(page.getByText(ja("chain.explorer.kind.settlement"))).toBeVisible();
  const events = page.locator("dd ul");
  await expect(events).toContainText(new RegExp(`from: ${DEMO_WALLET.address}`, "i"));
  await expect(events).toContainText(new RegExp(`to: ${custodial}`, "i"));
});

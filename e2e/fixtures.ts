import { expect, type Page } from "@playwright/test";

/** The sign-in link most recently mailed to this address, read from the dev mailbox page. */
export async function mailedLink(page: Page, email: string): Promise<string> {
  await page.goto("/dev/mailbox");
  const mail = page
    .getByRole("listitem")
    .filter({ has: page.getByTestId("mail-to").getByText(email, { exact: true }) })
    .first();
  const href = await mail.getByTestId("mail-link").getAttribute("href");
  expect(href).toBeTruthy();
  return href!;
}

/** Something to run on each page a step arrives at (an accessibility check). */
export type PageCheck = (page: Page) => Promise<void>;

/** Signs in through the real flow: the form, the mail in the dev mailbox, the confirmation page. */
export async function signInWithMagicLink(page: Page, email: string, startAt = "/sign-in", check?: PageCheck) {
  await page.goto(startAt);
  await check?.(page);
  await page.getByLabel(/メールアドレス|Email address/).fill(email);
  await page.getByRole("button", { name: /ログインリンクを送る|Email me a sign-in link/ }).click();
  await expect(page).toHaveURL(/\/sign-in\/check-email/);
  await check?.(page);
  const link = await mailedLink(page, email);
  await check?.(page);
  await page.goto(link);
  await expect(page).toHaveURL(/\/sign-in\/confirm/);
  await check?.(page);
  await page
    .getByRole("main")
    .getByRole("button", { name: /^(ログインする|Sign in)$/ })
    .click();
}

export function uniqueEmail(prefix: string) {
  return `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.jp`;
}

/** A valid 1×1 PNG (it must decode: uploads are judged by decoding). */
export { PNG_1x1 } from "../test/images";

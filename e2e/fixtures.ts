import { expect, type Page } from "@playwright/test";

/** Signs in through the real magic-link flow: the form, the dev mailbox page, the link. */
export async function signInWithMagicLink(page: Page, email: string, startAt = "/sign-in") {
  await page.goto(startAt);
  await page.getByLabel(/メールアドレス|Email address/).fill(email);
  await page.getByRole("button", { name: /ログインリンクを送る|Email me a sign-in link/ }).click();
  await expect(page).toHaveURL(/\/sign-in\/check-email/);
  await page.goto("/dev/mailbox");
  const mail = page.getByRole("listitem").filter({ has: page.getByTestId("mail-to").getByText(email, { exact: true }) }).first();
  await mail.getByTestId("mail-link").click();
}

export function uniqueEmail(prefix: string) {
  return `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.jp`;
}

import { expect, test } from "@playwright/test";
import { PNG_1x1, signInWithMagicLink, uniqueEmail } from "./fixtures";
import { completeOnboarding, L, staffApproves } from "./journeys";

for (const lang of ["ja", "en"] as const) {
  test(`sign up, onboard, staff approve, wallet shown (${lang}) @phone`, async ({ page, browser }) => {
    const email = uniqueEmail(`onboard-${lang}`);
    if (lang === "en") {
      await page.goto("/");
      await page.getByRole("button", { name: "表示言語を切り替える" }).click();
      await expect(page.locator("html")).toHaveAttribute("lang", "en");
    }
    await signInWithMagicLink(page, email);
    await expect(page).toHaveURL(/\/dashboard$/);
    await completeOnboarding(page, lang);

    await staffApproves(browser, email);

    await page.goto("/dashboard");
    await expect(page.getByRole("heading", { name: L[lang].wallet })).toBeVisible();
    await expect(page.getByTestId("wallet-address")).toHaveText(/^0x[0-9a-fA-F]{40}$/);
    await expect(page.locator("[role=img] svg")).toBeVisible();
    await page.goto("/onboarding/identity");
    await expect(page.getByTestId("identity-status")).toHaveText(L[lang].approved);
  });
}

test("identity documents and the review queue are only for their owner and staff", async ({ page, browser, request }) => {
  const owner = uniqueEmail("owner");
  await signInWithMagicLink(page, owner);
  await completeOnboarding(page, "ja");

  const staff = await browser.newPage();
  await signInWithMagicLink(staff, "staff@village.example", "/sign-in?callbackUrl=%2Fstaff%2Freviews");
  await staff.getByRole("listitem").filter({ hasText: owner }).getByRole("link").click();
  await expect(staff).toHaveURL(/\/staff\/reviews\/[0-9a-f-]{36}$/);
  const documentUrl = `/api/identity-documents/${staff.url().split("/").pop()}`;
  const asStaff = await staff.request.get(documentUrl);
  expect(asStaff.status()).toBe(200);
  expect(asStaff.headers()["content-type"]).toBe("image/png");
  expect(Buffer.from(await asStaff.body()).equals(PNG_1x1)).toBe(true);

  const asOwner = await page.request.get(documentUrl);
  expect(asOwner.status()).toBe(200);
  expect((await request.get(documentUrl)).status()).toBe(401);

  const other = await browser.newPage();
  await signInWithMagicLink(other, uniqueEmail("other"));
  expect((await other.request.get(documentUrl)).status()).toBe(404);
  expect((await other.goto("/staff/reviews"))?.status()).toBe(403);
  expect((await other.goto(staff.url()))?.status()).toBe(403);
  await other.close();
  await staff.close();
});

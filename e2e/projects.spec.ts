import { expect, test } from "@playwright/test";
import { GPS_LATITUDE_BYTES, jpegWithGps } from "../test/images";
import { signInWithMagicLink, uniqueEmail } from "./fixtures";

const PROJECT = "百年の森 間伐事業";
const PROJECT_PATH = "/projects/forest-thinning";

test("staff posts an update with a photo; it appears on the project page; a holder is notified in the app and by email", async ({ browser }) => {
  const title = `第2区画の間伐 ${Date.now()}`;
  const holderEmail = uniqueEmail("holder");

  // A holder: signs up, then staff gives them tokens through the demo-only route.
  const holder = await browser.newPage();
  await signInWithMagicLink(holder, holderEmail);
  const staff = await browser.newPage();
  await signInWithMagicLink(staff, "staff@village.example", "/sign-in?callbackUrl=%2Fstaff%2Fprojects");
  await expect(staff).toHaveURL(/\/staff\/projects$/);
  const grant = await staff.request.post("/staff/register/demo-holding", { data: { email: holderEmail, units: 20 } });
  expect(grant.status()).toBe(200);

  // Staff writes the update as a draft with a phone photo, previews it, publishes it.
  await staff.getByRole("listitem").filter({ hasText: PROJECT }).getByRole("link", { name: "開く" }).click();
  await staff.getByRole("link", { name: /進捗報告を書く/ }).click();
  await staff.getByLabel("タイトル（日本語）").fill(title);
  await staff.getByLabel("タイトル（英語）").fill("Plot 2 thinned");
  await staff.getByLabel("本文（日本語、Markdown）").fill("第2区画の**6.5ヘクタール**を間伐しました。<script>alert(1)</script>");
  await staff.getByLabel("本文（英語、Markdown）").fill("We thinned **6.5 hectares** of plot 2.");
  await staff.getByLabel("間伐面積（ha）").fill("6.5");
  await staff.getByLabel(/写真を追加/).setInputFiles({ name: "IMG_0420.JPG", mimeType: "image/jpeg", buffer: jpegWithGps() });
  await staff.getByRole("button", { name: "下書きを保存してプレビュー" }).click();
  await expect(staff).toHaveURL(/\/staff\/projects\/[0-9a-f-]{36}\/updates\/[0-9a-f-]{36}$/);
  const preview = staff.getByTestId("update-preview");
  await expect(preview.getByRole("heading", { name: title })).toBeVisible();
  await expect(preview.locator("strong")).toHaveText("6.5ヘクタール");
  await expect(preview).toContainText("<script>alert(1)</script>");
  await staff.getByRole("button", { name: "公開して保有者に知らせる" }).click();
  await expect(staff.getByTestId("update-publish-status")).toHaveText(/公開しました。[1-9]\d*人の保有者にお知らせしました。/);

  // Anyone sees it on the project page, with the photo, and the photo carries no location.
  const visitor = await browser.newPage();
  await visitor.goto(PROJECT_PATH);
  const update = visitor.getByTestId("update").filter({ has: visitor.getByRole("heading", { name: title }) });
  await expect(update).toBeVisible();
  await expect(update.getByText("6.5", { exact: true })).toBeVisible();
  const photo = update.getByRole("img");
  await expect(photo).toHaveJSProperty("complete", true);
  expect(await photo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  const served = await visitor.request.get((await photo.getAttribute("src"))!);
  expect(served.headers()["content-type"]).toBe("image/jpeg");
  expect(Buffer.from(await served.body()).includes(GPS_LATITUDE_BYTES)).toBe(false);
  await expect(visitor.getByTestId("project-funded")).not.toHaveText("¥0");
  const feed = await visitor.request.get("/feed.xml");
  expect(await feed.text()).toContain(`<title>${title}</title>`);

  // The holder has the notification in the app and the email in the dev mailbox.
  await holder.goto("/notifications");
  const notice = holder.getByTestId("notifications").getByRole("link").filter({ hasText: title });
  await expect(notice).toContainText("未読");
  await expect(async () => {
    await holder.goto("/dev/mailbox");
    const mail = holder
      .getByRole("listitem")
      .filter({ has: holder.getByTestId("mail-to").getByText(holderEmail, { exact: true }) })
      .filter({ hasText: `【${PROJECT}】新しい進捗報告: ${title}` });
    await expect(mail).toHaveCount(1, { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await holder.goto("/notifications");
  await notice.click();
  await expect(holder).toHaveURL(new RegExp(`${PROJECT_PATH}#update-[0-9a-f-]{36}$`));
  await expect(holder.getByRole("heading", { name: title })).toBeInViewport();

  // The holder is an investor: the staff pages and routes refuse them, and an anonymous visitor.
  for (const path of ["/staff/projects", "/staff/register", "/staff/audit"]) {
    await holder.goto(path);
    await expect(holder.getByTestId("forbidden")).toBeVisible();
  }
  expect((await holder.request.get("/staff/register/export")).status()).toBe(403);
  expect((await visitor.request.get("/staff/register/export")).status()).toBe(401);
  await visitor.goto("/staff/projects");
  await expect(visitor).toHaveURL(/\/sign-in\?callbackUrl=%2Fstaff%2Fprojects/);

  // Staff see the holder in the register and the publication in the audit log.
  await staff.goto("/staff/register");
  await expect(staff.getByTestId("register-table").getByRole("row").filter({ hasText: holderEmail })).toContainText("20");
  await staff.goto("/staff/audit?action=update.published");
  await expect(staff.getByTestId("audit-table").getByRole("row").nth(1)).toContainText("staff@village.example");
  // The action by its name for people, its code beside it for support.
  await expect(staff.getByTestId("audit-action").first()).toContainText("公開（進捗報告）");
  await expect(staff.getByTestId("audit-action").first()).toContainText("update.published");
  await expect(staff.locator("#action optgroup[label='進捗報告'] option[value='update.published']")).toHaveText("公開（進捗報告）");
  await Promise.all([holder.close(), staff.close(), visitor.close()]);
});

test("a project page reads on a phone: money figures, chart and updates without sideways scrolling @phone", async ({ page }) => {
  await page.goto(PROJECT_PATH);
  await expect(page.getByRole("heading", { level: 1, name: PROJECT })).toBeVisible();
  await expect(page.getByTestId("project-budget")).toHaveText("¥4,000,000");
  await expect(page.getByTestId("funding-chart")).toBeVisible();
  await expect(page.getByTestId("update").first()).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  const meta = (property: string) => page.locator(`meta[property="${property}"]`).getAttribute("content");
  expect(await meta("og:title")).toBe(PROJECT);
  expect(await meta("og:description")).toContain("120ヘクタール");
});

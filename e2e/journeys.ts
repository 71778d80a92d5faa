import { expect, type Browser, type Page } from "@playwright/test";
import { PNG_1x1, type PageCheck, signInWithMagicLink } from "./fixtures";

export type Lang = "ja" | "en";
export const L = {
  ja: {
    continue: "手続きを進める",
    save: "保存して次へ",
    upload: "アップロードする",
    inReview: "審査中",
    approved: "承認済み",
    fields: {
      familyNameKanji: "姓（漢字）",
      givenNameKanji: "名（漢字）",
      familyNameKana: "セイ（カナ）",
      givenNameKana: "メイ（カナ）",
      birthDate: "生年月日",
      postalCode: "郵便番号",
      prefecture: "都道府県",
      city: "市区町村",
      street: "番地・建物名",
      phone: "電話番号",
    },
    answers: ["1〜3年", "300万〜500万円", "100万〜500万円", "村の事業を応援したい"],
    accept: "上記の書面を読み、内容に同意します",
    file: "本人確認書類（JPEG・PNG・PDF、5MBまで）",
    wallet: "あなたのウォレット",
    step: "ステップ 2 / 4",
  },
  en: {
    continue: "Continue",
    save: "Save and continue",
    upload: "Upload",
    inReview: "In review",
    approved: "Approved",
    fields: {
      familyNameKanji: "Family name (kanji)",
      givenNameKanji: "Given name (kanji)",
      familyNameKana: "Family name (katakana)",
      givenNameKana: "Given name (katakana)",
      birthDate: "Date of birth",
      postalCode: "Postal code",
      prefecture: "Prefecture",
      city: "City, ward, town or village",
      street: "Street address and building",
      phone: "Phone number",
    },
    answers: ["1 to 3 years", "¥3–5 million", "¥1–5 million", "To support the village's projects"],
    accept: "I have read the documents above and accept them",
    file: "Identity document (JPEG, PNG or PDF, up to 5 MB)",
    wallet: "Your wallet",
    step: "Step 2 of 4",
  },
} as const;

export async function completeOnboarding(page: Page, lang: Lang, check?: PageCheck) {
  const l = L[lang];
  await page.getByRole("link", { name: new RegExp(l.continue) }).click();
  await expect(page).toHaveURL(/\/onboarding\/profile$/);
  const f = l.fields;
  await page.getByLabel(f.familyNameKanji).fill("山田");
  await page.getByLabel(f.givenNameKanji).fill("花子");
  await page.getByLabel(f.familyNameKana).fill("ヤマダ");
  await page.getByLabel(f.givenNameKana).fill("ハナコ");
  await page.getByLabel(f.birthDate).fill("1990-04-01");
  await page.getByLabel(f.postalCode).fill("7070503");
  await page.getByLabel(f.prefecture).selectOption("33");
  await page.getByLabel(f.city).fill("英田郡西森村");
  // A bad phone number first: the field says why and the rest of the form keeps what was typed.
  await page.getByLabel(f.street).fill("影石33-1");
  await page.getByLabel(f.phone).fill("12");
  await page.getByRole("button", { name: l.save }).click();
  await expect(page.locator("#phone-error")).toBeVisible();
  await expect(page.getByLabel(f.city)).toHaveValue("英田郡西森村");
  await check?.(page);
  await page.getByLabel(f.phone).fill("0868-79-2111");
  await page.getByRole("button", { name: l.save }).click();

  await expect(page).toHaveURL(/\/onboarding\/suitability$/);
  await expect(page.getByTestId("onboarding-progress")).toHaveText(l.step);
  await check?.(page);
  for (const answer of l.answers) await page.getByText(answer, { exact: true }).click();
  await page.getByRole("button", { name: l.save }).click();

  await expect(page).toHaveURL(/\/onboarding\/disclosures$/);
  await check?.(page);
  await page.getByLabel(l.accept).check();
  await page.getByRole("button", { name: l.save }).click();

  await expect(page).toHaveURL(/\/onboarding\/identity$/);
  await check?.(page);
  await page.getByLabel(l.file).setInputFiles({ name: "license.png", mimeType: "image/png", buffer: PNG_1x1 });
  await page.getByRole("button", { name: l.upload }).click();
  await expect(page.getByTestId("identity-status")).toHaveText(l.inReview);
}

export async function staffApproves(browser: Browser, investorEmail: string, check?: PageCheck): Promise<string> {
  // A context of its own, as browser.newPage() gives, but one axe can open its helper page in.
  const staff = await (await browser.newContext()).newPage();
  await signInWithMagicLink(staff, "staff@village.example", "/sign-in?callbackUrl=%2Fstaff%2Freviews", check);
  await expect(staff).toHaveURL(/\/staff\/reviews$/);
  await check?.(staff);
  await staff.getByRole("listitem").filter({ hasText: investorEmail }).getByRole("link").click();
  await expect(staff).toHaveURL(/\/staff\/reviews\/[0-9a-f-]{36}$/);
  await expect(staff.getByText(investorEmail)).toBeVisible();
  await check?.(staff);
  const documentId = staff.url().split("/").pop()!;
  // The demo investors write the village's address, and their documents show it.
  await staff.getByLabel("一致する", { exact: true }).check();
  await staff.getByRole("button", { name: "承認する" }).click();
  await expect(staff.getByTestId("review-outcome")).toHaveText("審査結果: 承認済み");
  await expect(staff.getByTestId("review-wallet")).toHaveText(/0x[0-9a-fA-F]{40}$/);
  await staff.context().close();
  return documentId;
}

/** A new investor, signed in, onboarded (in English when asked, the language then kept) and approved by staff: ready to buy. */
export async function approvedInvestor(page: Page, browser: Browser, email: string, lang: Lang = "ja", check?: PageCheck) {
  if (lang === "en") {
    await page.goto("/");
    await check?.(page);
    await page.getByRole("button", { name: "表示言語を切り替える" }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
  }
  await signInWithMagicLink(page, email, "/sign-in", check);
  await expect(page).toHaveURL(/\/dashboard$/);
  await check?.(page);
  await completeOnboarding(page, lang, check);
  await staffApproves(browser, email, check);
}

/** Pays on the Stripe emulator's Checkout page with a test card (4242… succeeds, 4000 0000 0000 0002 is declined). */
export async function payByCard(page: Page, card = "4242 4242 4242 4242") {
  await page.getByLabel(/Card number/).fill(card);
  await page.getByLabel(/Expiry/).fill("12 / 34");
  await page.getByLabel(/CVC/).fill("123");
  await page.getByLabel(/Name on card/).fill("HANAKO YAMADA");
  await page.getByRole("button", { name: /Pay/ }).click();
}

import { devices, expect, type Browser, type Locator, type Page } from "@playwright/test";
import { translator, type Locale } from "../lib/i18n/catalog";
import { formatNumber } from "../lib/i18n/format";
import { signInWithMagicLink } from "./fixtures";

// The demo's holders' village (db/seed-holders.ts, db/seed-bond-investors.ts: server-only modules): the Umibe Harbour Token,
// its holders at yesterday's record date, a perk of each kind and the people below; and the steps its specs share.

export const HARBOUR = { nameJa: "海辺町 漁港再生トークン", nameEn: "Umibe Harbour Token", symbol: "UMB", holders: 5, supply: 36 };
export const STAFF = "staff@umibe.example";
export const KAITO = { email: "kaito.hamada@example.jp", units: 15, name: "浜田 海斗", kana: "ハマダ カイト", postalCode: "789-1931", address: "高知県幡多郡海辺町港町2-14", phone: "0880-55-1021" };
export const MISAKI = { email: "misaki.okabayashi@example.jp", units: 8 };
export const SHOTA = { email: "shota.yamasaki@example.jp", units: 4 };
export const YOKO = { email: "yoko.nakamura@example.jp", units: 6 };
export const DRIED_FISH = { titleJa: "朝市の干物セット", titleEn: "Dried fish from the morning market", minUnits: 5 };
export const BOAT = { titleJa: "体験漁業 朝の漁船に乗る", titleEn: "A morning on a fishing boat", costUnits: 3 };
export const WALL = { labelJa: "漁港の岸壁補修", labelEn: "Mending the harbour wall", project: "漁港の岸壁補修" };
export const ROOF = { labelJa: "朝市の屋根", labelEn: "A roof for the morning market", project: "朝市の屋根" };

export const ja = translator("ja");
export const en = translator("en");
export const num = (value: number, locale: Locale) => formatNumber(value, locale);
const { defaultBrowserType: _desktopBrowser, ...DESKTOP } = devices["Desktop Chrome"];
export { DESKTOP };

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** A rendered message as a pattern, each {placeholder} matching any text. */
export const pattern = (rendered: string) =>
  new RegExp(
    rendered
      .split(/\{\w+\}/)
      .map(escapeRegex)
      .join(".+?"),
  );

export const HOUR_MS = 3_600_000;
/** A Tokyo calendar date 'YYYY-MM-DD'. */
const tokyoDate = (at: Date) => new Date(at.getTime() + 9 * HOUR_MS).toISOString().slice(0, 10);
/** A Tokyo wall-clock time as a datetime-local value (minute precision). */
export const tokyoDateTimeInput = (at: Date) => new Date(at.getTime() + 9 * HOUR_MS).toISOString().slice(0, 16);
/** The record date of the demo's perk and of the vote staff open here: yesterday in Tokyo. */
export const recordDate = () => tokyoDate(new Date(Date.now() - 24 * HOUR_MS));

/** A new browser (its own cookies), in English first when asked, signed in through the magic link and at `path`. */
export async function signedIn(browser: Browser, email: string, options: { locale?: Locale; path?: string; desktop?: boolean } = {}): Promise<Page> {
  const page = await (await browser.newContext(options.desktop ? DESKTOP : {})).newPage();
  await signIn(page, email, options);
  return page;
}

export async function signIn(page: Page, email: string, { locale = "ja", path = "/dashboard" }: { locale?: Locale; path?: string } = {}) {
  if (locale === "en") {
    await page.goto("/");
    await page.getByRole("button", { name: ja("nav.languageLabel") }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
  }
  await signInWithMagicLink(page, email, `/sign-in?callbackUrl=${encodeURIComponent(path)}`);
  await expect(page).toHaveURL(new RegExp(`${escapeRegex(path)}$`));
}

/** Staff go from their offerings to the harbour token's page; its path. */
export async function openHarbourOffering(staff: Page): Promise<string> {
  await staff.goto("/staff/offerings");
  const listed = staff.getByTestId("staff-offering").filter({ hasText: HARBOUR.nameJa });
  await expect(listed).toHaveCount(1);
  await listed.getByRole("link", { name: ja("offeringAdmin.edit"), exact: true }).click();
  await expect(staff).toHaveURL(/\/staff\/offerings\/[0-9a-f-]{36}$/);
  return new URL(staff.url()).pathname;
}

/** Clicks a confirmed submit: the button, then the same label in the group its question names. */
export async function confirmClick(scope: Locator, label: string, question: string) {
  await scope.getByRole("button", { name: label, exact: true }).click();
  await scope.getByRole("group", { name: question }).getByRole("button", { name: label, exact: true }).click();
}

export async function expectNoSidewaysScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${page.url()} scrolls sideways`).toBe(true);
}

/** Reloads until the check passes (the worker and the clock move on their own). */
export async function eventually(page: Page, check: () => Promise<void>, timeout: number) {
  await expect(async () => {
    await page.reload();
    await check();
  }).toPass({ intervals: [2_000, 3_000, 5_000], timeout });
}

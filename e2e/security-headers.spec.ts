import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { signInWithMagicLink, uniqueEmail } from "./fixtures";
import { completeOnboarding } from "./journeys";

type Headers = Record<string, string>;

/** The CSP violations the browser reports on this page's console (its frames included). */
function cspViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) seen.push(message.text());
  });
  return seen;
}

function directives(policy: string | undefined): Record<string, string> {
  expect(policy, "Content-Security-Policy header").toBeTruthy();
  return Object.fromEntries(
    policy!
      .split(";")
      .map((part) => part.trim().split(/\s+/))
      .map(([name, ...values]) => [name, values.join(" ")]),
  );
}

/** The headers every response carries; demo mode runs on http, so no HSTS. */
function expectFixedHeaders(headers: Headers) {
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["permissions-policy"]).toMatch(/camera=\(\).*geolocation=\(\).*microphone=\(\).*payment=\(\)/);
  expect(headers["strict-transport-security"]).toBeUndefined();
  expect(directives(headers["content-security-policy"])["frame-ancestors"]).toBe("'none'");
}

/** A page's policy: scripts only by this response's nonce; returns the nonce. */
function expectPagePolicy(headers: Headers): string {
  expectFixedHeaders(headers);
  const csp = directives(headers["content-security-policy"]);
  const nonce = /^'self' 'nonce-([A-Za-z0-9+/]{16,}={0,2})' 'strict-dynamic'$/.exec(csp["script-src"]!)?.[1];
  expect(nonce, `script-src is "${csp["script-src"]}"`).toBeTruthy(); // no 'unsafe-inline', no 'unsafe-eval' in a production build
  expect(csp["default-src"]).toBe("'self'");
  expect(csp["object-src"]).toBe("'none'");
  expect(csp["base-uri"]).toBe("'self'");
  expect(csp["form-action"]).toMatch(/^'self'( http:\/\/localhost:\d+)?$/); // plus the Checkout origin
  return nonce!;
}

const staffHeading = { name: "職員メニュー", level: 1 } as const;

test("a public page has every header, a fresh nonce on each of its scripts, and no CSP violation", async ({ page, request }) => {
  const [first, second] = [await request.get("/"), await request.get("/")];
  const nonce = expectPagePolicy(first.headers());
  expect(expectPagePolicy(second.headers())).not.toBe(nonce);
  const scripts = (await first.text()).match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);

  const violations = cspViolations(page);
  const response = await page.goto("/");
  expectPagePolicy(response!.headers());
  // The scripts ran: Next.js's client sets window.next once it has booted.
  await page.waitForFunction(() => "next" in window);
  await page.getByRole("button", { name: "表示言語を切り替える" }).click();
  await expect(page.getByRole("heading", { name: "Open offerings", exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Switch display language" }).click();
  await expect(page.getByRole("heading", { name: "募集中のオファリング" })).toBeVisible();
  expect(violations).toEqual([]);
});

test("an investor page carries the headers, and signing in meets no CSP violation", async ({ page }) => {
  const violations = cspViolations(page);
  await signInWithMagicLink(page, uniqueEmail("headers"));
  await expect(page).toHaveURL(/\/dashboard$/);
  const response = await page.goto("/dashboard");
  expectPagePolicy(response!.headers());
  await expect(page.getByRole("heading", { name: "マイページ" })).toBeVisible();
  await page.waitForFunction(() => "next" in window);
  expect(violations).toEqual([]);
});

test("a staff page carries the headers and cannot be framed, even by a same-site origin", async ({ page, baseURL }) => {
  const violations = cspViolations(page);
  await signInWithMagicLink(page, "staff@village.example", "/sign-in?callbackUrl=%2Fstaff");
  await expect(page).toHaveURL(/\/staff$/);
  const response = await page.goto("/staff");
  expectPagePolicy(response!.headers());
  await expect(page.getByRole("heading", staffHeading)).toBeVisible();
  expect(violations).toEqual([]);

  // A page on another port of localhost: another origin, but the same site, so the staff
  // session cookie goes along into the frame (a route-fulfilled page would count as public).
  const framer = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(`<!doctype html><iframe src="${baseURL}/staff" width="800" height="600"></iframe>`));
  await new Promise<void>((resolve) => framer.listen(0, "127.0.0.1", resolve));
  try {
    const framed = page.waitForResponse((r) => r.url() === `${baseURL}/staff`);
    await page.goto(`http://localhost:${(framer.address() as AddressInfo).port}/`);
    expect((await framed).status()).toBe(200);
    await expect.poll(() => violations.join("\n")).toContain("frame-ancestors 'none'");
    await expect(page.frameLocator("iframe").getByRole("heading", staffHeading)).toHaveCount(0);
    await expect(page.frameLocator("iframe").getByRole("main")).toHaveCount(0);
  } finally {
    framer.close();
  }
});

test("API routes, a 404 and a malformed address (400, not 500) carry the headers; the webhook refuses an oversized body", async ({ page, request }) => {
  const health = await request.get("/api/health");
  expect(health.status()).toBe(200);
  expectFixedHeaders(health.headers());

  const webhook = await request.post("/api/stripe/webhook", { data: "{}", headers: { "content-type": "application/json" } });
  expect(webhook.status()).toBe(400); // unsigned
  expectFixedHeaders(webhook.headers());
  expect(directives(webhook.headers()["content-security-policy"])["default-src"]).toBe("'none'");

  const oversized = await request.post("/api/stripe/webhook", { data: "x".repeat(1024 * 1024), headers: { "stripe-signature": "t=1,v1=x" } });
  expect(oversized.status()).toBe(413);
  expectFixedHeaders(oversized.headers());

  // An address that is not percent-encoded UTF-8: a page's, an image's, a document's, the open API's.
  for (const path of ["/issuers/%FF", "/offerings/a%ED%A0%80b", "/api/images/%FF", "/api/identity-documents/%C3%28", "/api/v1/offerings/%FF"]) {
    const bad = await request.get(path);
    expect(bad.status(), path).toBe(400);
    expect(await bad.text()).toContain("This address is not valid");
    expectFixedHeaders(bad.headers());
  }

  // A form post that is no form, and a server action's body that is not what React sends: 400, not Next.js's 500.
  for (const [headers, data] of [
    [{ "content-type": "multipart/form-data; boundary=x" }, "garbage"],
    [{ "content-type": "multipart/form-data" }, ""],
    [{ "content-type": "text/plain;charset=UTF-8", "next-action": "0".repeat(42) }, "garbage"],
  ] as const) {
    const bad = await request.post("/sign-in", { headers, data });
    expect(bad.status(), JSON.stringify(headers)).toBe(400);
    expect(await bad.text()).toContain("What was sent could not be read");
    expectFixedHeaders(bad.headers());
  }

  // The language switch's action (written inline) called by hand: without its form, and with a body that is no argument list.
  const actionId = (await (await request.get("/")).text()).match(/\$ACTION_ID_([0-9a-f]+)/)?.[1];
  expect(actionId, "the home page's language switch posts to a server action").toBeTruthy();
  const byHand = { "content-type": "text/plain;charset=UTF-8", "next-action": actionId! };
  expect((await request.post("/", { headers: byHand, data: "[]" })).status()).toBeLessThan(500);
  expect((await request.post("/", { headers: byHand, data: '"x"' })).status()).toBe(400);

  const missing = await request.get("/no-such-page");
  expect(missing.status()).toBe(404);
  expectPagePolicy(missing.headers());

  const violations = cspViolations(page);
  await page.goto("/no-such-page");
  await page.waitForFunction(() => "next" in window);
  expect(violations).toEqual([]);
});

test("an identity document keeps its own sandboxing policy rather than the pages' one", async ({ page, browser }) => {
  const email = uniqueEmail("document");
  await signInWithMagicLink(page, email);
  await expect(page).toHaveURL(/\/dashboard$/);
  await completeOnboarding(page, "ja");
  const staff = await browser.newPage();
  await signInWithMagicLink(staff, "staff@village.example", "/sign-in?callbackUrl=%2Fstaff%2Freviews");
  await staff.getByRole("listitem").filter({ hasText: email }).getByRole("link").click();
  await expect(staff).toHaveURL(/\/staff\/reviews\/[0-9a-f-]{36}$/);
  const href = await staff.locator('a[href^="/api/identity-documents/"]').getAttribute("href");
  const document = await staff.request.get(href!);
  expect(document.status()).toBe(200);
  const headers = document.headers();
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["x-frame-options"]).toBe("DENY");
  const csp = directives(headers["content-security-policy"]);
  expect(csp["default-src"]).toBe("'none'");
  expect(csp).toHaveProperty("sandbox");
  await staff.close();
});

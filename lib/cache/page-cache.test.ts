import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { keepable, pageCacheKey, withNonce } from "./page-cache";
import { PUBLIC_STALE_MS, PUBLIC_TTL_MS, WRITE_PAUSE_MS } from "./ttl";

vi.mock("@/lib/env", () => ({ env: () => ({ mode: "demo", nodeEnv: "production", port: 4321, stripe: { emulatorPort: null } }) }));
const { proxy } = await import("@/proxy");

type Render = { url: string; cookie: string | null; nonce: string };
let renders: Render[] = [];

const nonceOf = (policy: string | null) => /'nonce-([^']+)'/.exec(policy ?? "")?.[1];

/** The app behind the proxy: it renders with the nonce the proxy put in the request's policy. */
async function server(url: string, init: RequestInit): Promise<Response> {
  const headers = new Headers(init.headers);
  const inner = await proxy(new NextRequest(url, { headers }));
  const nonce = nonceOf(inner.headers.get("x-middleware-request-content-security-policy"))!;
  renders.push({ url, cookie: headers.get("cookie"), nonce });
  const { pathname } = new URL(url);
  const policy = { "content-security-policy": inner.headers.get("content-security-policy")! };
  if (pathname === "/projects/missing") return new Response("missing", { status: 404, headers: { "content-type": "text/html", ...policy } });
  // Another app on the port: a page, but not rendered through this proxy.
  if (pathname === "/projects/elsewhere") return new Response("<p>not ours</p>", { headers: { "content-type": "text/html" } });
  const cookie: Record<string, string> = pathname === "/issuers" ? { "set-cookie": "x=1" } : {};
  const lang = headers.get("cookie")?.includes("locale=en") ? "en" : "ja";
  const body = `<html lang="${lang}"><script nonce="${nonce}">self.__next_f.push([1,"{\\"nonce\\":\\"${nonce}\\"}"])</script><p>${pathname}</p></html>`;
  return new Response(body, { headers: { "content-type": "text/html; charset=utf-8", link: `</a.css>; rel=preload; nonce="${nonce}"`, ...policy, ...cookie } });
}

async function visit(pathname: string, headers: Record<string, string> = {}, method = "GET") {
  const response = await proxy(new NextRequest(`http://evil.example${pathname}`, { method, headers: { accept: "text/html", ...headers } }));
  const nonce = nonceOf(response.headers.get("content-security-policy"))!;
  const passedOn = response.headers.get("x-middleware-next") === "1";
  return { response, nonce, passedOn, body: passedOn ? "" : await response.text() };
}

beforeAll(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.stubGlobal("fetch", vi.fn(server));
});
afterAll(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});
beforeEach(() => {
  // Every test starts past what the previous one cached or paused.
  vi.setSystemTime(Date.now() + PUBLIC_TTL_MS + PUBLIC_STALE_MS + WRITE_PAUSE_MS + 1);
  renders = [];
});

describe("the page cache in the proxy", () => {
  it("renders a public page once for anonymous visitors, each copy with the visitor's own fresh nonce", async () => {
    const first = await visit("/", { cookie: "_ga=tracking; authjs.csrf-token=abc" });
    const second = await visit("/");
    expect(renders).toHaveLength(1);
    // Rendered by asking this server on loopback (never the Host header), with only the language cookie.
    expect(renders[0]).toMatchObject({ url: "http://127.0.0.1:4321/", cookie: "locale=ja" });
    const placeholder = renders[0]!.nonce;
    for (const visitor of [first, second]) {
      expect(visitor.passedOn).toBe(false);
      expect(visitor.response.status).toBe(200);
      expect(visitor.response.headers.get("cache-control")).toBe("private, no-cache");
      expect(visitor.body).not.toContain(placeholder);
      expect(visitor.body.split(visitor.nonce)).toHaveLength(3);
      expect(visitor.response.headers.get("link")).toContain(`nonce="${visitor.nonce}"`);
      expect(visitor.nonce).not.toBe(placeholder);
    }
    expect(first.nonce).not.toBe(second.nonce);
  });

  it("keeps languages apart", async () => {
    const english = await visit("/transparency", { cookie: "locale=en" });
    const japanese = await visit("/transparency", { cookie: "locale=fr" });
    expect(english.body).toContain('lang="en"');
    expect(japanese.body).toContain('lang="ja"');
    expect(renders.map((render) => render.cookie)).toEqual(["locale=en", "locale=ja"]);
  });

  it("never serves or stores a signed-in visitor's page, nor a navigation, a query, an action or a private page", async () => {
    const cases: [string, Record<string, string>, string?][] = [
      ["/", { cookie: "authjs.session-token=secret" }],
      ["/offerings/nishimori-forest-token", { cookie: "locale=en; __Secure-authjs.session-token.0=secret" }],
      ["/", { rsc: "1" }],
      ["/?utm_source=mail", {}],
      ["/", { "next-action": "abc" }, "POST"],
      ["/dashboard", {}],
      ["/sign-in", {}],
      ["/staff", {}],
    ];
    for (const [pathname, headers, method] of cases) {
      const visitor = await visit(pathname, headers, method);
      expect(visitor.passedOn, `${method ?? "GET"} ${pathname} ${JSON.stringify(headers)}`).toBe(true);
      expect(visitor.response.headers.get("cache-control")).toBeNull();
    }
    expect(renders).toEqual([]);
  });

  it("renders for each visitor a page that is not a plain 200, sets a cookie, or was not rendered through this proxy", async () => {
    for (const pathname of ["/projects/missing", "/issuers", "/projects/elsewhere"]) {
      expect((await visit(pathname)).passedOn).toBe(true);
      expect((await visit(pathname)).passedOn).toBe(true);
    }
    // Asked once each, then remembered as not to be kept for the same while.
    expect(renders).toHaveLength(3);
  });

  it("shows a staff edit to the next visitor", async () => {
    await visit("/projects/forest-thinning");
    await visit("/projects/forest-thinning");
    expect(renders).toHaveLength(1);
    expect((await visit("/staff/projects/123", { "next-action": "abc" }, "POST")).passedOn).toBe(true);
    await visit("/projects/forest-thinning");
    expect(renders).toHaveLength(2);
  });

  it("gives no placeholder to an outside request that guesses at the render marker", async () => {
    const forged = await visit("/offerings/nishimori-forest-token", { "x-village-page-render": "guess" });
    expect(renders).toHaveLength(1);
    expect(forged.nonce).not.toBe(renders[0]!.nonce);
    expect(forged.body).toContain(`nonce="${forged.nonce}"`);
  });
});

describe("page cache helpers", () => {
  const request = (pathname: string, headers: Record<string, string> = {}) => ({ method: "GET", pathname, search: "", headers: new Headers(headers) });

  it("keys a page by language and path only", () => {
    expect(pageCacheKey(request("/projects/a", { cookie: "locale=en; other=1" }), "locale", ["ja", "en"], "ja")).toBe("en /projects/a");
    expect(pageCacheKey(request("/projects/a", { cookie: "locale=xx" }), "locale", ["ja", "en"], "ja")).toBe("ja /projects/a");
    expect(pageCacheKey(request("/orders/1"), "locale", ["ja", "en"], "ja")).toBeNull();
  });

  it("keeps only the page's type, vary and preload headers", async () => {
    const policy = "script-src 'nonce-PH'";
    const page = await keepable(
      new Response("<p>", { headers: { "content-type": "text/html", vary: "rsc", link: "<a>", "x-other": "1", "cache-control": "no-store", "content-security-policy": policy } }),
      "PH",
    );
    expect(page?.headers).toEqual([
      ["content-type", "text/html"],
      ["vary", "rsc"],
      ["link", "<a>"],
    ]);
    expect(await keepable(new Response("{}", { headers: { "content-type": "application/json", "content-security-policy": policy } }), "PH")).toBeNull();
    expect(await keepable(new Response("<p>", { headers: { "content-type": "text/html", "content-security-policy": "script-src 'nonce-other'" } }), "PH")).toBeNull();
  });

  it("puts the visitor's nonce everywhere the placeholder was", () => {
    const copy = withNonce({ body: "a PH b PH", headers: [["link", 'nonce="PH"']] }, "PH", "N1");
    expect(copy).toEqual({ body: "a N1 b N1", headers: [["link", 'nonce="N1"']] });
  });
});

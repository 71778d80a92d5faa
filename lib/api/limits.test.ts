import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as unknownRoute from "@/app/api/v1/[...path]/route";
import * as offeringRoute from "@/app/api/v1/offerings/[slug]/route";
import * as openapiRoute from "@/app/api/v1/openapi.json/route";
import { getDb } from "@/db/client";
import { DEMO_OFFERING_SLUG, seedIfEmpty } from "@/db/seed";
import { setTestSettings } from "@/test/settings";

// Three requests a minute per client; the client is the address the one trusted proxy saw.
setTestSettings({ API_LIMIT_PER_MINUTE: "3", TRUSTED_PROXY_HOPS: "1" });

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
const offering = offeringRoute.GET as Handler;
const openapi = openapiRoute.GET as Handler;
const unknown = unknownRoute.GET as Handler;

const from = (ip: string, headers: Record<string, string> = {}) => ({ headers: { "x-forwarded-for": `203.0.113.99, ${ip}`, ...headers } });
const slug = { params: Promise.resolve({ slug: DEMO_OFFERING_SLUG }) };
const none = { params: Promise.resolve({}) };

beforeAll(async () => {
  await seedIfEmpty(getDb());
  // Ten seconds into a fixed minute, so that the window does not turn over during the test.
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2031-05-01T03:00:10Z"));
});

afterAll(() => {
  vi.useRealTimers();
});

describe("the rate limit per client", () => {
  it("answers 429 with Retry-After after the limit, counting every route, while other clients go on", async () => {
    const url = `http://localhost/api/v1/offerings/${DEMO_OFFERING_SLUG}`;
    expect((await offering(new Request(url, from("198.51.100.1")), slug)).status).toBe(200);
    expect((await openapi(new Request("http://localhost/api/v1/openapi.json", from("198.51.100.1")), none)).status).toBe(200);
    expect((await unknown(new Request("http://localhost/api/v1/nothing", from("198.51.100.1")), none)).status).toBe(404);
    const limited = await offering(new Request(url, from("198.51.100.1")), slug);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("50");
    expect(limited.headers.get("cache-control")).toBe("no-store");
    expect(await limited.json()).toMatchObject({ error: { code: "rate_limited" } });
    // The address left of the trusted hop is the client's own claim and changes nothing.
    expect((await offering(new Request(url, { headers: { "x-forwarded-for": "10.0.0.1, 198.51.100.1" } }), slug)).status).toBe(429);
    expect((await offering(new Request(url, from("198.51.100.2")), slug)).status).toBe(200);
    // The next minute is a new window.
    vi.setSystemTime(new Date("2031-05-01T03:01:00Z"));
    expect((await offering(new Request(url, from("198.51.100.1")), slug)).status).toBe(200);
  });
});

describe("HTTP behaviour", () => {
  it("answers 304 to a request that has the current ETag, and 200 again once the data changed", async () => {
    vi.setSystemTime(new Date("2031-05-01T04:00:00Z"));
    const url = `http://localhost/api/v1/offerings/${DEMO_OFFERING_SLUG}`;
    const first = await offering(new Request(url, from("198.51.100.3")), slug);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^W\/".+"$/);
    const again = await offering(new Request(url, from("198.51.100.3", { "if-none-match": etag })), slug);
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect(again.headers.get("cache-control")).toBe(first.headers.get("cache-control"));
    const { offerings } = await import("@/db/schema");
    const { eq, sql } = await import("drizzle-orm");
    await getDb()
      .update(offerings)
      .set({ reservedUnits: sql`${offerings.reservedUnits} + 1` })
      .where(eq(offerings.slug, DEMO_OFFERING_SLUG));
    const changed = await offering(new Request(url, from("198.51.100.3", { "if-none-match": etag })), slug);
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
  });

  it("lets any origin read it, answers a CORS preflight, and keeps its own strict content policy", async () => {
    const response = await offering(new Request(`http://localhost/api/v1/offerings/${DEMO_OFFERING_SLUG}`, from("198.51.100.4", { origin: "https://data.example.org" })), slug);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
    const preflight = offeringRoute.OPTIONS();
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-methods")).toBe("GET, HEAD, OPTIONS");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("If-None-Match");
  });

  it("answers JSON 404 for a path that is not a route of the API", async () => {
    const response = await unknown(new Request("http://localhost/api/v1/holders", from("198.51.100.5")), none);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: "not_found", message: "No such route" } });
  });
});

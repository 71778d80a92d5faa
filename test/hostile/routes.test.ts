import "@/test/session-mock";
import fc from "fast-check";
import { sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { configurePayments, WEBHOOK_SECRET } from "@/test/orders/harness";
import { as } from "@/test/session-mock";
import { fuzzParameters, hostileJson, hostileString, hugeString } from "./arbitraries";
import { discoverRoutes } from "./discover";
import { INVARIANTS_HOLD, ledgerInvariants } from "./invariants";
import { leaksIn } from "./leaks";
import { refusingChain } from "./no-chain";
import { ROUTES } from "./targets";
import { type Caller, hostileWorld, idsOf } from "./world";
import { hasUnstorableText } from "@/lib/payments/provider";

// Every route handler of app/ (test/hostile/targets.ts ROUTES), FUZZ_RUNS hostile requests each:
// never a 5xx, never a stack trace, SQL or the caller's markup in the answer; then the ledger invariants.

// Auth.js itself does not load under vitest (it needs Next's module resolution, as test/authz notes):
// its endpoints answer here, so what is fuzzed is the portal's wrapper (app/api/auth/[...nextauth]/route.ts).
vi.mock("@/lib/auth/index", () => ({
  handlers: { GET: async () => Response.json({}), POST: async () => Response.json({}) },
  auth: async () => null,
  signIn: async () => {},
  signOut: async () => {},
}));

await configurePayments();
const chain = await refusingChain();
// The open API's per-client limit would answer most cases 429 before they reach a query.
process.env.API_LIMIT_PER_MINUTE = "100000000";
const routes = (await discoverRoutes()).filter((route) => !process.env.FUZZ_ONLY || route.key.includes(process.env.FUZZ_ONLY));
const CALLERS: Caller[] = ["anonymous", "investor", "otherInvestor", "staffOfOtherIssuer", "staffOfIssuer", "admin"];
const stripe = new Stripe("sk_test_x");
const EVENT_TYPES = [
  "checkout.session.completed",
  "checkout.session.expired",
  "charge.refunded",
  "charge.dispute.created",
  "payment_intent.succeeded",
  "payment_intent.payment_failed",
  "customer.created",
];

let world: Awaited<ReturnType<typeof hostileWorld>>;
let pools: Record<string, string[]>;
let slugs: Record<string, string[]>;

/** A path segment as a browser would send it; lone surrogates (which encodeURIComponent refuses) as raw bytes. */
const segment = (value: string) => value.replace(/[\uD800-\uDFFF]/g, "\uFFFD");

// Stripe's own text never holds U+0000 or a lone surrogate (which PostgreSQL text and jsonb cannot
// store), but a correctly signed event that did must still be refused with a 400, never a 500.
const stripeAmount = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(null, true, "1000", "-1"), hostileString);

/** A Stripe-shaped event with hostile leaves, naming the world's orders: what a correctly signed sender could still send. */
const hostileEvent = fc.record({
  id: fc.oneof({ arbitrary: fc.stringMatching(/^evt_[A-Za-z0-9]{8,24}$/), weight: 4 }, { arbitrary: hostileString, weight: 1 }),
  object: fc.constant("event"),
  type: fc.oneof(fc.constantFrom(...EVENT_TYPES), fc.stringMatching(/^[a-z_]{1,12}\.[a-z_.]{1,24}$/)),
  created: fc.oneof(fc.constant(Math.floor(Date.now() / 1000)), fc.integer()),
  data: fc.record({
    object: fc.record({ id: hostileString, object: hostileString, amount: stripeAmount, amount_total: stripeAmount, metadata: fc.record({ orderId: fc.oneof(fc.constant("ORDER"), hostileString) }) }),
  }),
});

/** The body and headers of a webhook delivery: unsigned, forged, stale, or signed with hostile content. */
function webhookBody() {
  return fc
    .oneof(
      fc.tuple(
        fc.oneof(
          hostileJson.map((value) => JSON.stringify(value) ?? ""),
          hostileString,
        ),
        fc.constantFrom("none", "garbage", "wrongSecret", "stale"),
      ),
      fc.tuple(
        hostileEvent.map((event) => JSON.stringify(event).replace('"ORDER"', JSON.stringify(world.orderB))),
        fc.constantFrom("signed", "wrongSecret", "stale"),
      ),
    )
    .map(([payload, signing]) => {
      const headers: Record<string, string> = { "content-type": "application/json" };
      const stale = Math.floor(Date.now() / 1000) - 3600;
      if (signing === "garbage") headers["stripe-signature"] = "t=1,v1=deadbeef";
      if (signing === "wrongSecret") headers["stripe-signature"] = stripe.webhooks.generateTestHeaderString({ payload, secret: "whsec_forged" });
      if (signing === "stale") headers["stripe-signature"] = stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET, timestamp: stale });
      if (signing === "signed") headers["stripe-signature"] = stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
      return { payload, headers, signed: signing === "signed" };
    });
}

function bodyOf(kind: "json" | "webhook" | "any" | undefined) {
  if (kind === "webhook") return webhookBody();
  if (!kind) return fc.constant(null);
  const payload = fc.oneof(
    hostileJson.map((value) => JSON.stringify(value) ?? "null"),
    hostileString,
    hugeString,
  );
  const contentType = fc.constantFrom("application/json", "application/x-www-form-urlencoded", "text/plain", "application/json; charset=utf-16", "multipart/form-data; boundary=x");
  return fc.tuple(payload, contentType).map(([text, type]) => ({ payload: text, headers: { "content-type": type } as Record<string, string>, signed: false }));
}

/** A value for a path parameter: one of the world's ids or slugs (other people's things), or hostile. */
function paramValue(name: string, table: string | undefined) {
  const known = name === "slug" ? (slugs[table ?? ""] ?? []) : table ? (pools[table] ?? []) : name === "year" ? ["2026", "2025", "0", "-1", "99999"] : [];
  return fc.oneof({ weight: known.length ? 2 : 0, arbitrary: known.length ? fc.constantFrom(...known) : fc.constant("x") }, { weight: 3, arbitrary: hostileString });
}

type Found = Awaited<ReturnType<typeof discoverRoutes>>[number];

function requestCase(route: Found) {
  const entry = ROUTES[route.key]!;
  const names = [...route.urlPattern.matchAll(/\[(\.\.\.)?(\w+)\]/g)].map((match) => ({ name: match[2]!, catchAll: Boolean(match[1]) }));
  const params = fc.tuple(
    ...names.map(({ name, catchAll }) =>
      catchAll
        ? fc.array(
            hostileString.filter((part) => part.length < 300),
            { minLength: 1, maxLength: 3 },
          )
        : paramValue(name, entry.params?.[name]),
    ),
  );
  const query = fc.dictionary(
    fc.oneof(
      fc.constantFrom("lang", "limit", "cursor", "q", "status", "offering", "callbackUrl", "kind"),
      hostileString.filter((key) => key.length < 100),
    ),
    hostileString,
    { maxKeys: 3 },
  );
  const headers = fc.dictionary(
    fc.constantFrom("if-none-match", "x-forwarded-for", "origin", "accept", "accept-language", "cookie"),
    hostileString.filter((value) => value.length < 2000),
    { maxKeys: 2 },
  );
  return fc.record({ caller: fc.constantFrom(...CALLERS), params, query, headers, body: bodyOf(entry.body) }).map(({ caller, params: values, query: search, headers: extra, body }) => {
    const context = Object.fromEntries(names.map(({ name }, index) => [name, values[index]]));
    const path = route.urlPattern.replace(/\[(\.\.\.)?(\w+)\]/g, (_match, _dots, name: string) => {
      const value = context[name] as string | string[];
      return (Array.isArray(value) ? value : [value]).map((part) => encodeURIComponent(segment(part))).join("/");
    });
    const url = new URL(`http://localhost:3000${path}`);
    for (const [key, value] of Object.entries(search)) url.searchParams.append(key, value);
    // Headers must be ISO-8859-1: a client can only send bytes, so the rest is dropped the way a proxy would.
    const safeHeaders = Object.fromEntries(Object.entries(extra).filter(([, value]) => /^[\t\x20-\x7e\x80-\xff]*$/.test(value)));
    return { caller, context, url, headers: { ...safeHeaders, ...(body?.headers ?? {}) }, payload: body?.payload ?? null, signed: body?.signed ?? false };
  });
}

const TEXTUAL = /json|text|xml|csv|html/;

beforeAll(async () => {
  world = await hostileWorld();
  pools = {};
  for (const table of new Set(Object.values(ROUTES).flatMap((entry) => Object.values(entry.params ?? {})))) pools[table] = await idsOf(table);
  slugs = {};
  for (const table of ["villages", "offerings", "projects"]) {
    slugs[table] = (await getDb().execute<{ slug: string }>(sql`select slug from ${sql.identifier(table)} order by slug`)).map((row) => row.slug);
  }
  vi.spyOn(console, "error").mockImplementation(() => {});
  vi.spyOn(console, "warn").mockImplementation(() => {});
});
afterAll(async () => {
  vi.restoreAllMocks();
  await chain.stop();
});

describe("hostile requests to every route handler", () => {
  it("start from a ledger whose invariants hold", async () => {
    expect(await ledgerInvariants()).toEqual(INVARIANTS_HOLD);
  });

  for (const route of routes) {
    it(`${route.key}: never a 5xx, nothing leaked`, { timeout: 300_000 }, async () => {
      const entry = ROUTES[route.key];
      expect(entry, `no fuzz entry for ${route.key}`).toBeDefined();
      const property = fc.asyncProperty(requestCase(route), async (request) => {
        as.user = world.callers[request.caller];
        const hasBody = request.payload !== null && !["GET", "HEAD"].includes(route.name);
        const init = { method: route.name, headers: request.headers, ...(hasBody ? { body: request.payload } : {}) };
        let response: Response;
        try {
          response = await route.handler(new NextRequest(request.url, init), { params: Promise.resolve(request.context) });
        } catch (error) {
          // Next.js turns a thrown handler into a 500.
          throw new Error(`threw (a 500): ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
        }
        const type = response.headers.get("content-type") ?? "";
        const text = TEXTUAL.test(type) || !type ? await response.text() : "";
        // The webhook's 503 asks Stripe to deliver again once the payment it names exists: only ever for a correctly signed event.
        const retry = route.key.startsWith("api/stripe/webhook") && response.status === 503 && request.signed && text.includes("retry");
        expect(response.status < 500 || retry, `${response.status} ${text.slice(0, 300)}`).toBe(true);
        if (route.key.startsWith("api/stripe/webhook") && !request.signed) expect([400, 413]).toContain(response.status);
        if (route.key.startsWith("api/stripe/webhook") && request.signed && hasUnstorableText(JSON.parse(request.payload ?? "null"))) expect([400, 413]).toContain(response.status);
        expect(leaksIn(text), text.slice(0, 300)).toEqual([]);
        if (type.includes("json") && text) expect(() => JSON.parse(text)).not.toThrow();
      });
      await fc.assert(property, fuzzParameters());
    });
  }

  it("leave the ledger invariants holding", async () => {
    expect(await ledgerInvariants()).toEqual(INVARIANTS_HOLD);
  });
});

import type { World, Who } from "./world";

/**
 * The authorisation matrix: one entry per page, route handler (per method) and server action, each
 * with the rule it follows. The six callers' expectations derive from the rule; `expect` overrides
 * one caller where the rule is not the whole truth (say why in `note`).
 *
 * Outcomes: allow (renders / answers / the action's authorisation passed), signIn (pages: a redirect
 * to sign-in; routes: 401; actions: "sign in first"), forbidden (403 / "not allowed"), notFound (404 /
 * the action's answer for a thing that does not exist: a stranger learns nothing).
 */

export type Outcome = "allow" | "signIn" | "forbidden" | "notFound";
export type Rule = "public" | "signedIn" | "owner" | "ownerOrStaff" | "issuerStaff" | "staffAny" | "admin";

const RULES: Record<Rule, Record<Who, Outcome>> = {
  public: { anonymous: "allow", investor: "allow", otherInvestor: "allow", staffThis: "allow", staffOther: "allow", admin: "allow" },
  signedIn: { anonymous: "signIn", investor: "allow", otherInvestor: "allow", staffThis: "allow", staffOther: "allow", admin: "allow" },
  /** The investor's own thing: to anyone else, staff and admins included, it does not exist. */
  owner: { anonymous: "signIn", investor: "allow", otherInvestor: "notFound", staffThis: "notFound", staffOther: "notFound", admin: "notFound" },
  ownerOrStaff: { anonymous: "signIn", investor: "allow", otherInvestor: "notFound", staffThis: "allow", staffOther: "allow", admin: "allow" },
  /** An issuer's thing: its staff and admins; another issuer's staff learn nothing. */
  issuerStaff: { anonymous: "signIn", investor: "forbidden", otherInvestor: "forbidden", staffThis: "allow", staffOther: "notFound", admin: "allow" },
  /** Any staff member, each seeing only what their issuers own (or what belongs to no issuer). */
  staffAny: { anonymous: "signIn", investor: "forbidden", otherInvestor: "forbidden", staffThis: "allow", staffOther: "allow", admin: "allow" },
  admin: { anonymous: "signIn", investor: "forbidden", otherInvestor: "forbidden", staffThis: "forbidden", staffOther: "forbidden", admin: "allow" },
};

type Base = { rule: Rule; expect?: Partial<Record<Who, Outcome>>; note?: string };
export type PageRule = Base & { params?: (w: World) => Record<string, string>; search?: (w: World) => Record<string, string> };
export type RouteRule = Base & {
  params?: (w: World) => Record<string, string | string[]>;
  /** The request's URL path and query when it is not the route's own path with its params filled in. */
  url?: (w: World) => string;
  init?: (w: World) => { method?: string; headers?: Record<string, string>; body?: string };
};

export function expected(entry: Base, who: Who): Outcome {
  return entry.expect?.[who] ?? RULES[entry.rule][who];
}

const offering = (w: World) => ({ id: w.offering.id });
const bond = (w: World) => ({ id: w.bond.id });
const token = { token: "x".repeat(43) };

export const PAGES: Record<string, PageRule> = {
  "/": { rule: "public" },
  "/issuers": { rule: "public" },
  "/issuers/[slug]": { rule: "public", params: () => ({ slug: "umibe" }) },
  "/offerings/[slug]": { rule: "public", params: (w) => ({ slug: w.offering.slug }) },
  "/projects": { rule: "public" },
  "/projects/[slug]": { rule: "public", params: (w) => ({ slug: w.project.slug }) },
  "/votes": { rule: "public" },
  "/votes/[id]": { rule: "public", params: (w) => ({ id: w.vote.id }) },
  "/transparency": { rule: "public" },
  "/explorer/address/[address]": { rule: "public", params: (w) => ({ address: w.custodialAddress }) },
  "/explorer/tx/[hash]": { rule: "public", params: () => ({ hash: `0x${"ab".repeat(32)}` }) },
  "/sign-in": { rule: "public", note: "a signed-in visitor is sent on to where they were going" },
  "/sign-in/check-email": { rule: "public" },
  "/sign-in/confirm": { rule: "public", search: () => ({ token: "x".repeat(64), email: "a@example.jp" }) },
  "/sign-in/error": { rule: "public" },
  "/dev/mailbox": { rule: "public", note: "demo mode only (live mode: 404 to all, checked in its own test)" },
  "/account/confirm-email": { rule: "public", search: () => token, note: "the emailed token is the credential" },
  "/account/cancel-email-change": { rule: "public", search: () => token, note: "the emailed token is the credential" },

  "/dashboard": { rule: "signedIn" },
  "/account": { rule: "signedIn" },
  "/account/income": { rule: "signedIn" },
  "/account/payout": { rule: "signedIn" },
  "/account/wallets": { rule: "signedIn" },
  "/account/wallets/withdraw": { rule: "signedIn" },
  "/account/wallets/withdraw/[id]": { rule: "owner", params: (w) => ({ id: w.withdrawal.id }) },
  "/notifications": { rule: "signedIn" },
  "/onboarding": { rule: "signedIn" },
  "/onboarding/profile": { rule: "signedIn" },
  "/onboarding/suitability": { rule: "signedIn" },
  "/onboarding/disclosures": { rule: "signedIn" },
  "/onboarding/identity": { rule: "signedIn" },
  "/orders": { rule: "signedIn" },
  "/orders/[id]": { rule: "owner", params: (w) => ({ id: w.order.id }), expect: { staffThis: "allow", admin: "allow" }, note: "the issuer's staff follow an order too" },
  "/perks": { rule: "signedIn" },
  "/perks/[id]": { rule: "signedIn", params: (w) => ({ id: w.perk.id }), note: "a perk is public to holders; whether one may claim is shown, not hidden" },

  "/staff": { rule: "staffAny" },
  "/staff/audit": { rule: "staffAny" },
  "/staff/orders": { rule: "staffAny" },
  "/staff/payments": { rule: "staffAny" },
  "/staff/projects": { rule: "staffAny" },
  "/staff/projects/new": { rule: "staffAny" },
  "/staff/projects/[id]": { rule: "issuerStaff", params: (w) => ({ id: w.project.id }) },
  "/staff/projects/[id]/updates/new": { rule: "issuerStaff", params: (w) => ({ id: w.project.id }) },
  "/staff/projects/[id]/updates/[updateId]": { rule: "issuerStaff", params: (w) => ({ id: w.project.id, updateId: w.update.id }) },
  "/staff/register": { rule: "staffAny" },
  "/staff/reviews": { rule: "staffAny" },
  "/staff/reviews/[id]": { rule: "staffAny", params: (w) => ({ id: w.pendingDoc.id }), note: "identity checks belong to no issuer: any staff member reviews them" },
  "/staff/reviews/changes/[id]": { rule: "staffAny", params: (w) => ({ id: w.change.id }), note: "as identity checks" },
  "/staff/offerings": { rule: "staffAny" },
  "/staff/offerings/new": { rule: "staffAny" },
  "/staff/offerings/[id]": { rule: "issuerStaff", params: offering },
  "/staff/offerings/[id]/chain": { rule: "issuerStaff", params: offering },
  "/staff/offerings/[id]/settlement": { rule: "issuerStaff", params: offering },
  "/staff/offerings/[id]/wallets": { rule: "issuerStaff", params: offering },
  "/staff/offerings/[id]/perks": { rule: "issuerStaff", params: offering },
  "/staff/offerings/[id]/perks/[perkId]": { rule: "issuerStaff", params: (w) => ({ id: w.offering.id, perkId: w.perk.id }) },
  "/staff/offerings/[id]/votes": { rule: "issuerStaff", params: offering },
  "/staff/offerings/[id]/votes/[voteId]": { rule: "issuerStaff", params: (w) => ({ id: w.offering.id, voteId: w.vote.id }) },
  "/staff/offerings/[id]/coupons": { rule: "issuerStaff", params: bond },
  "/staff/offerings/[id]/coupons/[runId]": { rule: "issuerStaff", params: (w) => ({ id: w.bond.id, runId: w.run.id }) },
  "/staff/admin/issuers": { rule: "admin" },
  "/staff/admin/issuers/new": { rule: "admin" },
  "/staff/admin/issuers/[id]": { rule: "admin", params: (w) => ({ id: w.issuerId }) },
};

function everyone(outcome: Outcome): Record<Who, Outcome> {
  return { anonymous: outcome, investor: outcome, otherInvestor: outcome, staffThis: outcome, staffOther: outcome, admin: outcome };
}

// Making a report needs the card processor and the chain; the routes' scope is the settlement page's (offeringForStaff).
const NO_REPORT = "weak: this world has no report, so the issuer's staff get 404 too";
const publicApi: RouteRule = { rule: "public" };
const demoMethod: RouteRule = { rule: "public", note: "demo-only route: methods it does not take answer 405 to everyone" };

export const ROUTES: Record<string, RouteRule> = {
  "GET /favicon.ico": publicApi,
  "GET /feed.xml": publicApi,
  "GET /api/health": publicApi,
  "GET /api/auth/[...nextauth]": { rule: "public", params: () => ({ nextauth: ["providers"] }), url: () => "/api/auth/providers" },
  "POST /api/auth/[...nextauth]": {
    rule: "public",
    params: () => ({ nextauth: ["signin", "email"] }),
    url: () => "/api/auth/signin/email",
    expect: everyone("forbidden"),
    note: "sign-in mail only through the rate-limited action: a direct POST is 403 to all",
  },
  "POST /api/stripe/webhook": { rule: "public", init: () => ({ method: "POST", body: "{}" }), note: "trusts the Stripe signature, never a session: unsigned is 400 to all" },
  "GET /api/images/[id]": {
    rule: "issuerStaff",
    params: (w) => ({ id: w.receiptId }),
    expect: { anonymous: "notFound", investor: "notFound", otherInvestor: "notFound" },
    note: "a receipt: public route, so to non-staff it does not exist",
  },
  "GET /api/identity-documents/[id]": { rule: "ownerOrStaff", params: (w) => ({ id: w.idDoc.id }), note: "identity checks belong to no issuer: any staff member reviews them" },
  "GET /account/income/notices/[paymentId]/pdf": { rule: "owner", params: (w) => ({ paymentId: w.noticed.id }) },
  "GET /account/income/statements/[year]/csv": { rule: "signedIn", params: () => ({ year: "2025" }), note: "always the caller's own statement" },
  "GET /account/income/statements/[year]/pdf": { rule: "signedIn", params: () => ({ year: "2025" }), note: "always the caller's own statement" },
  "GET /staff/orders/export": { rule: "staffAny" },
  "GET /staff/register/export": { rule: "staffAny" },
  "GET /staff/offerings/[id]/settlement/csv": { rule: "issuerStaff", params: offering, expect: { staffThis: "notFound", admin: "notFound" }, note: NO_REPORT },
  "GET /staff/offerings/[id]/settlement/pdf": { rule: "issuerStaff", params: offering, expect: { staffThis: "notFound", admin: "notFound" }, note: NO_REPORT },
  "GET /staff/offerings/[id]/perks/[perkId]/packing-list": { rule: "issuerStaff", params: (w) => ({ id: w.offering.id, perkId: w.perk.id }) },
  "GET /staff/offerings/[id]/coupons/[runId]/file": { rule: "issuerStaff", params: (w) => ({ id: w.bond.id, runId: w.run.id }) },
  "POST /api/dev/stablecoin-faucet": {
    rule: "owner",
    note: "to one of the caller's own linked wallets only (the chain is not running here: the owner gets 503)",
    init: (w) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ address: w.link.address }) }),
  },
  ...Object.fromEntries(["GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"].map((method) => [`${method} /api/dev/stablecoin-faucet`, demoMethod])),
  ...Object.fromEntries(["GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"].map((method) => [`${method} /staff/register/demo-holding`, demoMethod])),
  "POST /staff/register/demo-holding": { rule: "staffAny", note: "demo-only" },
  ...Object.fromEntries(
    [
      ["/api/v1/[...path]", { path: ["nothing"] }],
      ["/api/v1/openapi.json", {}],
      ["/api/v1/issuers", {}],
      ["/api/v1/issuers/[slug]", { slug: "umibe" }],
      ["/api/v1/offerings", {}],
      ["/api/v1/offerings/[slug]", { slug: "umibe-harbour-token" }],
      ["/api/v1/projects", {}],
      ["/api/v1/projects/[slug]", { slug: "PROJECT" }],
      ["/api/v1/projects/[slug]/spending", { slug: "PROJECT" }],
      ["/api/v1/projects/[slug]/updates", { slug: "PROJECT" }],
    ].flatMap(([path, params]) =>
      ["GET", "OPTIONS"].map((method) => [
        `${method} ${path}`,
        {
          rule: "public",
          ...(path === "/api/v1/[...path]" && method === "GET" ? { expect: everyone("notFound"), note: "an unknown API path is 404 to all" } : {}),
          params: (w: World) => Object.fromEntries(Object.entries(params as Record<string, string | string[]>).map(([key, value]) => [key, value === "PROJECT" ? w.project.slug : value])),
        } satisfies RouteRule,
      ]),
    ),
  ),
};

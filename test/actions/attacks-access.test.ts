import { count, eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { as, form, run } from "@/test/session-mock";
import { makeUser } from "@/test/fixtures";
import { PNG_1x1 } from "@/test/images";
import { getDb } from "@/db/client";
import { DEMO_OFFERING_SLUG } from "@/db/seed";
import { auditLog, issuerStaff, offerings, orders, projectSpending, users, type Offering, type Project } from "@/db/schema";
import * as adminActions from "@/app/(staff)/staff/admin/issuers/actions";
import { revokeStaffAction } from "@/app/(staff)/staff/admin/issuers/actions";
import * as offeringActions from "@/app/(staff)/staff/offerings/actions";
import * as settlementActions from "@/app/(staff)/staff/offerings/[id]/settlement/actions";
import { GET as settlementCsv } from "@/app/(staff)/staff/offerings/[id]/settlement/csv/route";
import { GET as settlementPdf } from "@/app/(staff)/staff/offerings/[id]/settlement/pdf/route";
import * as chainActions from "@/app/(staff)/staff/offerings/[id]/chain/actions";
import { setOfferingStatusAction } from "@/app/(staff)/staff/offerings/actions";
import { refundOrderAction } from "@/app/(staff)/staff/orders/actions";
import { GET as exportOrders } from "@/app/(staff)/staff/orders/export/route";
import { recordSpendingAction } from "@/app/(staff)/staff/projects/actions";
import * as issuerRoute from "@/app/api/v1/issuers/[slug]/route";
import * as issuersRoute from "@/app/api/v1/issuers/route";
import * as offeringRoute from "@/app/api/v1/offerings/[slug]/route";
import * as offeringsRoute from "@/app/api/v1/offerings/route";
import * as projectRoute from "@/app/api/v1/projects/[slug]/route";
import * as spendingRoute from "@/app/api/v1/projects/[slug]/spending/route";
import * as updatesRoute from "@/app/api/v1/projects/[slug]/updates/route";
import { GET as getImage } from "@/app/api/images/[id]/route";
import type { SessionUser } from "@/lib/auth/roles";

import { setTestSettings } from "@/test/settings";
import { translator } from "@/lib/i18n/catalog";
import { reportCsv } from "@/lib/settlement/csv";
import type { Figures } from "@/lib/settlement/figures";
import { offeringById, TOKEN_A, twoIssuerWorld } from "./attack-world";

// Review of issue 11 as an attacker: each test names the hole it proves closed (or the path
// checked sound). Issuer A is Nishimori, issuer B is Umibe (the seed's two issuers).

setTestSettings({ API_LIMIT_PER_MINUTE: "100000" });

const db = () => getDb();

let staffA: SessionUser;
let colleagueA: SessionUser;
let staffB: SessionUser;
let admin: SessionUser;
let offeringA: Offering;
let offeringB: Offering;
let projectA: Project;

const auditCount = async () => (await db().select({ n: count() }).from(auditLog))[0]!.n;

beforeAll(async () => {
  ({ staffA, colleagueA, staffB, admin, offeringA, offeringB, projectA } = await twoIssuerWorld());
});
beforeEach(() => {
  as.locale = "ja";
});

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
const api = (module: { GET: unknown }, path: string, params: Record<string, string> = {}) =>
  (module.GET as Handler)(new Request(`http://localhost/api/v1${path}`), { params: Promise.resolve(params) });
const cursor = (position: unknown) => Buffer.from(JSON.stringify(position)).toString("base64url");

describe("roles", () => {
  it("sound: an investor is refused every new staff action and route, staff every admin action, before any input is read; nothing changes", async () => {
    type Action = (state: unknown, data: FormData) => Promise<unknown>;
    const staffOnly = { ...chainActions, ...offeringActions, ...settlementActions } as unknown as Record<string, Action>;
    const adminOnly = adminActions as unknown as Record<string, Action>;
    const audits = await auditCount();
    const forbidden = { status: "error", message: "この操作を行う権限がありません。" };
    // The ids are another issuer's, so that a missing role check could not pass unnoticed.
    const data = () => form({ offeringId: offeringB.id, issuerId: offeringB.villageId, userId: staffB.id, email: staffB.email, status: "closed", revision: "1" });
    as.user = await makeUser();
    for (const [name, action] of Object.entries({ ...staffOnly, ...adminOnly })) expect(await run(action, data()), name).toEqual(forbidden);
    as.user = staffB;
    for (const [name, action] of Object.entries(adminOnly)) expect(await run(action, data()), name).toEqual(forbidden);
    expect(await auditCount()).toBe(audits);
    expect((await offeringById(offeringB.id)).status).toBe(offeringB.status);

    as.user = await makeUser();
    const params = { params: Promise.resolve({ id: offeringB.id }) };
    expect((await exportOrders(new Request("http://localhost/staff/orders/export"))).status).toBe(403);
    expect((await settlementCsv(new Request("http://localhost/x"), params)).status).toBe(403);
    expect((await settlementPdf(new Request("http://localhost/x"), params)).status).toBe(403);
    as.user = null;
    expect((await exportOrders(new Request("http://localhost/staff/orders/export"))).status).toBe(401);
  });
});

describe("open data API: tampered input answers 400/404 JSON, never a 500", () => {
  it("a cursor whose time does not fit PostgreSQL's bigint is a bad cursor (was: unhandled 'out of range for type bigint')", async () => {
    for (const [module, path] of [
      [offeringsRoute, "/offerings"],
      [updatesRoute, "/projects/forest-thinning/updates"],
      [spendingRoute, "/projects/forest-thinning/spending"],
    ] as const) {
      const response = await api(module, `${path}?cursor=${cursor({ t: "9999999999999999999", k: "a" })}`, path.includes("forest") ? { slug: "forest-thinning" } : {});
      expect(response.status, path).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: "bad_request", issues: [{ parameter: "cursor" }] } });
    }
  });

  it("a cursor key with a NUL byte (or other characters no key has) is a bad cursor (was: unhandled 'invalid byte sequence')", async () => {
    for (const k of ["a\u0000b", "x' or '1'='1"]) {
      for (const [module, path, position] of [
        [issuersRoute, "/issuers", { k }],
        [offeringsRoute, "/offerings", { t: "1", k }],
      ] as const) {
        const response = await api(module, `${path}?cursor=${cursor(position)}`);
        expect(response.status, `${path} ${JSON.stringify(k)}`).toBe(400);
        expect((await response.json()).error.code).toBe("bad_request");
      }
    }
  });

  it("a path slug with a NUL byte or other characters no slug has names nothing: 404 JSON (was: unhandled database error)", async () => {
    for (const slug of ["a\u0000b", "Forest-Thinning", "x".repeat(5000)]) {
      for (const [module, path] of [
        [issuerRoute, "/issuers/"],
        [offeringRoute, "/offerings/"],
        [projectRoute, "/projects/"],
        [updatesRoute, "/projects/"],
        [spendingRoute, "/projects/"],
      ] as const) {
        const response = await api(module, `${path}${encodeURIComponent(slug)}`, { slug });
        expect(response.status, `${path} ${slug.slice(0, 20)}`).toBe(404);
        expect((await response.json()).error.code).toBe("not_found");
      }
    }
  });

  it("sound: huge or negative limits and unknown statuses are 400; a draft offering is not found; real slugs still answer", async () => {
    for (const query of ["?limit=100000", "?limit=-1", "?limit=1e400", "?status=draft", "?cursor="]) {
      expect((await api(offeringsRoute, `/offerings${query}`)).status, query).toBe(400);
    }
    const [draft] = await db()
      .insert(offerings)
      .values({ ...offeringA, id: undefined, slug: "attack-secret-draft", tokenSymbol: "ASD", status: "draft", soldUnits: 0, reservedUnits: 0, chainId: null, tokenAddress: null })
      .returning();
    expect((await api(offeringRoute, `/offerings/${draft!.slug}`, { slug: draft!.slug })).status).toBe(404);
    expect(JSON.stringify(await (await api(offeringsRoute, "/offerings?limit=100")).json())).not.toContain("attack-secret-draft");
    expect((await api(offeringRoute, `/offerings/${DEMO_OFFERING_SLUG}`, { slug: DEMO_OFFERING_SLUG })).status).toBe(200);
    const first = await (await api(offeringsRoute, "/offerings?limit=1")).json();
    expect((await api(offeringsRoute, `/offerings?limit=1&cursor=${first.nextCursor}`)).status).toBe(200);
  });
});

describe("staff revoked from an issuer mid-session", () => {
  it("no longer see the issuer's receipts they uploaded themselves (was: the uploader kept access after the revoke)", async () => {
    const member = await makeUser("staff");
    await db()
      .insert(issuerStaff)
      .values([
        { issuerId: offeringA.villageId, userId: member.id },
        { issuerId: offeringB.villageId, userId: member.id },
      ]);
    as.user = member;
    const recorded = await run(
      recordSpendingAction,
      form({ projectId: projectA.id, spentOn: "2026-11-02", amountYen: "7000", descriptionJa: "領収書", descriptionEn: "Receipt", receipt: new File([PNG_1x1], "r.png") }),
    );
    expect(recorded).toMatchObject({ status: "ok" });
    const [spending] = await db().select().from(projectSpending).where(eq(projectSpending.recordedBy, member.id));
    const view = async () => (await getImage(new Request("http://localhost"), { params: Promise.resolve({ id: spending!.receiptImageId! }) })).status;
    expect(await view()).toBe(200);

    as.user = admin;
    expect(await run(revokeStaffAction, form({ issuerId: offeringA.villageId, userId: member.id }))).toMatchObject({ status: "ok" });
    // Still staff (of Umibe), signed in with the same session: Nishimori's receipt is gone at once.
    as.user = member;
    expect(await view()).toBe(404);
    // Nishimori's staff still see it.
    as.user = colleagueA;
    expect(await view()).toBe(200);
  });

  it("sound: every action and export of the issuer is refused at once, in the reader's language, and nothing changes", async () => {
    const member = await makeUser("staff");
    await db()
      .insert(issuerStaff)
      .values([
        { issuerId: offeringA.villageId, userId: member.id },
        { issuerId: offeringB.villageId, userId: member.id },
      ]);
    const buyer = await makeUser();
    const [{ id: orderA }] = (await db()
      .insert(orders)
      .values({ userId: buyer.id, offeringId: offeringA.id, units: 1, amountYen: 1_000, status: "paid", reservationExpiresAt: new Date() })
      .returning({ id: orders.id })) as [{ id: string }];
    as.user = admin;
    expect(await run(revokeStaffAction, form({ issuerId: offeringA.villageId, userId: member.id }))).toMatchObject({ status: "ok" });

    as.user = member;
    const before = { offering: await offeringById(offeringA.id), audits: await auditCount() };
    expect(await run(setOfferingStatusAction, form({ offeringId: offeringA.id, status: "paused" }))).toEqual({ status: "error", message: "オファリングが見つかりません。" });
    as.locale = "en";
    expect(await run(setOfferingStatusAction, form({ offeringId: offeringA.id, status: "closed" }))).toMatchObject({ status: "error", message: expect.stringMatching(/not found/i) });
    expect(await run(refundOrderAction, form({ orderId: orderA }))).toMatchObject({ status: "error" });
    const exported = await exportOrders(new Request("http://localhost/staff/orders/export"));
    expect(exported.status).toBe(200);
    expect(await exported.text()).not.toContain(orderA);
    expect(await offeringById(offeringA.id)).toEqual(before.offering);
    // The export itself is audited; nothing else was written.
    expect(await auditCount()).toBe(before.audits + 1);
  });
});

describe("issuer admin", () => {
  it("a membership to revoke is named by an account id (a uuid); anything else is invalid input, not a server error", async () => {
    as.user = admin;
    const audits = await auditCount();
    expect(await run(revokeStaffAction, form({ issuerId: offeringA.villageId, userId: "a\u0000b" }))).toMatchObject({ status: "invalid", fieldErrors: { userId: expect.any(String) } });
    expect(await auditCount()).toBe(audits);
  });
});

describe("staff orders search", () => {
  it("a control character (NUL) in the email filter is a bad filter: 400 with a message (was: unhandled database error)", async () => {
    as.user = staffA;
    const response = await exportOrders(new Request("http://localhost/staff/orders/export?email=a%00b"));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("検索条件を確認してください。");
  });
});

describe("CSV exports neutralise spreadsheet formulas in user-controlled text", () => {
  it("sound: the orders export prefixes emails that start with = + - @", async () => {
    const tricky = ["=1+2@evil.example", "+81@evil.example", "-2@evil.example", "@sum@evil.example"];
    for (const email of tricky) {
      const [user] = await db().insert(users).values({ email, role: "investor" }).returning();
      await db().insert(orders).values({ userId: user!.id, offeringId: offeringA.id, units: 1, amountYen: 1_000, status: "expired", reservationExpiresAt: new Date() });
    }
    as.user = staffA;
    const text = await (await exportOrders(new Request("http://localhost/staff/orders/export?email=evil.example"))).text();
    const cells = text
      .slice(1)
      .trimEnd()
      .split("\r\n")
      .slice(1)
      .map((line) => line.split(",")[2]);
    expect(cells.sort()).toEqual(tricky.map((email) => `'${email}`).sort());
  });

  it("sound: the settlement CSV uses the same escaping for issuer, offering and project names", () => {
    const figures = {
      format: 1,
      issuer: { id: "i", nameJa: "=cmd|' /C calc'!A0", nameEn: "x", prefectureJa: "岡山県", prefectureEn: "Okayama" },
      offering: {
        id: "o",
        slug: "s",
        nameJa: "+SUM(1)",
        nameEn: "x",
        tokenSymbol: "FOR",
        priceYen: 1_000,
        capUnits: 10,
        opensAt: "2026-01-05T00:00:00.000Z",
        closesAt: "2026-03-31T08:00:00.000Z",
        closedAt: "2026-03-31T08:00:00.000Z",
        status: "closed",
        chainId: 31337,
        tokenAddress: TOKEN_A,
      },
      sales: { paidOrders: 0, unitsSold: 0, refundedOrders: 0, unitsRefunded: 0, unitsAwaitingAllocation: 0, yenReceived: 0, yenRefunded: 0, paidOrdersYen: 0 },
      fees: { payments: 0, feeYen: 0, withoutProcessorRecord: 0 },
      netProceedsYen: 0,
      chain: { totalSupply: 0, allocatedUnits: 0, clawedBackUnits: 0, holders: 0, reconciliation: { status: "ok", supplyChain: 0, supplyDb: 0, holdersChecked: 0, mismatches: 0, error: null } },
      projects: [{ id: "p", slug: "p", titleJa: '=HYPERLINK("http://evil.example","x")', titleEn: "x", budgetYen: 1, allocatedYen: 0, spentYen: 0, remainingYen: 1 }],
      unallocatedYen: 0,
      preparedBy: "-1+1@evil.example",
      preparedAt: "2026-03-31T09:00:00.000Z",
    } as Figures;
    const csv = reportCsv(figures, { version: 1, createdAt: new Date(), createdBy: null }, translator("ja"), "ja");
    const cells = csv
      .slice(1)
      .split("\r\n")
      .flatMap((line) => line.match(/("([^"]|"")*"|[^,]*)/g) ?? [])
      .map((cell) => cell.replace(/^"|"$/g, ""));
    expect(cells.filter((cell) => /^[=+\-@]/.test(cell))).toEqual([]);
    expect(csv).toContain(`'=HYPERLINK(""http://evil.example"",""x"")`);
    expect(csv).toContain("'-1+1@evil.example");
  });
});

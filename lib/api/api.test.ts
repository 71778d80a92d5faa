import { readdirSync } from "node:fs";
import path from "node:path";
import { validate } from "@readme/openapi-parser";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as issuerRoute from "@/app/api/v1/issuers/[slug]/route";
import * as issuersRoute from "@/app/api/v1/issuers/route";
import * as offeringRoute from "@/app/api/v1/offerings/[slug]/route";
import * as offeringsRoute from "@/app/api/v1/offerings/route";
import * as openapiRoute from "@/app/api/v1/openapi.json/route";
import * as projectRoute from "@/app/api/v1/projects/[slug]/route";
import * as projectsRoute from "@/app/api/v1/projects/route";
import * as spendingRoute from "@/app/api/v1/projects/[slug]/spending/route";
import * as updatesRoute from "@/app/api/v1/projects/[slug]/updates/route";
import { getDb } from "@/db/client";
import { images, investorProfiles, ledgerEntries, offerings, orders, projectSpending, projects, projectUpdateImages, projectUpdates, reconciliations, users, villages, wallets } from "@/db/schema";
import { DEMO_BOND_SLUG, DEMO_OFFERING_SLUG, DEMO_OTHER_OFFERING_SLUG, DEMO_SECOND_STAFF_EMAIL, DEMO_STAFF_EMAIL, seedIfEmpty } from "@/db/seed";
import { updateOffering } from "@/lib/offerings/admin";
import { approveTerms } from "@/lib/offerings/launch";
import { setTestSettings } from "@/test/settings";

// A generous limit: this file is about shapes; lib/api/limits.test.ts is about the limit.
setTestSettings({ API_LIMIT_PER_MINUTE: "100000" });

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
const handler = (module: { GET: unknown }) => module.GET as Handler;

/** Every documented path, with its handler and the slug it is tried with. */
const ROUTES: Record<string, { GET: Handler; slug?: string }> = {
  "/issuers": { GET: handler(issuersRoute) },
  "/issuers/{slug}": { GET: handler(issuerRoute), slug: "nishimori" },
  "/offerings": { GET: handler(offeringsRoute) },
  "/offerings/{slug}": { GET: handler(offeringRoute), slug: DEMO_OFFERING_SLUG },
  "/projects": { GET: handler(projectsRoute) },
  "/projects/{slug}": { GET: handler(projectRoute), slug: "forest-thinning" },
  "/projects/{slug}/spending": { GET: handler(spendingRoute), slug: "forest-thinning" },
  "/projects/{slug}/updates": { GET: handler(updatesRoute), slug: "forest-thinning" },
};

async function get(template: string, query = "", slug = ROUTES[template]?.slug) {
  const url = `http://localhost/api/v1${template.replace("{slug}", slug ?? "")}${query}`;
  return ROUTES[template]!.GET(new Request(url), { params: Promise.resolve<Record<string, string>>(slug ? { slug } : {}) });
}

/** Someone who bought: none of this may ever appear in the API. */
const PRIVATE = {
  email: "hanako.hidden@example.jp",
  name: "Hanako Hiddenname",
  wallet: "0x9f8e7d6c5b4a39281706f5e4d3c2b1a098765432",
  family: "秘密山",
  phone: "090-8765-4321",
  street: "隠れ里9-8-7",
};
let investorId = "";
let document: Record<string, unknown>;
let ajv: Ajv2020;

async function seedPublicAndPrivateData() {
  const db = getDb();
  await seedIfEmpty(db);
  const [demo] = await db.select().from(offerings).where(eq(offerings.slug, DEMO_OFFERING_SLUG));
  const [investor] = await db.insert(users).values({ email: PRIVATE.email, name: PRIVATE.name, role: "investor" }).returning();
  investorId = investor!.id;
  await db.insert(investorProfiles).values({ userId: investorId, familyNameKanji: PRIVATE.family, givenNameKanji: "花子", phone: PRIVATE.phone, street: PRIVATE.street });
  await db.insert(wallets).values({ userId: investorId, address: PRIVATE.wallet, encryptedKey: "sealed", wrappedDataKey: "wrapped", masterKeyVersion: 1 });
  await db.update(offerings).set({ soldUnits: 3, chainId: 31337, tokenAddress: "0x000000000000000000000000000000000000c0de" }).where(eq(offerings.id, demo!.id));
  const [order] = await db.insert(orders).values({ userId: investorId, offeringId: demo!.id, units: 3, amountYen: 3_000, status: "allocated", reservationExpiresAt: new Date() }).returning();
  await db.insert(ledgerEntries).values([
    { kind: "yen_received", offeringId: demo!.id, orderId: order!.id, userId: investorId, yen: 3_000 },
    { kind: "tokens_allocated", offeringId: demo!.id, orderId: order!.id, userId: investorId, units: 3, detail: { to: PRIVATE.wallet } },
  ]);
  // The chain has one unit less than the ledger: the mismatch names the holder, which must stay private.
  await db.insert(reconciliations).values([
    { offeringId: demo!.id, status: "ok", supplyChain: 0, supplyDb: 0, holdersChecked: 0, at: new Date(Date.now() - 60_000) },
    { offeringId: demo!.id, status: "mismatch", supplyChain: 2, supplyDb: 3, holdersChecked: 1, mismatches: [{ offering: DEMO_OFFERING_SLUG, address: PRIVATE.wallet, chain: 2, db: 3 }] },
  ]);

  // Not public: a draft offering and its project, an unpublished and a future project, an unpublished update.
  const [village] = await db.select().from(villages).where(eq(villages.slug, "nishimori"));
  const [draft] = await db
    .insert(offerings)
    .values({ ...demo!, id: undefined, slug: "secret-draft-offering", tokenSymbol: "SDO", status: "draft", soldUnits: 0, reservedUnits: 0, chainId: null, tokenAddress: null, villageId: village!.id })
    .returning();
  const hidden = { titleJa: "非公開", titleEn: "Hidden", summaryJa: "非公開", summaryEn: "Hidden", bodyJa: "非公開", bodyEn: "Hidden", budgetYen: 1_000_000 };
  await db.insert(projects).values([
    { ...hidden, slug: "draft-funded-project", offeringId: draft!.id, publishedAt: new Date() },
    { ...hidden, slug: "unpublished-project", offeringId: demo!.id, publishedAt: null },
    { ...hidden, slug: "future-project", offeringId: demo!.id, publishedAt: new Date(Date.now() + 86_400_000) },
  ]);
  const [thinning] = await db.select().from(projects).where(eq(projects.slug, "forest-thinning"));
  await db.insert(projectUpdates).values({ ...hidden, projectId: thinning!.id, publishedAt: null });
  const [staff] = await db.select().from(users).where(eq(users.email, DEMO_STAFF_EMAIL));
  const image = (purpose: "receipt" | "update", n: number) => ({
    storageKey: `images/00000000-0000-4000-8000-00000000000${n}.png`,
    contentType: "image/png" as const,
    width: 4,
    height: 3,
    sizeBytes: 10,
    purpose,
    uploadedBy: staff!.id,
  });
  const [receipt, photo] = await db
    .insert(images)
    .values([image("receipt", 1), image("update", 2)])
    .returning();
  const day = (d: string) => new Date(`${d}T00:00:00+09:00`);
  await db.insert(projectSpending).values([
    { projectId: thinning!.id, spentOn: day("2026-10-01"), amountYen: 120_000, descriptionJa: "間伐作業", descriptionEn: "Thinning work", receiptImageId: receipt!.id, recordedBy: staff!.id },
    { projectId: thinning!.id, spentOn: day("2026-10-15"), amountYen: 80_000, descriptionJa: "作業道", descriptionEn: "Work road", recordedBy: staff!.id },
    { projectId: thinning!.id, spentOn: day("2026-10-15"), amountYen: 5_000, descriptionJa: "燃料", descriptionEn: "Fuel", recordedBy: staff!.id },
  ]);
  const [latest] = await db.select().from(projectUpdates).where(eq(projectUpdates.titleEn, "Work road under way"));
  await db.insert(projectUpdateImages).values({ updateId: latest!.id, imageId: photo!.id });
}

beforeAll(async () => {
  await seedPublicAndPrivateData();
  document = (await (await handler(openapiRoute)(new Request("http://localhost/api/v1/openapi.json"), { params: Promise.resolve({}) })).json()) as Record<string, unknown>;
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: "https://api.test/openapi.json", components: document.components });
});

/** Checks a response against the document: status, headers and the body's schema. */
async function conforms(response: Response, template: string, status: "200" | "400" | "404") {
  const operation = (document.paths as Record<string, { get: { responses: Record<string, { $ref?: string; content?: { "application/json": { schema: { $ref: string } } } }> } }>)[template]!.get;
  expect(Object.keys(operation.responses)).toContain(status);
  expect(response.status).toBe(Number(status));
  expect(response.headers.get("access-control-allow-origin")).toBe("*");
  const body = await response.json();
  const declared = operation.responses[status]!;
  const schemaRef = declared.$ref ? "#/components/schemas/Error" : declared.content!["application/json"].schema.$ref;
  const check = ajv.getSchema(`https://api.test/openapi.json${schemaRef}`)!;
  expect(check(body), JSON.stringify(check.errors)).toBe(true);
  return body;
}

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    expect(document.openapi).toBe("3.1.0");
    const result = await validate(structuredClone(document) as never);
    expect(result.valid, JSON.stringify(result)).toBe(true);
  });

  it("describes every route under app/api/v1, and nothing that is not there", () => {
    const root = path.join(process.cwd(), "app/api/v1");
    const files = (readdirSync(root, { recursive: true }) as string[])
      .filter((file) => file.endsWith("route.ts"))
      .map((file) => `/${path.dirname(file)}`.replace(/\/\.$/, "").replace(/\[(\w+)\]/g, "{$1}"));
    const documented = Object.keys(document.paths as object);
    expect(documented.sort()).toEqual(Object.keys(ROUTES).sort());
    // The document itself and the JSON 404 for unknown paths are the only routes not described.
    expect(files.sort()).toEqual([...documented, "/openapi.json", "/[...path]"].sort());
  });
});

describe("every documented route", () => {
  it("answers its documented shape, page by page, with its documented cache header", async () => {
    for (const template of Object.keys(ROUTES)) {
      const isList = !/\{slug\}$/.test(template);
      let cursor: string | null = null;
      let pages = 0;
      do {
        const response = await get(template, isList ? `?limit=1${cursor ? `&cursor=${cursor}` : ""}` : "");
        const cache = (document.paths as Record<string, { get: { responses: { "200": { headers: { "Cache-Control": { schema: { const: string } } } } } } }>)[template]!.get.responses["200"].headers[
          "Cache-Control"
        ].schema.const;
        expect(response.headers.get("cache-control")).toBe(cache);
        const body = await conforms(response, template, "200");
        cursor = isList ? body.nextCursor : null;
        pages += 1;
      } while (cursor && pages < 20);
      if (isList) expect(pages, template).toBeGreaterThan(1);
    }
  });

  it("answers 404 for an unknown slug and 400 for a bad parameter, in the documented error shape", async () => {
    const paths = document.paths as Record<string, { get: { parameters: { name: string }[] } }>;
    for (const template of Object.keys(ROUTES)) {
      if (template.includes("{slug}")) await conforms(await get(template, "", "no-such-thing"), template, "404");
      if (!paths[template]!.get.parameters.some((parameter) => parameter.name === "limit")) continue;
      for (const query of ["?limit=0", "?limit=many", "?limit=101", "?cursor=not-a-cursor"]) {
        const body = await conforms(await get(template, query), template, "400");
        expect(body.error.issues[0].parameter).toBe(query.slice(1, query.indexOf("=")));
      }
    }
  });
});

describe("what is public", () => {
  it("never contains personal data: no email, name, wallet, profile or user id of an investor", async () => {
    const bodies: string[] = [JSON.stringify(document)];
    for (const template of Object.keys(ROUTES)) bodies.push(await (await get(template, "?limit=100")).text());
    const all = bodies.join("\n").toLowerCase();
    for (const secret of [...Object.values(PRIVATE), investorId, DEMO_STAFF_EMAIL, "村役場 担当者"]) expect(all).not.toContain(secret.toLowerCase());
    // The offering and its reconciliation are there, just without the holder.
    expect(all).toContain(DEMO_OFFERING_SLUG);
    expect(all).toContain('"supplyonchain":2');
  });

  it("leaves out draft offerings and unpublished or future projects and updates", async () => {
    const offeringSlugs = (await (await get("/offerings", "?limit=100")).json()).data.map((offering: { slug: string }) => offering.slug);
    expect(offeringSlugs.sort()).toEqual([DEMO_OFFERING_SLUG, DEMO_OTHER_OFFERING_SLUG, DEMO_BOND_SLUG].sort());
    expect((await get("/offerings/{slug}", "", "secret-draft-offering")).status).toBe(404);
    const projectSlugs = (await (await get("/projects", "?limit=100")).json()).data.map((project: { slug: string }) => project.slug);
    expect(projectSlugs.sort()).toEqual(["forest-thinning", "forest-trail", "harbour-wall", "morning-market-roof", "wooden-school"]);
    for (const slug of ["draft-funded-project", "unpublished-project", "future-project"]) {
      for (const template of ["/projects/{slug}", "/projects/{slug}/spending", "/projects/{slug}/updates"]) expect((await get(template, "", slug)).status).toBe(404);
    }
    expect((await (await get("/projects", "?offering=secret-draft-offering")).json()).data).toEqual([]);
    const updates = (await (await get("/projects/{slug}/updates", "?limit=100")).json()).data;
    expect(updates.map((update: { title: { en: string } }) => update.title.en)).toEqual(["Work road under way", "Plot 1 thinned"]);
    expect(updates[0].images).toEqual([{ url: expect.stringMatching(/\/api\/images\/[0-9a-f-]{36}$/), width: 4, height: 3 }]);
  });

  it("gives figures in integer yen: progress, the latest reconciliation, funding from published budgets only, and spending", async () => {
    const offering = (await (await get("/offerings/{slug}")).json()).data;
    expect(offering.progress).toEqual({ soldUnits: 3, reservedUnits: 0, availableUnits: 9_997, soldYen: 3_000, targetYen: 10_000_000 });
    expect(offering.reconciliation).toMatchObject({ result: "mismatch", supplyOnChain: 2, supplyRecorded: 3, holdersChecked: 1 });
    expect(offering.token).toMatchObject({
      symbol: "NMT",
      chainId: 31337,
      address: "0x000000000000000000000000000000000000c0de",
      explorerUrl: expect.stringContaining("/address/0x000000000000000000000000000000000000c0de"),
    });
    const project = (await (await get("/projects/{slug}")).json()).data;
    // ¥3,000 shared over the published budgets 4,000,000 + 3,000,000 + 1,500,000 (not the hidden ones).
    expect(project).toMatchObject({ budgetYen: 4_000_000, fundedYen: 1_411, spentYen: 205_000, offering: DEMO_OFFERING_SLUG, issuer: "nishimori" });
    const spending = (await (await get("/projects/{slug}/spending", "?limit=100")).json()).data;
    expect(spending.map((entry: { spentOn: string; amountYen: number; hasReceipt: boolean }) => [entry.spentOn, entry.amountYen, entry.hasReceipt])).toEqual([
      ["2026-10-15", expect.any(Number), false],
      ["2026-10-15", expect.any(Number), false],
      ["2026-10-01", 120_000, true],
    ]);
    expect(JSON.stringify(spending)).not.toContain("/api/images/");
  });

  it("filters offerings and projects by issuer", async () => {
    const umibe = (await (await get("/offerings", "?issuer=umibe")).json()).data;
    expect(umibe.map((offering: { slug: string }) => offering.slug).sort()).toEqual([DEMO_OTHER_OFFERING_SLUG, DEMO_BOND_SLUG].sort());
    const projects = (await (await get("/projects", "?issuer=umibe")).json()).data;
    expect(projects.map((project: { slug: string }) => project.slug).sort()).toEqual(["harbour-wall", "morning-market-roof"]);
    // Only the demo bond's sale has closed.
    expect((await (await get("/offerings", "?status=closed")).json()).data.map((offering: { slug: string }) => offering.slug)).toEqual([DEMO_BOND_SLUG]);
  });
});

describe("terms awaiting their second approval", () => {
  it("are not in the API: it answers the approved terms until another staff member approves the edit", async () => {
    const db = getDb();
    const staffOf = async (email: string) => ({ id: (await db.select().from(users).where(eq(users.email, email)))[0]!.id, role: "staff" as const });
    const [editor, approver] = await Promise.all([staffOf(DEMO_STAFF_EMAIL), staffOf(DEMO_SECOND_STAFF_EMAIL)]);
    const [demo] = await db.select().from(offerings).where(eq(offerings.slug, DEMO_OFFERING_SLUG));
    const {
      id,
      villageId,
      status,
      reservedUnits,
      soldUnits,
      chainId,
      tokenAddress,
      termsAuthorId,
      termsRevision,
      approvedRevision,
      approvedBy,
      approvedAt,
      approvedTerms,
      closedAt,
      createdAt,
      ...input
    } = demo!;
    const edited = await updateOffering(editor, id, { ...input, nameJa: "未承認の名前", nameEn: "Unapproved name", capUnits: 20_000 });
    expect(edited).toMatchObject({ ok: true, approvalWithdrawn: true, paused: true });

    const single = (await (await get("/offerings/{slug}")).json()).data;
    const listed = (await (await get("/offerings", "?limit=100")).json()).data.find((offering: { slug: string }) => offering.slug === DEMO_OFFERING_SLUG);
    for (const shown of [single, listed]) {
      expect(shown).toMatchObject({ status: "paused", name: { ja: demo!.nameJa, en: demo!.nameEn }, terms: { capUnits: 10_000 }, progress: { targetYen: 10_000_000 } });
    }
    expect(JSON.stringify(single)).not.toContain("未承認");

    expect(await approveTerms(approver, id, termsRevision + 1)).toMatchObject({ ok: true });
    const approved = (await (await get("/offerings/{slug}")).json()).data;
    expect(approved).toMatchObject({ name: { ja: "未承認の名前", en: "Unapproved name" }, terms: { capUnits: 20_000 }, progress: { targetYen: 20_000_000 } });
  });
});

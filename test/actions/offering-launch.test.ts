import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { as, form, run } from "../session-mock";
import { makeUser } from "../fixtures";
import { approvedInvestor } from "../orders/harness";
import { getDb } from "@/db/client";
import { auditLog, offerings, users, villages } from "@/db/schema";
import { seedIfEmpty, DEMO_OFFERING_SLUG, DEMO_OTHER_ISSUER_STAFF_EMAIL, DEMO_SECOND_STAFF_EMAIL, DEMO_STAFF_EMAIL } from "@/db/seed";
import { approveTermsAction, createOfferingAction, publishDisclosureAction, requeueDeploymentAction, setOfferingStatusAction, updateOfferingAction } from "@/app/(staff)/staff/offerings/actions";
import { buyAction } from "@/app/(public)/offerings/[slug]/actions";
import type { SessionUser } from "@/lib/auth/roles";
import { JOBS } from "@/lib/jobs/names";
import { getPublicIssuer } from "@/lib/issuers/public";
import { getOfferingForStaff, listOfferingsForStaff } from "@/lib/offerings/admin";
import { getOfferingBySlug, listOpenOfferings } from "@/lib/offerings/queries";
import { currentDisclosure, placeOrder } from "@/lib/orders/reserve";
import type { PaymentProvider } from "@/lib/payments/provider";

// Issue 11, launching an offering: four eyes on the terms, staff act only for their own issuer,
// a change of approved terms goes back to approval, and nothing opens or sells without a contract.

const TERMS = {
  kind: "village_token",
  nameJa: "西森村 木の学校トークン",
  nameEn: "Nishimori Wooden School Token",
  descriptionJa: "木造校舎の改修に充てます。",
  descriptionEn: "For the wooden school's renovation.",
  tokenSymbol: "NWS",
  priceYen: "1000",
  capUnits: "2000",
  minUnitsPerOrder: "1",
  maxUnitsPerOrder: "100",
  yearlyCapYenPerInvestor: "500000",
  opensAt: "2026-01-05T09:00",
  closesAt: "2099-03-31T17:00",
};

let author: SessionUser;
let colleague: SessionUser;
let stranger: SessionUser;
let issuerId: string;
let counter = 0;

async function seededUser(email: string): Promise<SessionUser> {
  const [row] = await getDb().select().from(users).where(eq(users.email, email));
  return { id: row!.id, email, name: row!.name, role: row!.role };
}

const offeringById = async (id: string) => (await getDb().select().from(offerings).where(eq(offerings.id, id)))[0]!;
const auditsOf = async (id: string) => (await getDb().select().from(auditLog).where(eq(auditLog.targetId, id)).orderBy(auditLog.id)).map((row) => row.action);
const jobs = async (name: string, offeringId: string) =>
  (await getDb().execute<{ data: Record<string, unknown> }>(sql`select data from pgboss.job where name = ${name} and data->>'offeringId' = ${offeringId}`)).map((row) => row.data);

/** A draft written by `author` for the first issuer. */
async function draft(overrides: Partial<typeof TERMS> = {}) {
  counter += 1;
  as.user = author;
  const slug = `wooden-school-${counter}`;
  const created = await run(createOfferingAction, form({ ...TERMS, ...overrides, slug, issuerId }));
  expect(created).toMatchObject({ redirect: expect.any(String) });
  return (await getDb().select().from(offerings).where(eq(offerings.slug, slug)))[0]!;
}

/** Approved by the colleague, and deployed (as the deployment job leaves it), then opened. */
async function openOffering() {
  const offering = await draft();
  as.user = colleague;
  expect(await run(approveTermsAction, form({ offeringId: offering.id, revision: "1" }))).toMatchObject({ status: "ok" });
  await getDb().update(offerings).set({ chainId: 31337, tokenAddress: "0x000000000000000000000000000000000000c0de" }).where(eq(offerings.id, offering.id));
  expect(await run(setOfferingStatusAction, form({ offeringId: offering.id, status: "open" }))).toMatchObject({ status: "ok" });
  return offeringById(offering.id);
}

const editForm = (offering: { id: string; slug: string }, changes: Partial<typeof TERMS> = {}) => form({ ...TERMS, ...changes, slug: offering.slug, offeringId: offering.id });

beforeAll(async () => {
  await seedIfEmpty(getDb());
  [author, colleague, stranger] = await Promise.all([seededUser(DEMO_STAFF_EMAIL), seededUser(DEMO_SECOND_STAFF_EMAIL), seededUser(DEMO_OTHER_ISSUER_STAFF_EMAIL)]);
  issuerId = (await getDb().select().from(villages).where(eq(villages.slug, "nishimori")))[0]!.id;
});

describe("four eyes on the terms", () => {
  it("the author cannot approve; a second staff member of the issuer can, and the token's deployment is queued with the approval", async () => {
    const offering = await draft();
    expect(offering).toMatchObject({ termsAuthorId: author.id, termsRevision: 1, approvedRevision: null });

    as.user = author;
    expect(await run(approveTermsAction, form({ offeringId: offering.id, revision: "1" }))).toEqual({ status: "error", message: expect.stringMatching(/自分で作成・変更した版/) });
    as.locale = "en";
    expect(await run(approveTermsAction, form({ offeringId: offering.id, revision: "1" }))).toEqual({ status: "error", message: expect.stringMatching(/cannot approve terms you wrote/) });
    as.locale = "ja";
    expect((await offeringById(offering.id)).approvedRevision).toBeNull();
    expect(await jobs(JOBS.deployToken, offering.id)).toHaveLength(0);

    as.user = colleague;
    expect(await run(approveTermsAction, form({ offeringId: offering.id, revision: "1" }))).toMatchObject({ status: "ok" });
    expect(await offeringById(offering.id)).toMatchObject({ approvedRevision: 1, approvedBy: colleague.id, approvedAt: expect.any(Date) });
    expect(await jobs(JOBS.deployToken, offering.id)).toEqual([{ offeringId: offering.id }]);
    expect(await auditsOf(offering.id)).toEqual(["offering.created", "offering.terms_approved", "offering.deploy_queued"]);
    expect(await run(approveTermsAction, form({ offeringId: offering.id, revision: "1" }))).toMatchObject({ status: "error", message: expect.stringMatching(/すでに承認/) });
  });

  it("an admin may approve for any issuer", async () => {
    const offering = await draft();
    as.user = await makeUser("admin");
    expect(await run(approveTermsAction, form({ offeringId: offering.id, revision: "1" }))).toMatchObject({ status: "ok" });
  });
});

describe("staff of another issuer", () => {
  it("can neither see, approve, edit, open, close, re-deploy nor publish for it: nothing changes", async () => {
    const offering = await draft();
    const before = await offeringById(offering.id);
    const auditsBefore = await auditsOf(offering.id);
    as.user = stranger;
    expect((await listOfferingsForStaff(stranger)).map((row) => row.id)).not.toContain(offering.id);
    expect(await getOfferingForStaff(stranger, offering.id)).toBeNull();
    const notFound = { status: "error", message: "オファリングが見つかりません。" };
    expect(await run(approveTermsAction, form({ offeringId: offering.id, revision: "1" }))).toEqual(notFound);
    expect(await run(updateOfferingAction, editForm(offering, { capUnits: "9999" }))).toEqual(notFound);
    expect(await run(requeueDeploymentAction, form({ offeringId: offering.id }))).toEqual(notFound);
    for (const status of ["open", "paused", "closed"]) expect(await run(setOfferingStatusAction, form({ offeringId: offering.id, status }))).toEqual(notFound);
    expect(await run(publishDisclosureAction, form({ offeringId: offering.id, version: "x1", titleJa: "書面", titleEn: "Doc", bodyJa: "本文", bodyEn: "Body" }))).toEqual(notFound);
    expect(await offeringById(offering.id)).toEqual(before);
    expect(await auditsOf(offering.id)).toEqual(auditsBefore);
    expect(await jobs(JOBS.deployToken, offering.id)).toHaveLength(0);
  });

  it("sees and acts on its own issuer's offerings only", async () => {
    const own = await listOfferingsForStaff(stranger);
    expect(own.length).toBeGreaterThan(0);
    expect(new Set(own.map((row) => row.villageId)).size).toBe(1);
    expect(own.map((row) => row.villageId)).not.toContain(issuerId);
  });
});

describe("terms changed after approval", () => {
  it("need a new approval, by someone other than the editor, and pause an open sale until staff open it again", async () => {
    const offering = await openOffering();
    as.user = author;
    // A cap increase is a change of terms too.
    expect(await run(updateOfferingAction, editForm(offering, { capUnits: "3000" }))).toMatchObject({ status: "ok", message: expect.stringMatching(/一時停止/) });
    expect(await offeringById(offering.id)).toMatchObject({ capUnits: 3000, termsRevision: 2, termsAuthorId: author.id, approvedRevision: 1, status: "paused" });
    expect(await run(setOfferingStatusAction, form({ offeringId: offering.id, status: "open" }))).toMatchObject({ status: "error", message: expect.stringMatching(/承認されていない/) });

    // The colleague edits too: now the colleague is the author of revision 3, and the first author approves it.
    as.user = colleague;
    expect(await run(updateOfferingAction, editForm(offering, { capUnits: "3000", descriptionJa: "木造校舎と体育館の改修に充てます。" }))).toMatchObject({ status: "ok" });
    expect(await run(approveTermsAction, form({ offeringId: offering.id, revision: "3" }))).toMatchObject({ status: "error", message: expect.stringMatching(/自分で作成/) });
    as.user = author;
    // A revision that is no longer current is not approved unseen.
    expect(await run(approveTermsAction, form({ offeringId: offering.id, revision: "2" }))).toMatchObject({ status: "error", message: expect.stringMatching(/変更されました/) });
    expect(await run(approveTermsAction, form({ offeringId: offering.id, revision: "3" }))).toMatchObject({ status: "ok" });
    expect(await offeringById(offering.id)).toMatchObject({ approvedRevision: 3, status: "paused" });
    // The token exists: approving again queues no second deployment.
    expect(await jobs(JOBS.deployToken, offering.id)).toHaveLength(1);
    expect(await run(setOfferingStatusAction, form({ offeringId: offering.id, status: "open" }))).toMatchObject({ status: "ok" });

    const trail = await auditsOf(offering.id);
    expect(trail.filter((action) => action === "offering.approval_withdrawn")).toHaveLength(1);
    expect(trail.slice(-2)).toEqual(["offering.terms_approved", "offering.open"]);
  });

  it("the public sees only approved terms: an edit shows on the offering and issuer pages after the second approval, staff see it at once", async () => {
    const offering = await openOffering();
    expect((await listOpenOfferings()).map((row) => row.id)).toContain(offering.id);
    as.user = author;
    const edit = { nameJa: "未承認の名前", descriptionJa: "未承認の説明。", priceYen: "1500", capUnits: "3000", closesAt: "2098-12-31T17:00" };
    expect(await run(updateOfferingAction, editForm(offering, edit))).toMatchObject({ status: "ok" });

    const approved = { nameJa: TERMS.nameJa, descriptionJa: TERMS.descriptionJa, priceYen: 1000, capUnits: 2000, closesAt: offering.closesAt, termsRevision: 2, status: "paused" };
    expect(await getOfferingBySlug(offering.slug)).toMatchObject({ ...approved, targetYen: 2_000_000 });
    const onIssuerPage = (await getPublicIssuer("nishimori"))!.offerings.find((row) => row.id === offering.id);
    expect(onIssuerPage).toMatchObject(approved);
    // Paused, it is off the home page's open list; staff read the edited revision with its approval state.
    expect((await listOpenOfferings()).map((row) => row.id)).not.toContain(offering.id);
    expect((await getOfferingForStaff(author, offering.id))!.offering).toMatchObject({ nameJa: "未承認の名前", priceYen: 1500, termsRevision: 2, approvedRevision: 1 });

    as.user = colleague;
    expect(await run(approveTermsAction, form({ offeringId: offering.id, revision: "2" }))).toMatchObject({ status: "ok" });
    expect(await getOfferingBySlug(offering.slug)).toMatchObject({ nameJa: "未承認の名前", descriptionJa: "未承認の説明。", priceYen: 1500, capUnits: 3000, targetYen: 4_500_000 });
    expect((await offeringById(offering.id)).approvedTerms).toMatchObject({ revision: 2, nameJa: "未承認の名前", priceYen: 1500, bond: null });
    // Selling again is a decision of its own (openBlocker needed the approval): the new price is the approved one.
    expect(await run(setOfferingStatusAction, form({ offeringId: offering.id, status: "open" }))).toMatchObject({ status: "ok" });
    expect((await listOpenOfferings()).find((row) => row.id === offering.id)).toMatchObject({ priceYen: 1500, nameJa: "未承認の名前" });
  });

  it("a new disclosure is a change of terms: the publisher's revision withdraws the approval and pauses the sale until someone else approves", async () => {
    const offering = await openOffering();
    const before = await currentDisclosure(offering.id);
    as.user = author;
    const published = await run(publishDisclosureAction, form({ offeringId: offering.id, version: `v-${offering.slug}`, titleJa: "新しい書面", titleEn: "New", bodyJa: "本文", bodyEn: "Body" }));
    expect(published).toMatchObject({ status: "ok", message: expect.stringMatching(/一時停止/) });
    expect(await offeringById(offering.id)).toMatchObject({ status: "paused", termsRevision: 2, termsAuthorId: author.id, approvedRevision: 1 });
    expect((await currentDisclosure(offering.id))!.id).not.toBe(before!.id);
    expect((await auditsOf(offering.id)).slice(-3)).toEqual(["offering.disclosure_published", "offering.approval_withdrawn", "offering.paused"]);
    // Nobody can buy on it, nor open the sale, until a second staff member approves the revision with the disclosure.
    expect(await run(setOfferingStatusAction, form({ offeringId: offering.id, status: "open" }))).toMatchObject({ status: "error", message: expect.stringMatching(/承認されていない/) });
    expect(await run(approveTermsAction, form({ offeringId: offering.id, revision: "2" }))).toMatchObject({ status: "error", message: expect.stringMatching(/自分で作成/) });
    as.user = colleague;
    expect(await run(approveTermsAction, form({ offeringId: offering.id, revision: "2" }))).toMatchObject({ status: "ok" });
    expect(await offeringById(offering.id)).toMatchObject({ approvedRevision: 2, status: "paused" });
    expect(await run(setOfferingStatusAction, form({ offeringId: offering.id, status: "open" }))).toMatchObject({ status: "ok" });
  });

  it("a change of the URL name only is not a change of terms; the symbol is fixed once the token exists", async () => {
    const offering = await openOffering();
    as.user = author;
    expect(await run(updateOfferingAction, form({ ...TERMS, slug: `${offering.slug}-renamed`, offeringId: offering.id }))).toMatchObject({ status: "ok", message: "保存しました。" });
    expect(await offeringById(offering.id)).toMatchObject({ termsRevision: 1, approvedRevision: 1, status: "open" });
    expect(await run(updateOfferingAction, form({ ...TERMS, slug: `${offering.slug}-renamed`, tokenSymbol: "NEW", offeringId: offering.id }))).toMatchObject({
      status: "invalid",
      fieldErrors: { tokenSymbol: expect.stringMatching(/シンボルを変更できません/) },
    });
  });
});

describe("no contract, no sale", () => {
  it("an offering cannot open while its terms are not approved or it has no deployed contract, or its end time has passed", async () => {
    const offering = await draft();
    as.user = colleague;
    expect(await run(setOfferingStatusAction, form({ offeringId: offering.id, status: "open" }))).toMatchObject({ status: "error", message: expect.stringMatching(/承認されていない/) });
    expect(await run(approveTermsAction, form({ offeringId: offering.id, revision: "1" }))).toMatchObject({ status: "ok" });
    expect(await run(setOfferingStatusAction, form({ offeringId: offering.id, status: "open" }))).toMatchObject({ status: "error", message: expect.stringMatching(/デプロイされていない/) });
    as.locale = "en";
    expect(await run(setOfferingStatusAction, form({ offeringId: offering.id, status: "open" }))).toMatchObject({ status: "error", message: expect.stringMatching(/not deployed yet/) });
    as.locale = "ja";
    expect((await offeringById(offering.id)).status).toBe("draft");

    const past = await openOffering();
    await getDb()
      .update(offerings)
      .set({ status: "paused", closesAt: new Date(Date.now() - 1000), opensAt: new Date(Date.now() - 86_400_000) })
      .where(eq(offerings.id, past.id));
    expect(await run(setOfferingStatusAction, form({ offeringId: past.id, status: "open" }))).toMatchObject({ status: "error", message: expect.stringMatching(/終了日時を過ぎている/) });
  });

  it("placeOrder refuses any order for an offering without a contract, with a message saying what to do", async () => {
    const [demo] = await getDb().select().from(offerings).where(eq(offerings.slug, DEMO_OFFERING_SLUG));
    expect(demo!.tokenAddress).toBeNull();
    const buyer = await approvedInvestor();
    const disclosureId = (await currentDisclosure(demo!.id))!.id;
    const provider = {
      createCheckout: () => {
        throw new Error("no checkout for an offering without a contract");
      },
    } as unknown as PaymentProvider;
    expect(await placeOrder(buyer, { offeringId: demo!.id, units: 1, disclosureId }, provider)).toEqual({ ok: false, error: "noContract" });
    as.user = buyer;
    expect(await run(buyAction, form({ offeringId: demo!.id, units: "1", disclosureId, confirmDisclosure: "on" }))).toMatchObject({
      status: "error",
      message: expect.stringMatching(/コントラクトは準備中/),
    });
    expect((await getDb().select().from(offerings).where(eq(offerings.id, demo!.id)))[0]!.reservedUnits).toBe(0);
  });
});

import { and, eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { as, form, run } from "../session-mock";
import { makeUser, VALID_PROFILE } from "../fixtures";
import { submitForReview } from "./onboarding-flow";
import { getDb } from "@/db/client";
import { DEMO_OFFERING_SLUG, seedIfEmpty } from "@/db/seed";
import { auditLog, identityDocuments, investorProfiles, issuerStaff, offerings, profileChangeRequests, villages, type Village } from "@/db/schema";
import { saveProfileAction } from "@/app/(investor)/onboarding/actions";
import { saveIssuerAction } from "@/app/(staff)/staff/admin/issuers/actions";
import { approveTermsAction, createOfferingAction, updateOfferingAction } from "@/app/(staff)/staff/offerings/actions";
import { decideProfileChangeAction, decideReviewAction } from "@/app/(staff)/staff/reviews/actions";
import type { SessionUser } from "@/lib/auth/roles";
import { offeringFormValues } from "@/lib/offerings/form-values";
import { publicView } from "@/lib/offerings/public-view";
import { isResidentOf } from "@/lib/residents/residence";

// Issue 15, residents first: residence from the verified address, the residents' terms of an
// offering, and the municipality of an issuer.

const db = () => getDb();
let nishimori: Village;
let reviewer: SessionUser;

const profileOf = async (userId: string) => (await db().select().from(investorProfiles).where(eq(investorProfiles.userId, userId)))[0]!;
const auditCount = async (action: "identity.address_verified" | "issuer.residence_set", targetId: string) =>
  (
    await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, action), eq(auditLog.targetId, targetId)))
  ).length;

async function staffOf(issuerId: string) {
  const user = await makeUser("staff");
  await db().insert(issuerStaff).values({ issuerId, userId: user.id });
  return user;
}

beforeAll(async () => {
  await seedIfEmpty(db());
  [nishimori] = (await db().select().from(villages).where(eq(villages.slug, "nishimori"))) as [Village];
  reviewer = await makeUser("staff");
});
beforeEach(() => {
  as.locale = "ja";
});

describe("residence comes from the address staff verified", () => {
  it("asks the reviewer whether the document's address matches; yes verifies it, in the approval", async () => {
    const investor = await makeUser();
    const documentId = await submitForReview(investor);
    as.user = reviewer;
    expect(await run(decideReviewAction, form({ documentId, decision: "approve" }))).toMatchObject({ status: "invalid", fieldErrors: { addressMatches: "どちらかを選んでください。" } });
    expect((await db().select().from(identityDocuments).where(eq(identityDocuments.id, documentId)))[0]!.status).toBe("in_review");

    expect(await run(decideReviewAction, form({ documentId, decision: "approve", addressMatches: "yes" }))).toMatchObject({ status: "ok" });
    expect((await db().select().from(identityDocuments).where(eq(identityDocuments.id, documentId)))[0]).toMatchObject({ status: "approved", addressMatches: true });
    expect(await profileOf(investor.id)).toMatchObject({ addressVerifiedAt: expect.any(Date), addressVerifiedBy: reviewer.id });
    expect(await auditCount("identity.address_verified", investor.id)).toBe(1);
    expect(await isResidentOf(db(), investor.id, nishimori.id)).toBe(true);
  });

  it("refuses a matching answer about an address the investor changed while the reviewer looked", async () => {
    const investor = await makeUser();
    const documentId = await submitForReview(investor);
    const shown = await profileOf(investor.id);
    await db().update(investorProfiles).set({ city: "別の町" }).where(eq(investorProfiles.userId, investor.id));
    as.user = reviewer;
    const answer = { documentId, decision: "approve", addressMatches: "yes", addressShown: `${shown!.prefecture}|${shown!.city}` };
    expect(await run(decideReviewAction, form(answer))).toMatchObject({ status: "error", message: expect.stringContaining("住所を変えました") });
    expect((await db().select().from(identityDocuments).where(eq(identityDocuments.id, documentId)))[0]!.status).toBe("in_review");
    expect(await profileOf(investor.id)).toMatchObject({ addressVerifiedAt: null });

    expect(await run(decideReviewAction, form({ ...answer, addressShown: `${shown!.prefecture}|別の町` }))).toMatchObject({ status: "ok" });
    expect(await profileOf(investor.id)).toMatchObject({ addressVerifiedAt: expect.any(Date) });
  });

  it("approves the person but not the address when it does not match", async () => {
    const investor = await makeUser();
    const documentId = await submitForReview(investor);
    as.user = reviewer;
    expect(await run(decideReviewAction, form({ documentId, decision: "approve", addressMatches: "no" }))).toMatchObject({ status: "ok" });
    expect((await db().select().from(identityDocuments).where(eq(identityDocuments.id, documentId)))[0]).toMatchObject({ status: "approved", addressMatches: false });
    expect(await profileOf(investor.id)).toMatchObject({ addressVerifiedAt: null });
    expect(await auditCount("identity.address_verified", investor.id)).toBe(0);
    expect(await isResidentOf(db(), investor.id, nishimori.id)).toBe(false);
  });

  it("is cleared by an approved change of city, unless the reviewer confirmed the new address against a document", async () => {
    const investor = await makeUser();
    const documentId = await submitForReview(investor);
    as.user = reviewer;
    await run(decideReviewAction, form({ documentId, decision: "approve", addressMatches: "yes" }));
    const decideChange = async (city: string, fields: Record<string, string>) => {
      as.user = investor;
      expect(await run(saveProfileAction, form({ ...VALID_PROFILE, city }))).toEqual({ redirect: "/onboarding/profile" });
      const [request] = await db()
        .select()
        .from(profileChangeRequests)
        .where(and(eq(profileChangeRequests.userId, investor.id), eq(profileChangeRequests.status, "pending")));
      as.user = reviewer;
      expect(await run(decideProfileChangeAction, form({ requestId: request!.id, decision: "approve", ...fields }))).toMatchObject({ status: "ok" });
    };

    // Moved to the next town, not confirmed: no longer verified, and not a resident.
    await decideChange("美作市", {});
    expect(await profileOf(investor.id)).toMatchObject({ city: "美作市", addressVerifiedAt: null, addressVerifiedBy: null });
    expect(await isResidentOf(db(), investor.id, nishimori.id)).toBe(false);

    // Back to the village, written with spaces and confirmed against a document: a resident again.
    await decideChange("英田郡 西森村", { addressConfirmed: "yes" });
    expect(await profileOf(investor.id)).toMatchObject({ addressVerifiedAt: expect.any(Date), addressVerifiedBy: reviewer.id });
    expect(await auditCount("identity.address_verified", investor.id)).toBe(2);
    expect(await isResidentOf(db(), investor.id, nishimori.id)).toBe(true);

    // Only part of the name ("西森村") is another municipality.
    await decideChange("西森村", { addressConfirmed: "yes" });
    expect(await isResidentOf(db(), investor.id, nishimori.id)).toBe(false);
  });
});

const TERMS = {
  slug: "residents-first",
  kind: "village_token",
  nameJa: "西森村 住民優先トークン",
  nameEn: "Nishimori Residents First Token",
  descriptionJa: "住民の方を優先する回です。",
  descriptionEn: "Residents come first.",
  tokenSymbol: "NRF",
  priceYen: "1000",
  capUnits: "100",
  minUnitsPerOrder: "1",
  maxUnitsPerOrder: "10",
  yearlyCapYenPerInvestor: "500000",
  opensAt: "2027-01-04T09:00",
  closesAt: "2027-03-31T17:00",
  coolingOffDays: "8",
  residentUnits: "30",
  residentsUntil: "2027-01-18T09:00",
};

describe("an offering's residents' terms", () => {
  it("are validated: within the cap, with an end inside the sale, cooling-off 0 to 30 days", async () => {
    as.user = await staffOf(nishimori.id);
    const create = (fields: Record<string, string>) => run(createOfferingAction, form({ ...TERMS, issuerId: nishimori.id, ...fields }));
    expect(await create({ residentUnits: "101" })).toMatchObject({ status: "invalid", fieldErrors: { residentUnits: "住民枠は発行上限以下にしてください。" } });
    expect(await create({ residentsUntil: "" })).toMatchObject({ status: "invalid", fieldErrors: { residentsUntil: "住民枠を設けるときは、住民優先の終了日時を入力してください。" } });
    for (const outside of ["2027-01-04T09:00", "2027-04-01T09:00", "2026-12-31T09:00"]) {
      expect(await create({ residentsUntil: outside })).toMatchObject({ status: "invalid", fieldErrors: { residentsUntil: "住民優先の終了は、募集開始より後・募集終了より前にしてください。" } });
    }
    for (const days of ["31", "-1", "", "1.5"]) expect(await create({ coolingOffDays: days })).toMatchObject({ status: "invalid", fieldErrors: { coolingOffDays: "0〜30の整数を入力してください。" } });
    expect(await db().select().from(offerings).where(eq(offerings.slug, TERMS.slug))).toHaveLength(0);
  });

  it("are refused for an issuer without a municipality", async () => {
    const [bare] = await db()
      .insert(villages)
      .values({ slug: "no-municipality", nameJa: "無設定村", nameEn: "Unset Village", prefectureJa: "岡山県", prefectureEn: "Okayama", descriptionJa: "説明", descriptionEn: "About" })
      .returning();
    as.user = await staffOf(bare!.id);
    const message = "この発行体には住民の対象となる市区町村が設定されていないため、住民枠・住民優先は設けられません（管理者が発行体の設定で登録します）。";
    expect(await run(createOfferingAction, form({ ...TERMS, slug: "bare-tranche", issuerId: bare!.id }))).toMatchObject({ status: "invalid", fieldErrors: { residentUnits: message } });
    // A window alone (no units kept) needs the municipality just the same.
    expect(await run(createOfferingAction, form({ ...TERMS, slug: "bare-window", residentUnits: "0", issuerId: bare!.id }))).toMatchObject({ fieldErrors: { residentUnits: message } });
    expect(await run(createOfferingAction, form({ ...TERMS, slug: "bare-plain", residentUnits: "0", residentsUntil: "", issuerId: bare!.id }))).toMatchObject({ redirect: expect.any(String) });
  });

  it("are terms: stored, changed only through a new revision and approval, and frozen with the approved terms", async () => {
    const author = await staffOf(nishimori.id);
    as.user = author;
    expect(await run(createOfferingAction, form({ ...TERMS, issuerId: nishimori.id, coolingOffDays: "0" }))).toMatchObject({ redirect: expect.any(String) });
    const [created] = await db().select().from(offerings).where(eq(offerings.slug, TERMS.slug));
    expect(created).toMatchObject({ coolingOffDays: 0, residentUnits: 30, residentsUntil: new Date("2027-01-18T00:00:00Z"), termsRevision: 1 });
    expect(offeringFormValues(created!)).toMatchObject({ coolingOffDays: "0", residentUnits: "30", residentsUntil: "2027-01-18T09:00" });

    as.user = await staffOf(nishimori.id);
    expect(await run(approveTermsAction, form({ offeringId: created!.id, revision: "1" }))).toMatchObject({ status: "ok" });
    const [approved] = await db().select().from(offerings).where(eq(offerings.id, created!.id));
    expect(approved!.approvedTerms).toMatchObject({ coolingOffDays: 0, residentUnits: 30, residentsUntil: "2027-01-18T00:00:00.000Z" });

    as.user = author;
    const edit = { ...offeringFormValues(approved!), offeringId: approved!.id };
    expect(await run(updateOfferingAction, form({ ...edit, residentUnits: "40", coolingOffDays: "8" }))).toMatchObject({ status: "ok", message: expect.stringMatching(/承認/) });
    const [revised] = await db().select().from(offerings).where(eq(offerings.id, created!.id));
    expect(revised).toMatchObject({ residentUnits: 40, coolingOffDays: 8, termsRevision: 2, approvedRevision: 1 });
    // The public still reads the approved revision's residents' terms.
    expect(publicView(revised!)).toMatchObject({ residentUnits: 30, coolingOffDays: 0, residentsUntil: new Date("2027-01-18T00:00:00Z") });
    // The cap cannot go under the tranche, nor the tranche under what residents hold.
    expect(await run(updateOfferingAction, form({ ...edit, capUnits: "20" }))).toMatchObject({ status: "invalid", fieldErrors: { residentUnits: "住民枠は発行上限以下にしてください。" } });
    await db().update(offerings).set({ reservedUnits: 12, residentTakenUnits: 12 }).where(eq(offerings.id, created!.id));
    expect(await run(updateOfferingAction, form({ ...edit, residentUnits: "10" }))).toMatchObject({
      status: "invalid",
      fieldErrors: { residentUnits: "住民枠を、すでに住民の方が予約・購入した口数より小さくはできません。" },
    });
  });

  it("keep the existing demo offering without a tranche", async () => {
    const [demo] = await db().select().from(offerings).where(eq(offerings.slug, DEMO_OFFERING_SLUG));
    expect(demo).toMatchObject({ residentUnits: 0, residentsUntil: null, coolingOffDays: 8 });
    expect(nishimori).toMatchObject({ residentPrefecture: "33", residentCity: "英田郡西森村" });
  });
});

describe("an issuer's municipality", () => {
  const issuerForm = (issuer: Village, fields: Record<string, string>) =>
    form({
      issuerId: issuer.id,
      slug: issuer.slug,
      kind: issuer.kind,
      nameJa: issuer.nameJa,
      nameEn: issuer.nameEn,
      prefectureJa: issuer.prefectureJa,
      prefectureEn: issuer.prefectureEn,
      population: issuer.population ? String(issuer.population) : "",
      descriptionJa: issuer.descriptionJa,
      descriptionEn: issuer.descriptionEn,
      ...fields,
    });
  const current = async (id: string) => (await db().select().from(villages).where(eq(villages.id, id)))[0]!;

  it("is set by admins only: neither its own staff nor another issuer's staff can change it", async () => {
    const [umibe] = (await db().select().from(villages).where(eq(villages.slug, "umibe"))) as [Village];
    for (const caller of [await staffOf(nishimori.id), await staffOf(umibe.id), await makeUser()]) {
      as.user = caller;
      expect(await run(saveIssuerAction, issuerForm(nishimori, { residentPrefecture: "13", residentCity: "千代田区" }))).toMatchObject({ status: "error" });
    }
    expect(await current(nishimori.id)).toMatchObject({ residentPrefecture: "33", residentCity: "英田郡西森村" });
    expect(await auditCount("issuer.residence_set", nishimori.id)).toBe(0);
  });

  it("is saved with its own audit entry, both parts or neither", async () => {
    const [target] = await db()
      .insert(villages)
      .values({ slug: "municipality-target", nameJa: "設定村", nameEn: "Target Village", prefectureJa: "岡山県", prefectureEn: "Okayama", descriptionJa: "説明", descriptionEn: "About" })
      .returning();
    as.user = await makeUser("admin");
    expect(await run(saveIssuerAction, issuerForm(target!, { residentPrefecture: "33", residentCity: "" }))).toMatchObject({
      status: "invalid",
      fieldErrors: { residentCity: "都道府県と市区町村は両方入力するか、両方空にしてください。" },
    });
    expect(await run(saveIssuerAction, issuerForm(target!, { residentPrefecture: "48", residentCity: "どこか" }))).toMatchObject({
      status: "invalid",
      fieldErrors: { residentPrefecture: "都道府県を選んでください。" },
    });
    expect(await run(saveIssuerAction, issuerForm(target!, { residentPrefecture: "33", residentCity: " 英田郡西森村 " }))).toMatchObject({ status: "ok" });
    expect(await current(target!.id)).toMatchObject({ residentPrefecture: "33", residentCity: "英田郡西森村" });
    // Saving the same again changes nothing; a form without the fields keeps them.
    expect(await run(saveIssuerAction, issuerForm(target!, { residentPrefecture: "33", residentCity: "英田郡西森村" }))).toMatchObject({ status: "ok" });
    expect(await run(saveIssuerAction, issuerForm(target!, {}))).toMatchObject({ status: "ok" });
    expect(await current(target!.id)).toMatchObject({ residentPrefecture: "33", residentCity: "英田郡西森村" });
    expect(await auditCount("issuer.residence_set", target!.id)).toBe(1);
    expect(await run(saveIssuerAction, issuerForm(target!, { residentPrefecture: "", residentCity: "" }))).toMatchObject({ status: "ok" });
    expect(await current(target!.id)).toMatchObject({ residentPrefecture: null, residentCity: null });
    expect(await auditCount("issuer.residence_set", target!.id)).toBe(2);
  });
});

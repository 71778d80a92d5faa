import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { as, form, run } from "../session-mock";
import { makeUser } from "../fixtures";
import { getDb } from "@/db/client";
import { auditLog, bondTerms, issuerStaff, legalDocuments, offerings, villages } from "@/db/schema";
import { seedIfEmpty } from "@/db/seed";
import { approveTermsAction, createOfferingAction, updateOfferingAction } from "@/app/(staff)/staff/offerings/actions";
import { publicBondSheet } from "@/lib/bonds/terms";
import { currentDisclosure } from "@/lib/orders/reserve";

const BOND = {
  slug: "kawabe-bond-2028",
  kind: "municipal_bond",
  nameJa: "川辺町 ミニ公募債 2028",
  nameEn: "Kawabe Mini Bond 2028",
  descriptionJa: "住民参加型の地方債です。",
  descriptionEn: "A resident-participation municipal bond.",
  tokenSymbol: "KWB28",
  priceYen: "9950",
  capUnits: "1000",
  minUnitsPerOrder: "1",
  maxUnitsPerOrder: "50",
  yearlyCapYenPerInvestor: "500000",
  opensAt: "2026-10-01T09:00",
  closesAt: "2026-10-30T17:00",
  bondFaceValueYen: "10000",
  bondCouponRate: "0.45",
  bondCouponsPerYear: "2",
  bondInterestFrom: "2026-11-03",
  bondFirstCouponDate: "2027-05-03",
  bondMaturityDate: "2028-11-03",
  bondRecordDateBusinessDays: "1",
};

let issuerId: string;

async function issuerStaffMember() {
  const user = await makeUser("staff");
  await getDb().insert(issuerStaff).values({ issuerId, userId: user.id });
  return user;
}

const offeringBySlug = async (slug: string) => (await getDb().select().from(offerings).where(eq(offerings.slug, slug)))[0]!;
const termsOf = async (offeringId: string) => (await getDb().select().from(bondTerms).where(eq(bondTerms.offeringId, offeringId)))[0];

beforeAll(async () => {
  await seedIfEmpty(getDb());
  issuerId = (await getDb().select().from(villages).where(eq(villages.slug, "nishimori")))[0]!.id;
});

describe("bond terms in the staff offering form", () => {
  it("refuses bad bond terms with a message each, and stores nothing", async () => {
    as.user = await issuerStaffMember();
    const refused = await run(createOfferingAction, form({ ...BOND, issuerId, bondCouponRate: "0.455", bondMaturityDate: "2028-11-04", bondCouponsPerYear: "3" }));
    expect(refused).toMatchObject({
      status: "invalid",
      fieldErrors: {
        bondCouponRate: "利率は0〜20%、小数点以下2桁（0.01%単位）までで入力してください。",
        bondCouponsPerYear: "利払回数を選んでください。",
      },
    });
    expect(await run(createOfferingAction, form({ ...BOND, issuerId, bondMaturityDate: "2028-11-04" }))).toMatchObject({
      fieldErrors: { bondMaturityDate: expect.stringMatching(/償還日は、初回利払日から/) },
    });
    expect(await run(createOfferingAction, form({ ...BOND, issuerId, priceYen: "10001" }))).toMatchObject({ fieldErrors: { priceYen: expect.stringMatching(/額面以下/) } });
    as.locale = "en";
    expect(await run(createOfferingAction, form({ ...BOND, issuerId, bondInterestFrom: "2027-05-03" }))).toMatchObject({
      fieldErrors: { bondFirstCouponDate: "The first coupon date must be after the interest start date." },
    });
    as.locale = "ja";
    expect(await getDb().select().from(offerings).where(eq(offerings.slug, BOND.slug))).toHaveLength(0);
  });

  it("saves the terms with the offering (issue price = price per unit), then generates the disclosure on approval", async () => {
    const author = await issuerStaffMember();
    as.user = author;
    expect(await run(createOfferingAction, form({ ...BOND, issuerId }))).toMatchObject({ redirect: expect.any(String) });
    const offering = await offeringBySlug(BOND.slug);
    expect(await termsOf(offering.id)).toMatchObject({ faceValueYen: 10_000, issuePriceYen: 9950, couponRateBp: 45, couponsPerYear: 2, maturityDate: "2028-11-03", recordDateBusinessDays: 1 });
    const audit = await getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, offering.id), eq(auditLog.action, "bond.terms_saved")));
    expect(audit).toHaveLength(1);
    expect(await currentDisclosure(offering.id)).toMatchObject({ offeringId: null });

    as.user = await issuerStaffMember();
    expect(await run(approveTermsAction, form({ offeringId: offering.id, revision: "1" }))).toMatchObject({ status: "ok" });
    const disclosure = await currentDisclosure(offering.id);
    expect(disclosure).toMatchObject({ offeringId: offering.id, version: "bond-terms-r1", kind: "pre_contract" });
    expect(disclosure!.bodyJa).toContain("年0.45%");
    expect(disclosure!.bodyJa).toContain("20.315%");
    expect(disclosure!.bodyJa).toContain("支払日 2027-05-06／基準日 2027-04-30／利息 22.5円");
    expect(disclosure!.bodyJa).toContain("元本 10,000円");
    expect(disclosure!.bodyEn).toContain("0.45% a year");
    expect(disclosure!.titleJa).toContain("川辺町 ミニ公募債 2028");
  });

  it("treats a change of bond terms as a change of terms: new revision, approval withdrawn", async () => {
    const offering = await offeringBySlug(BOND.slug);
    expect(offering.approvedRevision).toBe(1);
    const editor = await issuerStaffMember();
    as.user = editor;
    const values = { ...BOND, offeringId: offering.id };
    // The same values change nothing.
    expect(await run(updateOfferingAction, form(values))).toMatchObject({ status: "ok", message: "保存しました。" });
    expect((await offeringBySlug(BOND.slug)).termsRevision).toBe(1);

    expect(await run(updateOfferingAction, form({ ...values, bondCouponRate: "0.5" }))).toMatchObject({ status: "ok", message: expect.stringMatching(/承認/) });
    const after = await offeringBySlug(BOND.slug);
    expect(after).toMatchObject({ termsRevision: 2, approvedRevision: 1, termsAuthorId: editor.id });
    expect(await termsOf(offering.id)).toMatchObject({ couponRateBp: 50 });
    const actions = (await getDb().select().from(auditLog).where(eq(auditLog.targetId, offering.id))).map((entry) => entry.action);
    expect(actions).toContain("offering.approval_withdrawn");
    // The public term sheet keeps the approved coupon until the new terms are approved.
    expect((await publicBondSheet(after))!.terms).toMatchObject({ couponRateBp: 45 });

    // The issue price follows the price per unit.
    expect(await run(updateOfferingAction, form({ ...values, bondCouponRate: "0.5", priceYen: "10000" }))).toMatchObject({ status: "ok" });
    expect(await termsOf(offering.id)).toMatchObject({ issuePriceYen: 10_000 });
    expect((await offeringBySlug(BOND.slug)).termsRevision).toBe(3);

    // Re-approval writes a new disclosure of the new terms.
    as.user = await issuerStaffMember();
    expect(await run(approveTermsAction, form({ offeringId: offering.id, revision: "3" }))).toMatchObject({ status: "ok" });
    const disclosure = await currentDisclosure(offering.id);
    expect(disclosure!.version).toBe("bond-terms-r3");
    expect(disclosure!.bodyJa).toContain("利息 25円");
    expect((await publicBondSheet(await offeringBySlug(BOND.slug)))!.terms).toMatchObject({ couponRateBp: 50, issuePriceYen: 10_000 });
  });

  it("refuses other issuers' staff, and bond changes once units are taken", async () => {
    const offering = await offeringBySlug(BOND.slug);
    const values = { ...BOND, priceYen: "10000", bondCouponRate: "0.5", offeringId: offering.id };
    as.user = await makeUser("staff");
    expect(await run(updateOfferingAction, form({ ...values, bondCouponRate: "0.9" }))).toMatchObject({ status: "error" });
    expect(await termsOf(offering.id)).toMatchObject({ couponRateBp: 50 });

    as.user = await issuerStaffMember();
    await getDb().update(offerings).set({ soldUnits: 3 }).where(eq(offerings.id, offering.id));
    expect(await run(updateOfferingAction, form({ ...values, bondCouponRate: "0.9" }))).toMatchObject({ status: "error", message: expect.stringMatching(/債券の条件は変更できません/) });
    expect(await termsOf(offering.id)).toMatchObject({ couponRateBp: 50 });
    await getDb().update(offerings).set({ soldUnits: 0 }).where(eq(offerings.id, offering.id));
  });
});

describe("public term sheet", () => {
  it("returns the bond's schedule for the offering page, and nothing for other offerings", async () => {
    const offering = await offeringBySlug(BOND.slug);
    const sheet = await publicBondSheet(offering);
    expect(sheet!.issuer.nameJa).toBeTruthy();
    expect(sheet!.schedule).toEqual([
      { number: 1, nominalDate: "2027-05-03", paymentDate: "2027-05-06", recordDate: "2027-04-30", interest: "25", principal: "" },
      { number: 2, nominalDate: "2027-11-03", paymentDate: "2027-11-04", recordDate: "2027-11-02", interest: "25", principal: "" },
      { number: 3, nominalDate: "2028-05-03", paymentDate: "2028-05-08", recordDate: "2028-05-02", interest: "25", principal: "" },
      { number: 4, nominalDate: "2028-11-03", paymentDate: "2028-11-06", recordDate: "2028-11-02", interest: "25", principal: "10,000" },
    ]);
    const [other] = await getDb().select().from(offerings).where(eq(offerings.kind, "village_token")).limit(1);
    expect(await publicBondSheet(other!)).toBeNull();
    expect(await getDb().select().from(legalDocuments).where(eq(legalDocuments.offeringId, other!.id))).not.toContainEqual(expect.objectContaining({ version: expect.stringMatching(/^bond-terms/) }));
  });
});

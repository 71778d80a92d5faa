import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { as, form, run } from "../session-mock";
import { makeUser } from "../fixtures";
import { getDb } from "@/db/client";
import { auditLog, issuerStaff, offerings, villages } from "@/db/schema";
import { seedIfEmpty, DEMO_OFFERING_SLUG } from "@/db/seed";
import { approveTermsAction, createOfferingAction, publishDisclosureAction, setOfferingStatusAction, updateOfferingAction } from "@/app/(staff)/staff/offerings/actions";
import { currentDisclosure } from "@/lib/orders/reserve";

const NEW_OFFERING = {
  slug: "forest-bond-2027",
  kind: "village_token",
  nameJa: "西森村 森林債 2027",
  nameEn: "Nishimori Forest Bond 2027",
  descriptionJa: "森林整備のための地方債です。",
  descriptionEn: "A municipal bond for forest care.",
  tokenSymbol: "NFB27",
  priceYen: "10000",
  capUnits: "1000",
  minUnitsPerOrder: "1",
  maxUnitsPerOrder: "50",
  yearlyCapYenPerInvestor: "500000",
  opensAt: "2027-01-04T09:00",
  closesAt: "2027-03-31T17:00",
};

let issuerId: string;

/** A staff member of the seeded first issuer. */
async function issuerStaffMember() {
  const user = await makeUser("staff");
  await getDb().insert(issuerStaff).values({ issuerId, userId: user.id });
  return user;
}

beforeAll(async () => {
  await seedIfEmpty(getDb());
  issuerId = (await getDb().select().from(villages).where(eq(villages.slug, "nishimori")))[0]!.id;
});

describe("offering management", () => {
  it("is refused to investors and anonymous callers, and stores nothing", async () => {
    for (const caller of [null, await makeUser()]) {
      as.user = caller;
      expect(await run(createOfferingAction, form({ ...NEW_OFFERING, issuerId }))).toMatchObject({ status: "error" });
    }
    expect(await getDb().select().from(offerings).where(eq(offerings.slug, NEW_OFFERING.slug))).toHaveLength(0);
  });

  it("validates every field with a message, the issuer too", async () => {
    as.user = await issuerStaffMember();
    const state = await run(createOfferingAction, form({ ...NEW_OFFERING, priceYen: "10.5", tokenSymbol: "<x>", maxUnitsPerOrder: "0", closesAt: "2026-12-01T00:00" }));
    expect(state).toMatchObject({
      status: "invalid",
      fieldErrors: { priceYen: "1以上の整数を入力してください。", tokenSymbol: "英大文字・数字2〜8文字で入力してください。", issuerId: "発行体を選んでください。" },
    });
  });

  it("creates a draft for an issuer the staff member belongs to, never for another", async () => {
    as.user = await makeUser("staff");
    expect(await run(createOfferingAction, form({ ...NEW_OFFERING, issuerId }))).toMatchObject({ status: "invalid", fieldErrors: { issuerId: "この発行体のオファリングは作成できません。" } });
    expect(await getDb().select().from(offerings).where(eq(offerings.slug, NEW_OFFERING.slug))).toHaveLength(0);
  });

  it("creates a draft (times read as Tokyo time), then after approval and deployment opens, pauses and closes it, with an audit trail", async () => {
    const author = await issuerStaffMember();
    as.user = author;
    const created = await run(createOfferingAction, form({ ...NEW_OFFERING, issuerId }));
    expect(created).toMatchObject({ redirect: expect.stringMatching(/^\/staff\/offerings\/[0-9a-f-]{36}$/) });
    const [row] = await getDb().select().from(offerings).where(eq(offerings.slug, NEW_OFFERING.slug));
    expect(row).toMatchObject({ status: "draft", priceYen: 10000, capUnits: 1000, villageId: issuerId, termsAuthorId: author.id, termsRevision: 1, approvedRevision: null });
    // 09:00 in Tokyo is 00:00 UTC.
    expect(row!.opensAt.toISOString()).toBe("2027-01-04T00:00:00.000Z");

    expect(await run(setOfferingStatusAction, form({ offeringId: row!.id, status: "open" }))).toMatchObject({ status: "error", message: expect.stringMatching(/承認されていない/) });
    as.user = await issuerStaffMember();
    expect(await run(approveTermsAction, form({ offeringId: row!.id, revision: "1" }))).toMatchObject({ status: "ok" });
    expect(await run(setOfferingStatusAction, form({ offeringId: row!.id, status: "open" }))).toMatchObject({ status: "error", message: expect.stringMatching(/デプロイされていない/) });
    // What the deployment job leaves behind (lib/offerings/deployment.test.ts deploys for real).
    await getDb().update(offerings).set({ chainId: 31337, tokenAddress: "0x000000000000000000000000000000000000c0de" }).where(eq(offerings.id, row!.id));

    for (const [status, expected] of [
      ["open", "open"],
      ["paused", "paused"],
      ["open", "open"],
      ["closed", "closed"],
    ] as const) {
      expect(await run(setOfferingStatusAction, form({ offeringId: row!.id, status }))).toMatchObject({ status: "ok" });
      expect((await getDb().select().from(offerings).where(eq(offerings.id, row!.id)))[0]!.status).toBe(expected);
    }
    expect(await run(setOfferingStatusAction, form({ offeringId: row!.id, status: "open" }))).toMatchObject({ status: "error" });
    const actions = (await getDb().select().from(auditLog).where(eq(auditLog.targetId, row!.id)).orderBy(auditLog.id)).map((entry) => entry.action);
    expect(actions).toEqual([
      "offering.created",
      "offering.terms_approved",
      "offering.deploy_queued",
      "offering.open",
      "offering.paused",
      "offering.open",
      "offering.closed",
      "offering.reservations_released",
    ]);
  });

  it("never lowers the cap below what is already reserved or sold", async () => {
    as.user = await issuerStaffMember();
    const [demo] = await getDb().select().from(offerings).where(eq(offerings.slug, DEMO_OFFERING_SLUG));
    await getDb().update(offerings).set({ soldUnits: 40 }).where(eq(offerings.id, demo!.id));
    const values = { ...NEW_OFFERING, slug: demo!.slug, tokenSymbol: demo!.tokenSymbol, priceYen: String(demo!.priceYen), capUnits: "39", offeringId: demo!.id };
    expect(await run(updateOfferingAction, form(values))).toMatchObject({ status: "invalid", fieldErrors: { capUnits: expect.stringMatching(/予約・販売済み/) } });
    expect(await run(updateOfferingAction, form({ ...values, capUnits: "40" }))).toMatchObject({ status: "ok" });
    expect(await run(updateOfferingAction, form({ ...values, capUnits: "40", priceYen: "1200" }))).toMatchObject({
      status: "invalid",
      fieldErrors: { priceYen: expect.stringMatching(/価格は変更できません/) },
    });
  });

  it("publishes a new disclosure version that buyers must confirm from then on", async () => {
    as.user = await issuerStaffMember();
    const [demo] = await getDb().select().from(offerings).where(eq(offerings.slug, DEMO_OFFERING_SLUG));
    const before = await currentDisclosure(demo!.id);
    const version = { offeringId: demo!.id, version: "2026-12-01", titleJa: "契約締結前交付書面", titleEn: "Pre-contract disclosure", bodyJa: "改訂版", bodyEn: "Revised" };
    expect(await run(publishDisclosureAction, form(version))).toMatchObject({ status: "ok" });
    const after = await currentDisclosure(demo!.id);
    expect(after!.id).not.toBe(before!.id);
    expect(after!.version).toBe("2026-12-01");

    // Staff of no issuer of this offering publish nothing.
    as.user = await makeUser("staff");
    expect(await run(publishDisclosureAction, form({ ...version, version: "2026-12-02" }))).toMatchObject({ status: "error" });
    expect((await currentDisclosure(demo!.id))!.version).toBe("2026-12-01");
  });
});

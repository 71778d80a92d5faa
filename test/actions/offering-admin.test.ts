import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { as, form, run } from "../session-mock";
import { makeUser } from "../fixtures";
import { getDb } from "@/db/client";
import { auditLog, offerings } from "@/db/schema";
import { seedIfEmpty, DEMO_OFFERING_SLUG } from "@/db/seed";
import { createOfferingAction, publishDisclosureAction, setOfferingStatusAction, updateOfferingAction } from "@/app/(staff)/staff/offerings/actions";
import { currentDisclosure } from "@/lib/orders/reserve";

const NEW_OFFERING = {
  slug: "forest-bond-2027",
  kind: "municipal_bond",
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

beforeAll(async () => {
  await seedIfEmpty(getDb());
});

describe("offering management", () => {
  it("is refused to investors and anonymous callers, and stores nothing", async () => {
    for (const caller of [null, await makeUser()]) {
      as.user = caller;
      expect(await run(createOfferingAction, form(NEW_OFFERING))).toMatchObject({ status: "error" });
    }
    expect(await getDb().select().from(offerings).where(eq(offerings.slug, NEW_OFFERING.slug))).toHaveLength(0);
  });

  it("validates every field with a message", async () => {
    as.user = await makeUser("staff");
    const state = await run(createOfferingAction, form({ ...NEW_OFFERING, priceYen: "10.5", tokenSymbol: "<x>", maxUnitsPerOrder: "0", closesAt: "2026-12-01T00:00" }));
    expect(state).toMatchObject({ status: "invalid", fieldErrors: { priceYen: "1以上の整数を入力してください。", tokenSymbol: "英大文字・数字2〜8文字で入力してください。" } });
  });

  it("creates a draft (times read as Tokyo time), opens, pauses and closes it, with an audit trail", async () => {
    const staff = await makeUser("staff");
    as.user = staff;
    const created = await run(createOfferingAction, form(NEW_OFFERING));
    expect(created).toMatchObject({ redirect: expect.stringMatching(/^\/staff\/offerings\/[0-9a-f-]{36}$/) });
    const [row] = await getDb().select().from(offerings).where(eq(offerings.slug, NEW_OFFERING.slug));
    expect(row).toMatchObject({ status: "draft", priceYen: 10000, capUnits: 1000 });
    // 09:00 in Tokyo is 00:00 UTC.
    expect(row!.opensAt.toISOString()).toBe("2027-01-04T00:00:00.000Z");
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
    const actions = (await getDb().select().from(auditLog).where(eq(auditLog.targetId, row!.id))).map((entry) => entry.action);
    expect(actions).toEqual(["offering.created", "offering.open", "offering.paused", "offering.open", "offering.closed"]);
  });

  it("never lowers the cap below what is already reserved or sold", async () => {
    as.user = await makeUser("staff");
    const [demo] = await getDb().select().from(offerings).where(eq(offerings.slug, DEMO_OFFERING_SLUG));
    await getDb().update(offerings).set({ soldUnits: 40 }).where(eq(offerings.id, demo!.id));
    const values = { ...NEW_OFFERING, slug: demo!.slug, tokenSymbol: demo!.tokenSymbol, capUnits: "39", offeringId: demo!.id };
    expect(await run(updateOfferingAction, form(values))).toMatchObject({ status: "invalid", fieldErrors: { capUnits: expect.stringMatching(/予約・販売済み/) } });
    expect(await run(updateOfferingAction, form({ ...values, capUnits: "40" }))).toMatchObject({ status: "ok" });
  });

  it("publishes a new disclosure version that buyers must confirm from then on", async () => {
    as.user = await makeUser("staff");
    const [demo] = await getDb().select().from(offerings).where(eq(offerings.slug, DEMO_OFFERING_SLUG));
    const before = await currentDisclosure(demo!.id);
    expect(
      await run(publishDisclosureAction, form({ offeringId: demo!.id, version: "2026-12-01", titleJa: "契約締結前交付書面", titleEn: "Pre-contract disclosure", bodyJa: "改訂版", bodyEn: "Revised" })),
    ).toMatchObject({ status: "ok" });
    const after = await currentDisclosure(demo!.id);
    expect(after!.id).not.toBe(before!.id);
    expect(after!.version).toBe("2026-12-01");
  });
});

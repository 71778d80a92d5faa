import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, investorProfiles, ledgerEntries, offerings, perkClaims, perks } from "@/db/schema";
import { composeMail, noticePath, type MailSource } from "@/lib/notifications/mail";
import { makeInvestor, makeOffering } from "@/test/chain-support";
import { makeUser } from "@/test/fixtures";
import { claimPerk, shipClaim } from "./claims";
import { createPerk, updatePerk, withdrawPerk } from "./define";
import { packingListCsv } from "./packing-list";
import { claimsOfPerk, deliveryFromProfile, perksOfOffering } from "./queries";
import { deliverySchema, perkSchema, type PerkValues } from "./schemas";

const HOUR = 3_600_000;
let offeringId: string;
let otherOfferingId: string;
let staffId: string;
const OPENS = new Date(Date.now() - HOUR);
const CLOSES = new Date(Date.now() + 24 * HOUR);

const values = (overrides: Partial<PerkValues> = {}): PerkValues => ({
  kind: "redeeming",
  titleJa: "宿泊券",
  titleEn: "A night at the guesthouse",
  descriptionJa: "一泊",
  descriptionEn: "One night",
  minUnits: null,
  recordDate: null,
  costUnits: 2,
  stock: 10,
  claimOpensAt: OPENS,
  claimClosesAt: CLOSES,
  needsAddress: true,
  ...overrides,
});

async function perkOf(overrides: Partial<PerkValues> = {}) {
  const outcome = await createPerk({ offeringId, values: values(overrides), photoImageId: null, actorId: staffId });
  if ("refused" in outcome) throw new Error(outcome.refused);
  return outcome.id;
}

/** A holder with units at their wallet, who claims the perk for this recipient. */
async function claimFor(perkId: string, recipientName: string) {
  const investor = await makeInvestor(getDb());
  await getDb()
    .insert(ledgerEntries)
    .values({ kind: "tokens_allocated", offeringId, userId: investor.userId, units: 10, detail: { to: investor.address } });
  const delivery = { recipientName, recipientKana: "ヤマダ タロウ", postalCode: "707-0503", address: "岡山県英田郡西森村影石33-1", phone: "0868-79-2111" };
  const outcome = await claimPerk({ perkId, userId: investor.userId, delivery });
  if (outcome.status !== "claimed") throw new Error(outcome.status);
  return outcome.claimId;
}

const audits = (action: "perk.updated" | "perk.withdrawn", perkId: string) =>
  getDb()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.targetId, perkId)));

beforeAll(async () => {
  offeringId = (await makeOffering(getDb())).id;
  otherOfferingId = (await makeOffering(getDb())).id;
  staffId = (await makeUser("staff")).id;
});

describe("defining perks", () => {
  it("is for village tokens only", async () => {
    const bond = await makeOffering(getDb());
    await getDb().update(offerings).set({ kind: "municipal_bond" }).where(eq(offerings.id, bond.id));
    expect(await createPerk({ offeringId: bond.id, values: values(), photoImageId: null, actorId: staffId })).toEqual({ refused: "not_village_token" });
    expect(await createPerk({ offeringId: "00000000-0000-4000-8000-000000000000", values: values(), photoImageId: null, actorId: staffId })).toEqual({ refused: "not_found" });
    expect(await getDb().select().from(perks).where(eq(perks.offeringId, bond.id))).toEqual([]);
  });

  it("changes a perk only through its own offering, never below what is claimed nor its terms once claimed", async () => {
    const perkId = await perkOf({ stock: 3 });
    await claimFor(perkId, "山田 太郎");
    await claimFor(perkId, "山田 次郎");
    expect(await updatePerk({ perkId, offeringId: otherOfferingId, values: values({ titleJa: "乗っ取り" }), actorId: staffId })).toBe("not_found");
    expect(await updatePerk({ perkId, offeringId, values: values({ stock: 1 }), actorId: staffId })).toBe("stock_below_claimed");
    expect(await updatePerk({ perkId, offeringId, values: values({ costUnits: 1 }), actorId: staffId })).toBe("terms_locked");
    expect(await updatePerk({ perkId, offeringId, values: values({ stock: 2, titleJa: "宿泊券（夏）" }), actorId: staffId })).toBe("ok");
    const [row] = await getDb().select().from(perks).where(eq(perks.id, perkId));
    expect(row).toMatchObject({ stock: 2, claimed: 2, titleJa: "宿泊券（夏）", costUnits: 2 });
    expect((await audits("perk.updated", perkId)).map((entry) => entry.detail)).toEqual([{ offeringId, changed: ["titleJa", "stock"], stock: 2 }]);
    const [counts] = (await perksOfOffering(offeringId)).filter((perk) => perk.id === perkId);
    // Redeeming claims not burned yet wait for their burn before they can be shipped.
    expect(counts).toMatchObject({ live: 2, toShip: 0, awaitingBurn: 2, shipped: 0, cancelled: 0 });
  });

  it("withdraws a perk once, only through its own offering", async () => {
    const perkId = await perkOf();
    expect(await withdrawPerk({ perkId, offeringId: otherOfferingId, actorId: staffId })).toBe("not_found");
    expect(await withdrawPerk({ perkId, offeringId, actorId: staffId })).toBe("ok");
    expect(await withdrawPerk({ perkId, offeringId, actorId: staffId })).toBe("ok");
    expect((await getDb().select().from(perks).where(eq(perks.id, perkId)))[0]!.status).toBe("withdrawn");
    expect(await audits("perk.withdrawn", perkId)).toHaveLength(1);
  });
});

describe("the packing list", () => {
  it("is CSV with a BOM, headers in the staff's language, unshipped claims only, formulas neutralised", async () => {
    const perkId = await perkOf({ kind: "holding", costUnits: null, minUnits: 1, recordDate: "2026-03-31", stock: 5 });
    // A holding perk's claim needs a snapshot: make the claims directly, as claimPerk leaves them.
    const rows = await Promise.all(
      ['=HYPERLINK("http://evil.example","x")', "佐藤 一郎", "鈴木 二郎"].map(async (recipientName) => {
        const investor = await makeInvestor(getDb());
        const [claim] = await getDb()
          .insert(perkClaims)
          .values({ perkId, userId: investor.userId, units: 3, recipientName, recipientKana: "サトウ", postalCode: "100-0001", address: "東京都千代田区", phone: "03-1234-5678" })
          .returning();
        return claim!;
      }),
    );
    await getDb().update(perks).set({ claimed: 3 }).where(eq(perks.id, perkId));
    expect(await shipClaim({ claimId: rows[2]!.id, offeringId, trackingNumber: "AB-1", actorId: staffId })).toBe("ok");

    const ja = (await packingListCsv(perkId, "ja", offeringId))!;
    expect(ja.body.startsWith("\uFEFF申込ID,状態,お届け先氏名,フリガナ,郵便番号,住所,電話番号,品目,口数,")).toBe(true);
    expect(ja.rows).toBe(2);
    expect(ja.body).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(ja.body).not.toMatch(/,=HYPERLINK/);
    expect(ja.body).toContain(`${rows[1]!.id},発送待ち,佐藤 一郎,サトウ,100-0001,東京都千代田区,03-1234-5678,宿泊券,3,`);
    expect(ja.body).not.toContain("鈴木");
    expect(ja.filename).toMatch(/^forest-.*-perk-[0-9a-f]{8}-\d{4}-\d{2}-\d{2}\.csv$/);
    const en = (await packingListCsv(perkId, "en", offeringId))!;
    expect(en.body.split("\r\n")[0]).toBe("\uFEFFClaim ID,Status,Recipient,Kana,Postal code,Address,Phone,Item,Units,Claimed (Japan time)");
    expect(await packingListCsv(perkId, "ja", otherOfferingId)).toBeNull();
    expect(await claimsOfPerk(perkId, otherOfferingId)).toEqual([]);
    expect(await claimsOfPerk(perkId, offeringId)).toHaveLength(3);
  });

  it("marks redeeming claims whose tokens are not burned yet", async () => {
    const perkId = await perkOf();
    await claimFor(perkId, "山田 花子");
    const list = (await packingListCsv(perkId, "en", offeringId))!;
    expect(list.body).toContain(",Awaiting the token burn (do not ship yet),山田 花子,");
  });

  it("names the holder from their profile when the perk needs no address", async () => {
    const perkId = await perkOf({ needsAddress: false });
    const investor = await makeInvestor(getDb());
    await getDb()
      .insert(investorProfiles)
      .values({ userId: investor.userId, familyNameKanji: "浜田", givenNameKanji: "海斗", familyNameKana: "ハマダ", givenNameKana: "カイト", phone: "09012345678" });
    await getDb()
      .insert(ledgerEntries)
      .values({ kind: "tokens_allocated", offeringId, userId: investor.userId, units: 10, detail: { to: investor.address } });
    expect((await claimPerk({ perkId, userId: investor.userId, delivery: null })).status).toBe("claimed");
    const list = (await packingListCsv(perkId, "ja", offeringId))!;
    expect(list.body).toContain(",浜田 海斗,ハマダ カイト,,,090-1234-5678,宿泊券,2,");
  });
});

describe("forms and notices", () => {
  it("gives every field's message at once, as catalog keys", () => {
    const parsed = perkSchema.safeParse({
      kind: "holding",
      titleJa: "",
      minUnits: "0",
      recordDate: "2026-02-30",
      stock: "2000000",
      claimOpensAt: "2026-10-01T10:00",
      claimClosesAt: "2026-10-01T09:00",
    });
    const issues = Object.fromEntries(parsed.error!.issues.map((issue) => [issue.path.join("."), issue.message]));
    expect(issues).toMatchObject({
      titleJa: "errors.required",
      minUnits: "perkErrors.minUnits",
      recordDate: "perkErrors.recordDate",
      stock: "perkErrors.stock",
      claimClosesAt: "perkErrors.window",
    });
    expect(deliverySchema.parse({ recipientName: "山田　花子", recipientKana: "やまだ はなこ", postalCode: "７０７０５０３", address: "影石33-1", phone: "０８６８－７９－２１１１" })).toEqual({
      recipientName: "山田 花子",
      recipientKana: "ヤマダ ハナコ",
      postalCode: "707-0503",
      address: "影石33-1",
      phone: "0868-79-2111",
    });
  });

  it("prefills the delivery address from the profile", async () => {
    const investor = await makeInvestor(getDb());
    const { investorProfiles } = await import("@/db/schema");
    await getDb().insert(investorProfiles).values({
      userId: investor.userId,
      familyNameKanji: "山田",
      givenNameKanji: "花子",
      familyNameKana: "ヤマダ",
      givenNameKana: "ハナコ",
      postalCode: "707-0503",
      prefecture: "33",
      city: "英田郡西森村",
      street: "影石33-1",
      phone: "0868792111",
    });
    expect(await deliveryFromProfile(investor.userId)).toEqual({
      recipientName: "山田 花子",
      recipientKana: "ヤマダ ハナコ",
      postalCode: "707-0503",
      address: "岡山県英田郡西森村影石33-1",
      phone: "0868792111",
    });
    expect((await deliveryFromProfile(staffId)).recipientName).toBe("");
  });

  it("leads perk notices to the perk and vote notices to the vote, in the reader's language", () => {
    const row: MailSource = {
      kind: "perk_shipped",
      email: "holder@example.jp",
      locale: "ja",
      detail: { perkId: "p-1", perkClaimId: "c-1", perkTitleJa: "新米", perkTitleEn: "New rice", units: 12, trackingNumber: "1234-5678" },
      orderId: null,
      orderSeq: null,
      updateId: null,
      titleJa: null,
      titleEn: null,
      bodyJa: null,
      bodyEn: null,
      slug: null,
      projectJa: null,
      projectEn: null,
    };
    const mail = composeMail(row, "https://portal.example/");
    expect(mail.link).toBe("https://portal.example/perks/p-1");
    expect(mail.text).toContain("「新米」を発送しました（お問い合わせ番号 1234-5678）");
    const en = composeMail({ ...row, kind: "perk_cancelled", locale: "en", detail: { ...row.detail, reason: "Out of stock" } }, "https://portal.example");
    expect(en.text).toContain("Your claim of “New rice” was cancelled. Reason: Out of stock");
    const vote = composeMail(
      { ...row, kind: "vote_opened", detail: { voteId: "v-1", questionJa: "次に何を作る？", questionEn: "What next?", endsAt: "2026-11-30T14:59:00.000Z" } },
      "https://portal.example",
    );
    expect(vote.subject).toBe("【保有者投票】次に何を作る？");
    expect(vote.text).toContain("締切は");
    expect(noticePath({ kind: "vote_opened", orderId: null, updateId: null, slug: null, detail: { voteId: "v-1" } })).toBe("/votes/v-1");
  });
});

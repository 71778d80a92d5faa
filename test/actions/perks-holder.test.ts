import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { as, form, run } from "@/test/session-mock";
import type { Offering } from "@/db/schema";
import { claimPerkAction, claimPerkWithoutAddressAction } from "@/app/(investor)/perks/actions";
import type { SessionUser } from "@/lib/auth/roles";
import { createPerk } from "@/lib/perks/define";
import { perkSchema } from "@/lib/perks/schemas";
import { makeUser } from "@/test/fixtures";
import { twoIssuerWorld } from "./attack-world";
import { addProfile, claimsOf, DELIVERY, freezeHolders, perkFields } from "./perks-world";

// A holder claims for themselves only (the session's user, whatever the form says), once, with a
// delivery address that is checked; a refusal says why in the holder's language.

let offeringA: Offering;
let staffA: SessionUser;
let holder: SessionUser;
let other: SessionUser;
let small: SessionUser;
let rice: string;
let tour: string;

async function perk(overrides: Record<string, string>): Promise<string> {
  const values = perkSchema.parse(perkFields(offeringA.id, overrides));
  const outcome = await createPerk({ offeringId: offeringA.id, values, photoImageId: null, actorId: staffA.id });
  if ("refused" in outcome) throw new Error(outcome.refused);
  return outcome.id;
}

const claimForm = (perkId: string, overrides: Record<string, string> = {}) => form({ perkId, ...DELIVERY, ...overrides });

beforeAll(async () => {
  ({ offeringA, staffA } = await twoIssuerWorld());
  [holder, other, small] = [await makeUser(), await makeUser(), await makeUser()];
  for (const user of [holder, other, small]) await addProfile(user.id);
  await freezeHolders(offeringA.id, [
    { userId: holder.id, units: 12 },
    { userId: other.id, units: 30 },
    { userId: small.id, units: 7 },
  ]);
  rice = await perk({});
  tour = await perk({ titleEn: "Village tour", needsAddress: "false" });
});

beforeEach(() => {
  as.locale = "ja";
});

describe("claiming a perk", () => {
  it("needs a signed-in holder", async () => {
    as.user = null;
    expect(await run(claimPerkAction, claimForm(rice))).toMatchObject({ status: "error", message: "この操作にはログインが必要です。" });
    expect(await claimsOf(rice)).toHaveLength(0);
  });

  it("answers a bad delivery address with field errors, claiming nothing", async () => {
    as.user = holder;
    const result = await run(claimPerkAction, claimForm(rice, { recipientName: "", postalCode: "12", phone: "call me" }));
    expect(result).toMatchObject({ status: "invalid" });
    expect(Object.keys((result as { fieldErrors: Record<string, string> }).fieldErrors).sort()).toEqual(["phone", "postalCode", "recipientName"]);
    expect(await run(claimPerkAction, claimForm("not-a-perk"))).toMatchObject({ status: "invalid", fieldErrors: { perkId: expect.any(String) } });
    expect(await claimsOf(rice)).toHaveLength(0);
  });

  it("claims for the signed-in holder only, whatever user id the form names", async () => {
    as.user = holder;
    expect(await run(claimPerkAction, claimForm(rice, { userId: other.id, address: "東京都千代田区1-1" }))).toEqual({
      status: "ok",
      message: "お申込みを受け付けました。発送のときにお知らせします。",
    });
    const claims = await claimsOf(rice);
    expect(claims).toHaveLength(1);
    expect(claims[0]).toMatchObject({ userId: holder.id, units: 12, address: "東京都千代田区1-1", recipientKana: "ヤマダ ハナコ", status: "claimed" });
  });

  it("does not claim twice", async () => {
    as.user = holder;
    as.locale = "en";
    expect(await run(claimPerkAction, claimForm(rice))).toEqual({ status: "error", message: "You have already claimed this perk (one claim per holder)." });
    expect(await claimsOf(rice)).toHaveLength(1);
  });

  it("explains a refusal with the holding at the record date, in both languages", async () => {
    as.user = small;
    const ja = await run(claimPerkAction, claimForm(rice));
    expect(ja).toMatchObject({ status: "error", message: expect.stringContaining("7口お持ちでした。この特典は10口以上の保有者が対象です。") });
    as.locale = "en";
    const en = await run(claimPerkAction, claimForm(rice));
    expect(en).toMatchObject({ status: "error", message: expect.stringMatching(/^You held 7 tokens at the end of .+; this perk is for holders of 10 or more\.$/) });
    const stranger = await makeUser();
    as.user = stranger;
    expect(await run(claimPerkAction, claimForm(rice))).toMatchObject({ status: "error", message: expect.stringContaining(`You held no ${offeringA.nameEn} tokens`) });
    expect((await claimsOf(rice)).map((claim) => claim.userId)).toEqual([holder.id]);
  });

  it("takes a perk without delivery through its own form, and refuses the address-less form for a delivered perk", async () => {
    as.user = other;
    expect(await run(claimPerkWithoutAddressAction, form({ perkId: rice }))).toEqual({ status: "error", message: "お届け先を入力してください。" });
    expect(await claimsOf(rice)).toHaveLength(1);
    expect(await run(claimPerkWithoutAddressAction, form({ perkId: tour }))).toMatchObject({ status: "ok" });
    const [claim] = await claimsOf(tour);
    expect(claim).toMatchObject({ userId: other.id, units: 30, address: null, postalCode: null });
  });

  it("says a perk that does not exist is not found", async () => {
    as.user = holder;
    expect(await run(claimPerkWithoutAddressAction, form({ perkId: "00000000-0000-4000-8000-000000000000" }))).toEqual({ status: "error", message: "この特典は見つかりません。" });
  });
});

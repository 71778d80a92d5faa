import { eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { as, form, run } from "@/test/session-mock";
import { getDb } from "@/db/client";
import { chainTransactions, perkClaims, type Offering } from "@/db/schema";
import { claimPerkAction } from "@/app/(investor)/perks/actions";
import { cancelClaimAction, createPerkAction, shipClaimAction } from "@/app/(staff)/staff/offerings/[id]/perks/actions";
import { GET as packingListRoute } from "@/app/(staff)/staff/offerings/[id]/perks/[perkId]/packing-list/route";
import type { SessionUser } from "@/lib/auth/roles";
import { translator } from "@/lib/i18n/catalog";
import { claimPerk } from "@/lib/perks/claims";
import { makeUser } from "@/test/fixtures";
import { TOKEN_A, twoIssuerWorld } from "./attack-world";
import { addProfile, claimsOf, DELIVERY, freezeHolders, perkFields, perksOf } from "./perks-world";

// Hostile and oversized input on every perk form comes back as field messages in the reader's
// language (never the "unexpected error" of a database refusal), and the packing list opens in
// Excel as the village office prints it.

let staffA: SessionUser;
let offeringA: Offering;
let holders: SessionUser[];
const HUGE = "あ".repeat(10 * 1024 * 1024);

type State = { status: string; message?: string; fieldErrors?: Record<string, string> };
const fieldsOf = (result: unknown) => (result as State).fieldErrors ?? {};

async function createAsA(overrides: Record<string, string> = {}): Promise<string> {
  as.user = staffA;
  const result = await run(createPerkAction, form(perkFields(offeringA.id, overrides)));
  if (!("redirect" in result)) throw new Error(`not created: ${JSON.stringify(result)}`);
  return result.redirect.split("/").pop()!;
}

const packingList = async (perkId: string) => {
  as.user = staffA;
  const response = await packingListRoute(new Request("http://localhost/"), { params: Promise.resolve({ id: offeringA.id, perkId }) });
  const bytes = new Uint8Array(await response.arrayBuffer());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return new TextDecoder().decode(bytes.subarray(3)).split("\r\n");
};

beforeAll(async () => {
  ({ staffA, offeringA } = await twoIssuerWorld());
  holders = [await makeUser(), await makeUser(), await makeUser()];
  for (const holder of holders) await addProfile(holder.id);
  await freezeHolders(
    offeringA.id,
    holders.map((holder) => ({ userId: holder.id, units: 12 })),
  );
});

beforeEach(() => {
  as.locale = "ja";
});

describe("hostile input", () => {
  it("answers NUL bytes, 10 MB fields and numbers past int4 on the perk form, in Japanese and in English", async () => {
    as.user = staffA;
    const before = (await perksOf(offeringA.id)).length;
    const hostile = { titleJa: "新米\u0000", descriptionEn: HUGE, minUnits: "2147483648", stock: "-1", claimOpensAt: "2026-13-01T10:00" };
    for (const locale of ["ja", "en"] as const) {
      as.locale = locale;
      const t = translator(locale);
      const result = await run(createPerkAction, form(perkFields(offeringA.id, hostile)));
      expect(result).toMatchObject({ status: "invalid", message: t("errors.invalid") });
      expect(fieldsOf(result)).toEqual({
        titleJa: t("perkErrors.characters"),
        descriptionEn: t("errors.tooLong", { max: 2000 }),
        minUnits: t("perkErrors.minUnits"),
        stock: t("perkErrors.stock"),
        claimOpensAt: t("perkErrors.dateTime"),
      });
    }
    as.locale = "ja";
    const redeeming = await run(createPerkAction, form(perkFields(offeringA.id, { kind: "redeeming", costUnits: "99999999999999999999" })));
    expect(fieldsOf(redeeming)).toEqual({ costUnits: translator("ja")("perkErrors.costUnits") });
    expect(await perksOf(offeringA.id)).toHaveLength(before);
  });

  it("refuses an SVG (scripts and all) as the perk's photo", async () => {
    as.user = staffA;
    const data = form(perkFields(offeringA.id));
    data.append("photo", new File(['<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'], "rice.svg", { type: "image/svg+xml" }));
    const result = await run(createPerkAction, data);
    expect(result).toMatchObject({ status: "invalid", fieldErrors: { photo: expect.any(String) } });
    expect(fieldsOf(result).photo).not.toBe(translator("ja")("errors.unexpected"));
  });

  it("keeps HTML in a title as text", async () => {
    const perkId = await createAsA({ titleEn: '<img src=x onerror="alert(1)">' });
    const [perk] = (await perksOf(offeringA.id)).filter((row) => row.id === perkId);
    expect(perk!.titleEn).toBe('<img src=x onerror="alert(1)">');
  });

  it("answers NUL bytes and 10 MB fields of a claim, a tracking number and a reason on the field", async () => {
    const perkId = await createAsA({ titleEn: "Hostile claims" });
    as.user = holders[0]!;
    const claim = await run(claimPerkAction, form({ perkId, ...DELIVERY, recipientName: "山田\u0000花子", address: HUGE, phone: "0868\u000079-2111" }));
    expect(claim).toMatchObject({ status: "invalid" });
    expect(Object.keys(fieldsOf(claim)).sort()).toEqual(["address", "phone", "recipientName"]);
    expect(await claimsOf(perkId)).toHaveLength(0);

    const outcome = await claimPerk({ perkId, userId: holders[0]!.id, delivery: DELIVERY });
    const claimId = (outcome as { claimId: string }).claimId;
    as.user = staffA;
    as.locale = "en";
    const t = translator("en");
    expect(fieldsOf(await run(shipClaimAction, form({ offeringId: offeringA.id, claimId, trackingNumber: "1234\u00005678" })))).toEqual({ trackingNumber: t("perkErrors.trackingNumber") });
    expect(fieldsOf(await run(shipClaimAction, form({ offeringId: offeringA.id, claimId, trackingNumber: HUGE })))).toEqual({ trackingNumber: t("perkErrors.trackingNumber") });
    expect(fieldsOf(await run(cancelClaimAction, form({ offeringId: offeringA.id, claimId, reason: "理由\u0000" })))).toEqual({ reason: t("perkErrors.characters") });
    expect(fieldsOf(await run(cancelClaimAction, form({ offeringId: offeringA.id, claimId, reason: HUGE })))).toEqual({ reason: t("errors.tooLong", { max: 500 }) });
    expect((await claimsOf(perkId))[0]).toMatchObject({ status: "claimed", trackingNumber: null, cancelReason: null });
  });
});

describe("the packing list as the village office prints it", () => {
  it("keeps phone numbers' leading zero in Excel and neutralises a formula in a name", async () => {
    const perkId = await createAsA({ titleJa: "干物セット" });
    const claim = (user: SessionUser, delivery: Partial<typeof DELIVERY>) => claimPerk({ perkId, userId: user.id, delivery: { ...DELIVERY, ...delivery } });
    await claim(holders[0]!, { phone: "0868792111" });
    await claim(holders[1]!, { phone: "09012345678", recipientName: '=HYPERLINK("http://evil.example","x")' });
    await claim(holders[2]!, { phone: "0868-79-2111" });
    const [header, ...rows] = await packingList(perkId);
    expect(header).toBe("申込ID,状態,お届け先氏名,フリガナ,郵便番号,住所,電話番号,品目,口数,申込日時（日本時間）");
    expect(rows.filter(Boolean)).toHaveLength(3);
    expect(rows[0]).toContain(',="0868792111",干物セット,12,');
    expect(rows[1]).toContain(`,"'=HYPERLINK(""http://evil.example"",""x"")",`);
    expect(rows[1]).toContain(",090-1234-5678,");
    expect(rows[2]).toContain(",0868-79-2111,");
  });

  it("lists the claims ready to ship first, then those whose burn is awaited or failed, each said so", async () => {
    const perkId = await createAsA({ kind: "redeeming", costUnits: "2", titleJa: "民泊" });
    const ids: string[] = [];
    for (const holder of holders) {
      const [row] = await getDb()
        .insert(perkClaims)
        .values({ perkId, userId: holder.id, units: 2, ...DELIVERY, burnSeq: Math.floor(Math.random() * 1e12), fromAddress: TOKEN_A })
        .returning();
      ids.push(row!.id);
    }
    const [failed] = await getDb()
      .insert(chainTransactions)
      .values({ signer: "0x0000000000000000000000000000000000000001", chainId: 31337, kind: "perk_burn", status: "failed", payload: { ref: { perkClaimIds: [ids[1]] } } as never })
      .returning();
    await getDb().update(perkClaims).set({ burnChainTransactionId: failed!.id }).where(eq(perkClaims.id, ids[1]!));
    await getDb().update(perkClaims).set({ burnedAt: new Date() }).where(eq(perkClaims.id, ids[2]!));
    const rows = (await packingList(perkId)).slice(1).filter(Boolean);
    const t = translator("ja");
    expect(rows.map((row) => row.split(",").slice(0, 2))).toEqual([
      [ids[2], t("perkPackingList.status.toShip")],
      [ids[1], t("perkPackingList.status.burnFailed")],
      [ids[0], t("perkPackingList.status.awaitingBurn")],
    ]);
  });
});

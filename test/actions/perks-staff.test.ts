import { and, count, eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { as, form, run } from "@/test/session-mock";
import { getDb } from "@/db/client";
import { auditLog, images, type Offering } from "@/db/schema";
import { cancelClaimAction, createPerkAction, shipClaimAction, updatePerkAction, withdrawPerkAction } from "@/app/(staff)/staff/offerings/[id]/perks/actions";
import { GET as packingListRoute } from "@/app/(staff)/staff/offerings/[id]/perks/[perkId]/packing-list/route";
import type { SessionUser } from "@/lib/auth/roles";
import { claimPerk } from "@/lib/perks/claims";
import { perkOfferingForStaff } from "@/lib/perks/ui-queries";
import { imageForViewer } from "@/lib/projects/images";
import { makeUser } from "@/test/fixtures";
import { PNG_1x1 } from "@/test/images";
import { twoIssuerWorld } from "./attack-world";
import { addProfile, claimRow, claimsOf, DELIVERY, freezeHolders, perkFields, perkRow, perksOf } from "./perks-world";

// Staff of issuer A work their perks; staff of issuer B name A's ids (through A's offering or
// their own) and get "not found", changing nothing.

let staffA: SessionUser;
let staffB: SessionUser;
let offeringA: Offering;
let offeringB: Offering;
let holders: SessionUser[];
let perkId: string;

const audits = async (action: string, targetId: string) =>
  (
    await getDb()
      .select({ n: count() })
      .from(auditLog)
      .where(and(eq(auditLog.action, action), eq(auditLog.targetId, targetId)))
  )[0]!.n;

const packingList = (offeringId: string, id: string) =>
  packingListRoute(new Request(`http://localhost/staff/offerings/${offeringId}/perks/${id}/packing-list`), { params: Promise.resolve({ id: offeringId, perkId: id }) });

async function createAsA(overrides: Record<string, string> = {}, photo?: File): Promise<string> {
  as.user = staffA;
  const data = form(perkFields(offeringA.id, overrides));
  if (photo) data.append("photo", photo);
  const result = await run(createPerkAction, data);
  if (!("redirect" in result)) throw new Error(`not created: ${JSON.stringify(result)}`);
  return result.redirect.split("/").pop()!;
}

async function claimFor(user: SessionUser, id = perkId) {
  const outcome = await claimPerk({ perkId: id, userId: user.id, delivery: DELIVERY });
  if (outcome.status !== "claimed") throw new Error(`not claimed: ${outcome.status}`);
  return outcome.claimId;
}

beforeAll(async () => {
  ({ staffA, staffB, offeringA, offeringB } = await twoIssuerWorld());
  holders = [await makeUser(), await makeUser(), await makeUser()];
  for (const holder of holders) await addProfile(holder.id);
  await freezeHolders(
    offeringA.id,
    holders.map((holder) => ({ userId: holder.id, units: 12 })),
  );
  perkId = await createAsA();
});

beforeEach(() => {
  as.locale = "ja";
});

describe("creating a perk", () => {
  it("creates an open perk of the offering and goes to its page", async () => {
    const perk = await perkRow(perkId);
    expect(perk).toMatchObject({ offeringId: offeringA.id, kind: "holding", minUnits: 10, recordDate: perkFields(offeringA.id).recordDate, stock: 5, status: "open", needsAddress: true });
    expect(await audits("perk.created", perkId)).toBe(1);
  });

  it("answers bad input with the field errors, creating nothing", async () => {
    as.user = staffA;
    const before = (await perksOf(offeringA.id)).length;
    const result = await run(createPerkAction, form(perkFields(offeringA.id, { titleJa: "", stock: "many", minUnits: "", claimClosesAt: perkFields(offeringA.id).claimOpensAt! })));
    expect(result).toMatchObject({ status: "invalid" });
    const { fieldErrors } = result as { fieldErrors: Record<string, string> };
    expect(Object.keys(fieldErrors).sort()).toEqual(["claimClosesAt", "minUnits", "stock", "titleJa"]);
    expect(await perksOf(offeringA.id)).toHaveLength(before);
  });

  it("refuses a file that is not an image on the photo field", async () => {
    as.user = staffA;
    const data = form(perkFields(offeringA.id));
    data.append("photo", new File(["GIF89a not really"], "rice.png", { type: "image/png" }));
    expect(await run(createPerkAction, data)).toMatchObject({ status: "invalid", fieldErrors: { photo: expect.any(String) } });
  });

  it("refuses staff of another issuer and investors", async () => {
    const before = (await perksOf(offeringA.id)).length;
    as.user = staffB;
    expect(await run(createPerkAction, form(perkFields(offeringA.id)))).toEqual({ status: "error", message: "特典が見つかりません。" });
    as.user = holders[0]!;
    expect(await run(createPerkAction, form(perkFields(offeringA.id)))).toMatchObject({ status: "error", message: "この操作を行う権限がありません。" });
    expect(await perksOf(offeringA.id)).toHaveLength(before);
  });

  it("lists perks only for staff of the issuer (the pages' check)", async () => {
    expect((await perkOfferingForStaff(staffA, offeringA.id))?.id).toBe(offeringA.id);
    expect(await perkOfferingForStaff(staffB, offeringA.id)).toBeNull();
  });
});

describe("the perk photo", () => {
  it("is public while the perk is open, then only for staff of its issuer", async () => {
    const id = await createAsA({ titleEn: "With a photo" }, new File([PNG_1x1], "rice.png", { type: "image/png" }));
    const { photoImageId } = await perkRow(id);
    expect(photoImageId).toBeTruthy();
    const [image] = await getDb().select().from(images).where(eq(images.id, photoImageId!));
    expect(image!.purpose).toBe("perk");
    expect(await imageForViewer(photoImageId!, null)).toMatchObject({ isPublic: true });

    as.user = staffA;
    expect(await run(withdrawPerkAction, form({ offeringId: offeringA.id, perkId: id }))).toMatchObject({ status: "ok" });
    expect(await imageForViewer(photoImageId!, null)).toBeNull();
    expect(await imageForViewer(photoImageId!, holders[0]!)).toBeNull();
    expect(await imageForViewer(photoImageId!, staffB)).toBeNull();
    expect(await imageForViewer(photoImageId!, staffA)).toMatchObject({ isPublic: false });
  });
});

describe("editing and withdrawing", () => {
  it("another issuer's staff get not found through either offering, and nothing changes", async () => {
    const before = await perkRow(perkId);
    as.user = staffB;
    for (const offeringId of [offeringA.id, offeringB.id]) {
      expect(await run(updatePerkAction, form({ ...perkFields(offeringId, { titleJa: "乗っ取り" }), perkId }))).toEqual({ status: "error", message: "特典が見つかりません。" });
      expect(await run(withdrawPerkAction, form({ offeringId, perkId }))).toEqual({ status: "error", message: "特典が見つかりません。" });
    }
    expect(await perkRow(perkId)).toEqual(before);
  });

  it("saves a change, and keeps the stock at or above what is claimed", async () => {
    const id = await createAsA({ titleEn: "Stock", stock: "3" });
    await claimFor(holders[0]!, id);
    await claimFor(holders[1]!, id);
    as.user = staffA;
    as.locale = "en";
    const refused = await run(updatePerkAction, form({ ...perkFields(offeringA.id, { titleEn: "Stock", stock: "1" }), perkId: id }));
    expect(refused).toMatchObject({ status: "invalid", fieldErrors: { stock: "The number cannot be below the claims already made (2)." } });
    const locked = await run(updatePerkAction, form({ ...perkFields(offeringA.id, { titleEn: "Stock", stock: "3", minUnits: "5" }), perkId: id }));
    expect(locked).toMatchObject({ status: "error", message: expect.stringContaining("cannot change") });
    expect(await run(updatePerkAction, form({ ...perkFields(offeringA.id, { titleEn: "More stock", stock: "8" }), perkId: id }))).toEqual({ status: "ok", message: "Saved." });
    expect(await perkRow(id)).toMatchObject({ titleEn: "More stock", stock: 8, minUnits: 10, claimed: 2 });
  });
});

describe("claims: ship, cancel, packing list", () => {
  let claimA: string;
  let claimB: string;

  beforeAll(async () => {
    claimA = await claimFor(holders[0]!);
    claimB = await claimFor(holders[1]!);
  });

  it("another issuer's staff cannot ship or cancel a claim, nor download the packing list", async () => {
    as.user = staffB;
    for (const offeringId of [offeringA.id, offeringB.id]) {
      expect(await run(shipClaimAction, form({ offeringId, claimId: claimA, trackingNumber: "1234-5678-9012" }))).toEqual({ status: "error", message: "お申込みが見つかりません。" });
      expect(await run(cancelClaimAction, form({ offeringId, claimId: claimA, reason: "乗っ取り" }))).toEqual({ status: "error", message: "お申込みが見つかりません。" });
      expect((await packingList(offeringId, perkId)).status).toBe(404);
    }
    expect(await claimRow(claimA)).toMatchObject({ status: "claimed", trackingNumber: null, cancelReason: null });
    expect(await audits("perk.packing_list_downloaded", perkId)).toBe(0);
  });

  it("answers a bad tracking number or an empty reason on the field", async () => {
    as.user = staffA;
    expect(await run(shipClaimAction, form({ offeringId: offeringA.id, claimId: claimA, trackingNumber: "<script>" }))).toMatchObject({
      status: "invalid",
      fieldErrors: { trackingNumber: expect.any(String) },
    });
    expect(await run(cancelClaimAction, form({ offeringId: offeringA.id, claimId: claimA, reason: "  " }))).toMatchObject({ status: "invalid", fieldErrors: { reason: expect.any(String) } });
    expect(await run(shipClaimAction, form({ offeringId: offeringA.id, claimId: "not-a-uuid", trackingNumber: "1234" }))).toMatchObject({ status: "invalid" });
    expect((await claimRow(claimA)).status).toBe("claimed");
  });

  it("gives the packing list of claims to ship as a CSV attachment, audited", async () => {
    as.user = staffA;
    const response = await packingList(offeringA.id, perkId);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename=".+\.csv"$/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain("ヤマダ ハナコ");
    expect(text).toContain("707-0503");
    expect(text.trim().split("\n")).toHaveLength(3);
    expect(await audits("perk.packing_list_downloaded", perkId)).toBe(1);
  });

  it("ships a claim with its tracking number, then refuses to cancel it", async () => {
    as.user = staffA;
    expect(await run(shipClaimAction, form({ offeringId: offeringA.id, claimId: claimA, trackingNumber: "1234-5678-9012" }))).toEqual({
      status: "ok",
      message: "発送済みにしました。お申込みの方にお知らせしました。",
    });
    expect(await claimRow(claimA)).toMatchObject({ status: "shipped", trackingNumber: "1234-5678-9012", shippedBy: staffA.id });
    expect(await run(cancelClaimAction, form({ offeringId: offeringA.id, claimId: claimA, reason: "間違い" }))).toMatchObject({ status: "error" });
    expect((await claimRow(claimA)).status).toBe("shipped");
  });

  it("cancels a claim with its reason and gives the stock back", async () => {
    as.user = staffA;
    const claimedBefore = (await perkRow(perkId)).claimed;
    expect(await run(cancelClaimAction, form({ offeringId: offeringA.id, claimId: claimB, reason: "お届け先に届けられません" }))).toMatchObject({ status: "ok" });
    expect(await claimRow(claimB)).toMatchObject({ status: "cancelled", cancelReason: "お届け先に届けられません", cancelledBy: staffA.id });
    expect((await perkRow(perkId)).claimed).toBe(claimedBefore - 1);
    expect((await claimsOf(perkId)).filter((claim) => claim.status !== "cancelled")).toHaveLength(1);
  });
});

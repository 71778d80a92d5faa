import { and, eq, sql } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { as, form, run } from "@/test/session-mock";
import { getDb } from "@/db/client";
import { chainTransactions, forcedTransferRequests, ledgerEntries, notifications, offerings, orders, perkClaims, type Offering } from "@/db/schema";
import { claimPerkAction, claimPerkWithoutAddressAction } from "@/app/(investor)/perks/actions";
import { cancelClaimAction, createPerkAction, shipClaimAction, updatePerkAction } from "@/app/(staff)/staff/offerings/[id]/perks/actions";
import type { SessionUser } from "@/lib/auth/roles";
import { claimPerk } from "@/lib/perks/claims";
import { perkById, perkEligibility, perksForHolder } from "@/lib/perks/queries";
import { imageForViewer } from "@/lib/projects/images";
import { makeInvestor, makeOffering } from "@/test/chain-support";
import { makeStaffOf } from "@/test/coupon-world";
import { PNG_1x1 } from "@/test/images";
import { TOKEN_A, twoIssuerWorld } from "./attack-world";
import { addProfile, claimRow, DELIVERY, freezeHolders, perkFields, perkRow } from "./perks-world";

// Holes found by attacking the perks, each shown here before it was mended: units given up twice
// (a cancelled claim's failed burn, a refund's clawback on its way, a wallet being recovered), a
// draft offering's perk and photo in public, claims racing staff, and terms changed under claims.

let staffA: SessionUser;
let offeringA: Offering;
let recordHolders: SessionUser[];

async function createAs(staff: SessionUser, offeringId: string, overrides: Record<string, string> = {}, photo?: File): Promise<string> {
  as.user = staff;
  const data = form(perkFields(offeringId, overrides));
  if (photo) data.append("photo", photo);
  const result = await run(createPerkAction, data);
  if (!("redirect" in result)) throw new Error(`not created: ${JSON.stringify(result)}`);
  return result.redirect.split("/").pop()!;
}

const redeeming = (cost: number, overrides: Record<string, string> = {}) => createAs(staffA, offeringA.id, { kind: "redeeming", costUnits: String(cost), needsAddress: "false", ...overrides });

/** An investor whose wallet holds `units` of offering A in the ledger. */
async function tokenHolder(units: number): Promise<SessionUser & { address: string }> {
  const investor = await makeInvestor(getDb());
  await addProfile(investor.userId);
  await getDb()
    .insert(ledgerEntries)
    .values({ kind: "tokens_allocated", offeringId: offeringA.id, userId: investor.userId, units, detail: { to: investor.address } });
  return { id: investor.userId, email: `${investor.userId}@example.jp`, name: null, role: "investor", address: investor.address };
}

async function claimed(perkId: string, user: SessionUser): Promise<string> {
  const outcome = await claimPerk({ perkId, userId: user.id, delivery: DELIVERY });
  if (outcome.status !== "claimed") throw new Error(`not claimed: ${JSON.stringify(outcome)}`);
  return outcome.claimId;
}

/** The claim's burn transaction as the signer queue leaves it. */
async function burnSent(claimId: string, status: "sent" | "failed") {
  const [row] = await getDb()
    .insert(chainTransactions)
    .values({
      signer: "0x0000000000000000000000000000000000000001",
      chainId: 31337,
      kind: "perk_burn",
      status,
      payload: { contract: "VillageToken", functionName: "redeem", args: [], to: TOKEN_A, data: "0x", ref: { perkClaimIds: [claimId] } },
    })
    .returning();
  await getDb().update(perkClaims).set({ burnChainTransactionId: row!.id }).where(eq(perkClaims.id, claimId));
  return row!.id;
}

const cancelForm = (claimId: string, reason = "品切れのため") => form({ offeringId: offeringA.id, claimId, reason });
const jobs = async (name: string, claimId: string) =>
  (await getDb().execute<{ n: number }>(sql`select count(*)::int as n from pgboss.job where name = ${name} and data->>'claimId' = ${claimId}`))[0]!.n;

beforeAll(async () => {
  ({ staffA, offeringA } = await twoIssuerWorld());
  recordHolders = [await tokenHolder(12), await tokenHolder(12), await tokenHolder(12)];
  await freezeHolders(
    offeringA.id,
    recordHolders.map((holder) => ({ userId: holder.id, units: 12 })),
  );
});

beforeEach(() => {
  as.locale = "ja";
});

describe("giving up the same tokens twice", () => {
  it("frees the units of a claim cancelled after its burn failed (never sent again), but not of one whose burn is on its way", async () => {
    const perkId = await redeeming(6);
    const [failed, onItsWay] = [await tokenHolder(10), await tokenHolder(10)];
    const txIds: string[] = [];
    for (const [holder, status] of [
      [failed, "failed"],
      [onItsWay, "sent"],
    ] as const) {
      const claimId = await claimed(perkId, holder);
      txIds.push(await burnSent(claimId, status));
      as.user = staffA;
      expect(await run(cancelClaimAction, cancelForm(claimId))).toMatchObject({ status: "ok" });
    }
    // The failed burn no longer waits for staff on the chain page; the one on its way is left alone.
    const payloads = await Promise.all(txIds.map(async (id) => (await getDb().select().from(chainTransactions).where(eq(chainTransactions.id, id)))[0]!.payload));
    expect(payloads.map((payload) => payload?.resolution?.action ?? null)).toEqual(["given_up", null]);
    expect(await perkEligibility(await perkRow(perkId), failed.id)).toMatchObject({ status: "eligible", units: 10 });
    expect(await perkEligibility(await perkRow(perkId), onItsWay.id)).toMatchObject({ status: "insufficient_units", units: 4 });
    as.user = failed;
    expect(await run(claimPerkWithoutAddressAction, form({ perkId }))).toMatchObject({ status: "ok" });
  });

  it("does not let units a refund's clawback is about to take be given up for a perk", async () => {
    const perkId = await redeeming(12);
    const holder = await tokenHolder(10);
    const [order] = await getDb().insert(orders).values({ userId: holder.id, offeringId: offeringA.id, units: 8, amountYen: 8_000, status: "refunded", reservationExpiresAt: new Date() }).returning();
    await getDb()
      .insert(ledgerEntries)
      .values({ kind: "tokens_allocated", offeringId: offeringA.id, orderId: order!.id, userId: holder.id, units: 8, detail: { to: holder.address } });
    expect(await perkEligibility(await perkRow(perkId), holder.id)).toMatchObject({ status: "insufficient_units", units: 10 });
    as.user = holder;
    as.locale = "en";
    expect(await run(claimPerkWithoutAddressAction, form({ perkId }))).toMatchObject({ status: "error", message: expect.stringContaining("You have 10 tokens free to give up") });
    // Once the clawback is booked the ledger says so itself: still 10.
    await getDb()
      .insert(ledgerEntries)
      .values({ kind: "tokens_clawed_back", offeringId: offeringA.id, orderId: order!.id, userId: holder.id, units: -8, detail: { from: holder.address } });
    expect((await perkEligibility(await perkRow(perkId), holder.id)).units).toBe(10);
  });

  it("refuses to give up tokens while staff move the wallet's whole balance to a new wallet", async () => {
    const perkId = await redeeming(2);
    const holder = await tokenHolder(10);
    const [request] = await getDb()
      .insert(forcedTransferRequests)
      .values({ offeringId: offeringA.id, holderId: holder.id, fromAddress: holder.address, units: 10, reason: "lost key", requestedBy: staffA.id })
      .returning();
    expect(await claimPerk({ perkId, userId: holder.id, delivery: null })).toMatchObject({ status: "not_eligible", eligibility: { status: "wallet_in_recovery", units: 10 } });
    await getDb().update(forcedTransferRequests).set({ status: "rejected" }).where(eq(forcedTransferRequests.id, request!.id));
    expect((await claimPerk({ perkId, userId: holder.id, delivery: null })).status).toBe("claimed");
  });

  it("claims several redeeming perks at once without spending more than is held", async () => {
    const perkIds = [await redeeming(6), await redeeming(6), await redeeming(6)];
    const holder = await tokenHolder(10);
    const outcomes = await Promise.all(perkIds.map((perkId) => claimPerk({ perkId, userId: holder.id, delivery: null })));
    expect(outcomes.filter((outcome) => outcome.status === "claimed")).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.status === "not_eligible")).toEqual([
      { status: "not_eligible", eligibility: expect.objectContaining({ status: "insufficient_units", units: 4 }) },
      { status: "not_eligible", eligibility: expect.objectContaining({ status: "insufficient_units", units: 4 }) },
    ]);
  });
});

describe("a draft offering's perks", () => {
  it("are not public, photo included, until the offering is", async () => {
    const { id } = await makeOffering(getDb());
    await getDb().update(offerings).set({ status: "draft" }).where(eq(offerings.id, id));
    const [draft] = await getDb().select().from(offerings).where(eq(offerings.id, id));
    const staff = await makeStaffOf(draft!.villageId);
    const perkId = await createAs(staff, id, {}, new File([PNG_1x1], "rice.png", { type: "image/png" }));
    const { photoImageId } = await perkRow(perkId);
    const holder = recordHolders[0]!;
    expect(await imageForViewer(photoImageId!, null)).toBeNull();
    expect(await imageForViewer(photoImageId!, holder)).toBeNull();
    expect(await imageForViewer(photoImageId!, staff)).toMatchObject({ isPublic: false });
    expect((await perkById(perkId))?.offeringPublic).toBe(false);
    await getDb().insert(ledgerEntries).values({ kind: "tokens_allocated", offeringId: id, userId: holder.id, units: 1, detail: {} });
    expect((await perksForHolder(holder.id)).map((item) => item.perk.id)).not.toContain(perkId);
    as.user = holder;
    expect(await run(claimPerkAction, form({ perkId, ...DELIVERY }))).toEqual({ status: "error", message: "この特典は見つかりません。" });
    expect(await claimPerk({ perkId, userId: holder.id, delivery: DELIVERY })).toEqual({ status: "not_found" });

    await getDb().update(offerings).set({ status: "open" }).where(eq(offerings.id, id));
    expect(await imageForViewer(photoImageId!, null)).toMatchObject({ isPublic: true });
  });
});

describe("staff racing themselves and the holder", () => {
  it("cancels a burned claim once when cancelled twice at once: stock back once, one give-back queued, one notice", async () => {
    const perkId = await redeeming(3, { stock: "2" });
    const holder = await tokenHolder(3);
    const claimId = await claimed(perkId, holder);
    await getDb().update(perkClaims).set({ burnedAt: new Date() }).where(eq(perkClaims.id, claimId));
    as.user = staffA;
    const results = await Promise.all([run(cancelClaimAction, cancelForm(claimId, "一回目")), run(cancelClaimAction, cancelForm(claimId, "二回目"))]);
    expect(results.map((result) => (result as { status: string }).status).sort()).toEqual(["error", "ok"]);
    expect((await perkRow(perkId)).claimed).toBe(0);
    expect(await jobs("perks.restore", claimId)).toBe(1);
    const restoreSeq = (await claimRow(claimId)).restoreSeq;
    expect(restoreSeq).toBeGreaterThan(0);
    const notices = await getDb()
      .select()
      .from(notifications)
      .where(and(eq(notifications.kind, "perk_cancelled"), sql`${notifications.detail}->>'perkClaimId' = ${claimId}`));
    expect(notices).toHaveLength(1);
  });

  it("ships or cancels a claim, never both, when both are asked at once", async () => {
    const perkId = await createAs(staffA, offeringA.id, { titleEn: "Race" });
    const claimId = await claimed(perkId, recordHolders[1]!);
    as.user = staffA;
    const [shipped, cancelled] = await Promise.all([run(shipClaimAction, form({ offeringId: offeringA.id, claimId, trackingNumber: "1234-5678" })), run(cancelClaimAction, cancelForm(claimId))]);
    const claim = await claimRow(claimId);
    const statuses = [(shipped as { status: string }).status, (cancelled as { status: string }).status];
    expect(statuses.filter((status) => status === "ok")).toHaveLength(1);
    expect(claim.status).toBe(statuses[0] === "ok" ? "shipped" : "cancelled");
    expect((await perkRow(perkId)).claimed).toBe(claim.status === "shipped" ? 1 : 0);
  });
});

describe("terms under claims", () => {
  it("does not start asking for an address once claims were taken without one", async () => {
    const perkId = await createAs(staffA, offeringA.id, { titleEn: "Village tour", needsAddress: "false" });
    await claimed(perkId, recordHolders[2]!);
    as.user = staffA;
    as.locale = "en";
    const result = await run(updatePerkAction, form(perkFields(offeringA.id, { perkId, titleEn: "Village tour", needsAddress: "true" })));
    expect(result).toEqual({ status: "error", message: expect.stringContaining("nor can a perk that took claims without an address start asking for one") });
    expect((await perkRow(perkId)).needsAddress).toBe(false);
  });

  it("never takes a claim on the old cost while staff change it: the change waits for claims under way, or is refused", async () => {
    for (let round = 0; round < 5; round++) {
      const perkId = await redeeming(2, { stock: "50" });
      const claimers = await Promise.all(Array.from({ length: 8 }, () => tokenHolder(10)));
      as.user = staffA;
      const [changed, ...outcomes] = await Promise.all([
        new Promise((resolve) => setTimeout(resolve, round)).then(() =>
          run(updatePerkAction, form(perkFields(offeringA.id, { perkId, kind: "redeeming", costUnits: "7", stock: "50", needsAddress: "false" }))),
        ),
        ...claimers.map((holder) => claimPerk({ perkId, userId: holder.id, delivery: null })),
      ]);
      const perk = await perkRow(perkId);
      const units = (await getDb().select().from(perkClaims).where(eq(perkClaims.perkId, perkId))).map((claim) => claim.units);
      expect(units.every((value) => value === perk.costUnits)).toBe(true);
      expect((changed as { status: string }).status === "ok").toBe(perk.costUnits === 7);
      expect(outcomes.filter((outcome) => outcome.status === "claimed")).toHaveLength(units.length);
    }
  });

  it("refuses a record date that ends after claims close, and reads a datetime-local with seconds as Tokyo time", async () => {
    as.user = staffA;
    const fields = { claimOpensAt: "2030-01-01T00:00:30", claimClosesAt: "2030-02-01T09:00" };
    const late = await run(createPerkAction, form(perkFields(offeringA.id, { ...fields, recordDate: "2030-02-01" })));
    expect(late).toMatchObject({ status: "invalid", fieldErrors: { recordDate: expect.stringContaining("権利確定日は申込の終了より前に終わる日") } });
    expect(Object.keys((late as { fieldErrors: object }).fieldErrors)).toEqual(["recordDate"]);
    const perkId = await createAs(staffA, offeringA.id, { ...fields, recordDate: "2030-01-31" });
    const perk = await perkRow(perkId);
    expect(perk.claimOpensAt.toISOString()).toBe("2029-12-31T15:00:00.000Z");
    expect(perk.claimClosesAt.toISOString()).toBe("2030-02-01T00:00:00.000Z");
  });
});

import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { chainTransactions, ledgerEntries, notifications, offerings, perkClaims, perks, recordSnapshots, snapshotHoldings } from "@/db/schema";
import { makeInvestor, makeOffering } from "@/test/chain-support";
import { makeUser } from "@/test/fixtures";
import { cancelClaim, claimPerk, shipClaim } from "./claims";
import { createPerk } from "./define";
import { perkEligibility } from "./queries";
import type { PerkValues } from "./schemas";

// Claims under concurrency, and the staff's steps on them. The holders' snapshot is inserted
// frozen here (eligibility.test.ts takes a real one from the dev chain).

const HOUR = 3_600_000;
const RECORD_DATE = "2026-03-31";
const TOKEN = "0x00000000000000000000000000000000000000aa";
const delivery = { recipientName: "山田 花子", recipientKana: "ヤマダ ハナコ", postalCode: "707-0503", address: "岡山県英田郡西森村影石33-1", phone: "0868-79-2111" };
let offeringId: string;
let otherOfferingId: string;
let staffId: string;
let snapshotId: string;

const base = (overrides: Partial<PerkValues>): PerkValues => ({
  kind: "holding",
  titleJa: "新米",
  titleEn: "New rice",
  descriptionJa: "新米",
  descriptionEn: "Rice",
  minUnits: 1,
  recordDate: RECORD_DATE,
  costUnits: null,
  stock: 20,
  claimOpensAt: new Date(Date.now() - HOUR),
  claimClosesAt: new Date(Date.now() + 24 * HOUR),
  needsAddress: true,
  ...overrides,
});

async function perkOf(overrides: Partial<PerkValues> = {}, offering = offeringId) {
  const outcome = await createPerk({ offeringId: offering, values: base(overrides), photoImageId: null, actorId: staffId });
  if ("refused" in outcome) throw new Error(outcome.refused);
  return outcome.id;
}
const perkRow = async (id: string) => (await getDb().select().from(perks).where(eq(perks.id, id)))[0]!;
const claimRow = async (id: string) => (await getDb().select().from(perkClaims).where(eq(perkClaims.id, id)))[0]!;
const jobsFor = async (name: string, claimId: string) =>
  (await getDb().execute<{ n: number }>(sql`select count(*)::int as n from pgboss.job where name = ${name} and data->>'claimId' = ${claimId}`))[0]!.n;
const noticesOf = (userId: string, kind: "perk_claimed" | "perk_shipped" | "perk_cancelled") =>
  getDb()
    .select()
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.kind, kind)));

/** A holder in the frozen snapshot of the record date with these units. */
async function holder(units = 5) {
  const investor = await makeInvestor(getDb());
  await getDb().insert(snapshotHoldings).values({ snapshotId, address: investor.address, userId: investor.userId, units });
  return investor;
}

/** A holder with units at their wallet in the ledger now (for redeeming perks). */
async function tokenHolder(units: number) {
  const investor = await makeInvestor(getDb());
  await getDb()
    .insert(ledgerEntries)
    .values({ kind: "tokens_allocated", offeringId, userId: investor.userId, units, detail: { to: investor.address } });
  return investor;
}

beforeAll(async () => {
  offeringId = (await makeOffering(getDb())).id;
  otherOfferingId = (await makeOffering(getDb())).id;
  await getDb().update(offerings).set({ tokenAddress: TOKEN, chainId: 31337 }).where(eq(offerings.id, offeringId));
  staffId = (await makeUser("staff")).id;
  const [snapshot] = await getDb()
    .insert(recordSnapshots)
    .values({ offeringId, paymentDate: null, recordDate: RECORD_DATE, cutoffAt: new Date("2026-03-31T15:00:00Z"), status: "frozen", blockNumber: 1 })
    .returning();
  snapshotId = snapshot!.id;
});

describe("claiming under concurrency", () => {
  it("never goes beyond the stock: 100 holders at once on 20 in stock → exactly 20 claims", async () => {
    const perkId = await perkOf({ stock: 20 });
    const holders = [];
    for (let i = 0; i < 100; i++) holders.push(await holder(3));
    const outcomes = await Promise.all(holders.map((one) => claimPerk({ perkId, userId: one.userId, delivery })));
    expect(outcomes.filter((outcome) => outcome.status === "claimed")).toHaveLength(20);
    expect(outcomes.filter((outcome) => outcome.status === "sold_out")).toHaveLength(80);
    expect((await perkRow(perkId)).claimed).toBe(20);
    expect(await getDb().select().from(perkClaims).where(eq(perkClaims.perkId, perkId))).toHaveLength(20);
    // A refused claim left nothing behind: no notice for the 80.
    const notified = await getDb().execute<{ n: number }>(sql`select count(*)::int as n from notifications where kind = 'perk_claimed' and detail->>'perkId' = ${perkId}`);
    expect(notified[0]!.n).toBe(20);
    expect((await perkEligibility(await perkRow(perkId), (await holder(3)).userId)).status).toBe("sold_out");
  });

  it("claims once when the same holder claims twice at once (two tabs): one claim, stock taken once", async () => {
    const perkId = await perkOf({ stock: 5 });
    const one = await holder(4);
    const outcomes = await Promise.all([claimPerk({ perkId, userId: one.userId, delivery }), claimPerk({ perkId, userId: one.userId, delivery })]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(["already_claimed", "claimed"]);
    const claims = await getDb().select().from(perkClaims).where(eq(perkClaims.perkId, perkId));
    expect(claims).toHaveLength(1);
    expect(outcomes.every((outcome) => "claimId" in outcome && outcome.claimId === claims[0]!.id)).toBe(true);
    expect((await perkRow(perkId)).claimed).toBe(1);
  });

  it("refuses outside the window and after a withdrawal", async () => {
    const one = await holder(4);
    const later = await perkOf({ claimOpensAt: new Date(Date.now() + HOUR), claimClosesAt: new Date(Date.now() + 2 * HOUR) });
    expect(await claimPerk({ perkId: later, userId: one.userId, delivery })).toMatchObject({ status: "not_eligible", eligibility: { status: "not_open_yet", units: 4 } });
    const closed = await perkOf({ claimOpensAt: new Date(Date.now() - 2 * HOUR), claimClosesAt: new Date(Date.now() - HOUR) });
    expect(await claimPerk({ perkId: closed, userId: one.userId, delivery })).toMatchObject({ eligibility: { status: "closed" } });
    const withdrawn = await perkOf();
    await getDb().update(perks).set({ status: "withdrawn" }).where(eq(perks.id, withdrawn));
    expect(await claimPerk({ perkId: withdrawn, userId: one.userId, delivery })).toMatchObject({ eligibility: { status: "withdrawn" } });
  });
});

describe("redeeming, shipping and cancelling", () => {
  it("gives a redeeming claim its burn key and job, and counts its units as spent until the burn", async () => {
    const perkId = await perkOf({ kind: "redeeming", costUnits: 10, minUnits: null, recordDate: null, needsAddress: false });
    const one = await tokenHolder(30);
    const outcome = await claimPerk({ perkId, userId: one.userId, delivery });
    expect(outcome.status).toBe("claimed");
    const claim = await claimRow((outcome as { claimId: string }).claimId);
    expect(claim).toMatchObject({ units: 10, fromAddress: one.address, recipientName: null, restoreSeq: null });
    expect(claim.burnSeq).toBeGreaterThan(0);
    expect(await jobsFor("perks.burn", claim.id)).toBe(1);
    const dearer = await perkRow(await perkOf({ kind: "redeeming", costUnits: 25, minUnits: null, recordDate: null }));
    expect(await perkEligibility(dearer, one.userId)).toEqual({ status: "insufficient_units", units: 20, needed: 25, claim: null });
    // Booked burn (the burn job's ledger entry and burnedAt): still 20 free.
    await getDb()
      .insert(ledgerEntries)
      .values({ kind: "tokens_redeemed", offeringId, userId: one.userId, units: -10, detail: { from: one.address, perkClaimId: claim.id } });
    await getDb().update(perkClaims).set({ burnedAt: new Date() }).where(eq(perkClaims.id, claim.id));
    expect((await perkEligibility(dearer, one.userId)).units).toBe(20);
  });

  it("refuses a redeeming claim of a frozen wallet", async () => {
    const perk = await perkRow(await perkOf({ kind: "redeeming", costUnits: 5, minUnits: null, recordDate: null }));
    const one = await tokenHolder(10);
    const freeze = (kind: "freeze" | "unfreeze") =>
      getDb()
        .insert(chainTransactions)
        .values({
          signer: "0x0000000000000000000000000000000000000001",
          chainId: 31337,
          kind,
          status: "confirmed",
          payload: { contract: "VillageToken", functionName: "setFrozen", args: [], to: TOKEN, data: "0x", ref: { address: one.address.toLowerCase() } },
        });
    await freeze("freeze");
    expect(await perkEligibility(perk, one.userId)).toMatchObject({ status: "wallet_frozen", units: 10 });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await freeze("unfreeze");
    expect((await perkEligibility(perk, one.userId)).status).toBe("eligible");
  });

  it("ships a redeeming claim only after its burn, and only through its own offering", async () => {
    const perkId = await perkOf({ kind: "redeeming", costUnits: 3, minUnits: null, recordDate: null });
    const one = await tokenHolder(3);
    const { claimId } = (await claimPerk({ perkId, userId: one.userId, delivery })) as { claimId: string };
    expect(await shipClaim({ claimId, offeringId, trackingNumber: "1234-5678", actorId: staffId })).toBe("not_burned");
    await getDb().update(perkClaims).set({ burnedAt: new Date() }).where(eq(perkClaims.id, claimId));
    expect(await shipClaim({ claimId, offeringId: otherOfferingId, trackingNumber: "1234-5678", actorId: staffId })).toBe("not_found");
    expect(await cancelClaim({ claimId, offeringId: otherOfferingId, reason: "x", actorId: staffId })).toBe("not_found");
    expect((await claimRow(claimId)).status).toBe("claimed");
    expect(await shipClaim({ claimId, offeringId, trackingNumber: "1234-5678", actorId: staffId })).toBe("ok");
    expect(await claimRow(claimId)).toMatchObject({ status: "shipped", trackingNumber: "1234-5678", shippedBy: staffId });
    expect((await noticesOf(one.userId, "perk_shipped"))[0]!.detail).toMatchObject({ perkId, perkClaimId: claimId, trackingNumber: "1234-5678", perkTitleJa: "新米" });
    // Shipped: neither shipped again nor cancelled.
    expect(await shipClaim({ claimId, offeringId, trackingNumber: "9", actorId: staffId })).toBe("not_allowed");
    expect(await cancelClaim({ claimId, offeringId, reason: "late", actorId: staffId })).toBe("not_allowed");
  });

  it("cancels a burned redemption: stock back, a restore key and job for the new allocation", async () => {
    const perkId = await perkOf({ kind: "redeeming", costUnits: 4, minUnits: null, recordDate: null, stock: 1 });
    const one = await tokenHolder(4);
    const { claimId } = (await claimPerk({ perkId, userId: one.userId, delivery })) as { claimId: string };
    expect((await perkRow(perkId)).claimed).toBe(1);
    await getDb().update(perkClaims).set({ burnedAt: new Date() }).where(eq(perkClaims.id, claimId));
    expect(await cancelClaim({ claimId, offeringId, reason: "品切れのため", actorId: staffId })).toBe("ok");
    const claim = await claimRow(claimId);
    expect(claim).toMatchObject({ status: "cancelled", cancelReason: "品切れのため", cancelledBy: staffId });
    expect(claim.restoreSeq).toBeGreaterThan(0);
    expect(await jobsFor("perks.restore", claimId)).toBe(1);
    expect((await perkRow(perkId)).claimed).toBe(0);
    expect((await noticesOf(one.userId, "perk_cancelled"))[0]!.detail).toMatchObject({ perkClaimId: claimId, reason: "品切れのため", units: 4 });
  });

  it("cancels a redemption not yet burned: stock back, burn key kept, nothing to restore", async () => {
    const perkId = await perkOf({ kind: "redeeming", costUnits: 2, minUnits: null, recordDate: null, stock: 1 });
    const one = await tokenHolder(2);
    const { claimId } = (await claimPerk({ perkId, userId: one.userId, delivery })) as { claimId: string };
    const burnSeq = (await claimRow(claimId)).burnSeq;
    expect(await cancelClaim({ claimId, offeringId, reason: "取消", actorId: staffId })).toBe("ok");
    expect(await claimRow(claimId)).toMatchObject({ status: "cancelled", burnSeq, restoreSeq: null });
    expect(await jobsFor("perks.restore", claimId)).toBe(0);
    expect((await perkRow(perkId)).claimed).toBe(0);
    // The stock and the holder's units are free again: a new claim goes through.
    expect((await claimPerk({ perkId, userId: one.userId, delivery })).status).toBe("claimed");
  });
});

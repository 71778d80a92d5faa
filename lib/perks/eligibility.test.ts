import { and, eq, sql } from "drizzle-orm";
import { createTestClient, http } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, perkClaims, perks } from "@/db/schema";
import { allocateWaiting } from "@/lib/chain/allocate";
import type { ChainContext } from "@/lib/chain/context";
import { recordCutoff } from "@/lib/bonds/snapshot";
import { takeHoldersSnapshot } from "@/lib/holders/snapshot";
import { tokyoDate } from "@/lib/projects/dates";
import { makeInvestor, makeOfferingWithToken, makePaidOrder, startHardhatNode, testChainContext, type HardhatNode } from "@/test/chain-support";
import { makeUser } from "@/test/fixtures";
import { setTestSettings } from "@/test/settings";
import { claimPerk } from "./claims";
import { createPerk } from "./define";
import { perkEligibility, perksForHolder } from "./queries";
import type { PerkValues } from "./schemas";

// Who may claim a holding perk is decided by the chain at the end of the record date (a real
// holders' snapshot on the dev chain), not by what the holder has when they ask.

const HOUR = 3_600_000;
let node: HardhatNode;
let ctx: ChainContext;
let offering: { id: string };
const recordDate = tokyoDate(new Date());
const cutoff = recordCutoff(recordDate);
const after = new Date(cutoff.getTime() + 3 * HOUR);
let staffId: string;

const delivery = { recipientName: "山田 花子", recipientKana: "ヤマダ ハナコ", postalCode: "707-0503", address: "岡山県英田郡西森村影石33-1", phone: "0868-79-2111" };
const values = (overrides: Partial<PerkValues> = {}): PerkValues => ({
  kind: "holding",
  titleJa: "新米",
  titleEn: "New rice",
  descriptionJa: "秋の新米5kg",
  descriptionEn: "5 kg of new rice",
  minUnits: 10,
  recordDate,
  costUnits: null,
  stock: 50,
  claimOpensAt: new Date(Date.now() - HOUR),
  claimClosesAt: new Date(cutoff.getTime() + 30 * 24 * HOUR),
  needsAddress: true,
  ...overrides,
});

async function holderWith(units: number) {
  const investor = await makeInvestor(getDb());
  await makePaidOrder(getDb(), { userId: investor.userId, offeringId: offering.id, units });
  await allocateWaiting(ctx);
  return investor;
}

async function perkRow(id: string) {
  const [row] = await getDb().select().from(perks).where(eq(perks.id, id));
  return row!;
}

async function created(overrides: Partial<PerkValues> = {}) {
  const outcome = await createPerk({ offeringId: offering.id, values: values(overrides), photoImageId: null, actorId: staffId });
  if ("refused" in outcome) throw new Error(outcome.refused);
  return perkRow(outcome.id);
}

beforeAll(async () => {
  node = await startHardhatNode();
  setTestSettings({ CHAIN_RPC_URL: node.rpcUrl });
  ctx = testChainContext(getDb(), node.rpcUrl);
  offering = await makeOfferingWithToken(ctx);
  staffId = (await makeUser("staff")).id;
});
afterAll(async () => node?.stop());

describe("eligibility at the record date", () => {
  let big: Awaited<ReturnType<typeof holderWith>>;
  let small: Awaited<ReturnType<typeof holderWith>>;
  let late: Awaited<ReturnType<typeof holderWith>>;
  let perkId: string;

  it("waits for the holders' snapshot of the record date", async () => {
    big = await holderWith(12);
    small = await holderWith(5);
    perkId = (await created()).id;
    // The record date has not ended when the perk is made: no snapshot is asked for yet.
    const [jobs] = await getDb().execute<{ n: number }>(sql`select count(*)::int as n from pgboss.job where name = 'holders.record-snapshot' and data->>'offeringId' = ${offering.id}`);
    expect(jobs!.n).toBe(0);
    expect(await perkEligibility(await perkRow(perkId), big.userId, after)).toMatchObject({ status: "snapshot_pending", units: 0, needed: 10 });
  });

  it("holds who held at the end of the record date: a holder who bought after it is not eligible, one below the minimum is told so", async () => {
    // An hour after the record date has ended (chain time), a new holder buys more than the minimum.
    await createTestClient({ mode: "hardhat", transport: http(node.rpcUrl) }).setNextBlockTimestamp({ timestamp: BigInt(Math.floor((cutoff.getTime() + HOUR) / 1000)) });
    late = await holderWith(40);
    expect((await takeHoldersSnapshot({ offeringId: offering.id, recordDate, now: new Date(cutoff.getTime() + 2 * HOUR) }, ctx)).status).toBe("frozen");

    const perk = await perkRow(perkId);
    expect(await perkEligibility(perk, big.userId, after)).toEqual({ status: "eligible", units: 12, needed: 10, claim: null });
    expect(await perkEligibility(perk, small.userId, after)).toEqual({ status: "below_minimum", units: 5, needed: 10, claim: null });
    expect(await perkEligibility(perk, late.userId, after)).toEqual({ status: "not_holder_at_record_date", units: 0, needed: 10, claim: null });
    expect((await perkEligibility(perk, staffId, after)).status).toBe("not_investor");

    const refused = await claimPerk({ perkId, userId: late.userId, delivery, now: after });
    expect(refused).toMatchObject({ status: "not_eligible", eligibility: { status: "not_holder_at_record_date" } });
    expect(await claimPerk({ perkId, userId: small.userId, delivery, now: after })).toMatchObject({ status: "not_eligible", eligibility: { status: "below_minimum", units: 5 } });
    expect((await perkRow(perkId)).claimed).toBe(0);
  });

  it("claims with the units held at the record date, and asks for an address when the perk ships one", async () => {
    expect(await claimPerk({ perkId, userId: big.userId, delivery: null, now: after })).toEqual({ status: "delivery_required" });
    const outcome = await claimPerk({ perkId, userId: big.userId, delivery, now: after });
    expect(outcome.status).toBe("claimed");
    const [claim] = await getDb().select().from(perkClaims).where(eq(perkClaims.perkId, perkId));
    expect(claim).toMatchObject({ userId: big.userId, units: 12, status: "claimed", postalCode: "707-0503", burnSeq: null, fromAddress: null });
    expect((await perkRow(perkId)).claimed).toBe(1);
    expect(await perkEligibility(await perkRow(perkId), big.userId, after)).toMatchObject({ status: "claimed", units: 12, claim: { id: claim!.id } });
    const [audit] = await getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "perk.claimed"), eq(auditLog.targetId, claim!.id)));
    expect(audit).toMatchObject({ actorId: big.userId, detail: { offeringId: offering.id, perkId, units: 12 } });
  });

  it("shows the holder the perks of offerings they hold, with why or why not", async () => {
    const forLate = await perksForHolder(late.userId, after);
    expect(forLate.map((item) => [item.perk.id, item.eligibility.status])).toEqual([[perkId, "not_holder_at_record_date"]]);
    expect((await perksForHolder(big.userId, after))[0]).toMatchObject({ offeringNameEn: "Forest Token", eligibility: { status: "claimed" } });
    const stranger = await makeInvestor(getDb());
    expect(await perksForHolder(stranger.userId, after)).toEqual([]);
  });

  it("asks for the snapshot at once for a perk whose record date has already ended", async () => {
    const yesterday = tokyoDate(new Date(Date.now() - 36 * HOUR));
    await created({ recordDate: yesterday });
    const jobs = await getDb().execute<{ data: { offeringId: string; recordDate: string } }>(
      sql`select data from pgboss.job where name = 'holders.record-snapshot' and data->>'offeringId' = ${offering.id}`,
    );
    expect(jobs.map((job) => job.data)).toEqual([{ offeringId: offering.id, recordDate: yesterday }]);
  });
});

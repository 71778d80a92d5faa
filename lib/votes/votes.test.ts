import { and, eq, sql } from "drizzle-orm";
import { createTestClient, http, type Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, ballots, issuerStaff, notifications, offerings, users, votes, type VoteCounting } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/roles";
import { recordCutoff } from "@/lib/bonds/snapshot";
import { allocateWaiting } from "@/lib/chain/allocate";
import type { ChainContext } from "@/lib/chain/context";
import { takeHoldersSnapshot } from "@/lib/holders/snapshot";
import { tokyoDate } from "@/lib/projects/dates";
import { makeInvestor, makeOfferingWithToken, makePaidOrder, startHardhatNode, testChainContext, type HardhatNode } from "@/test/chain-support";
import { setTestSettings } from "@/test/settings";
import { castBallot, eligibilityOf } from "./ballots";
import { createVote } from "./define";
import { openWaitingVotes } from "./open";
import { optionsOf, voteResult } from "./results";

let node: HardhatNode;
let ctx: ChainContext;
let offering: { id: string; token: Address };
let staff: SessionUser;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// The record date is today in Tokyo: its end (tonight) is reached by moving the chain's clock, not the test's.
const recordDate = tokyoDate(new Date());
const cutoff = recordCutoff(recordDate);
const db = () => getDb();

type Holder = { userId: string; address: Address };
let big: Holder; // 5 units
let mid: Holder; // 2 units
let small: Holder; // 1 unit
let late: Holder; // bought after the record date

async function holderWith(units: number): Promise<Holder> {
  const investor = await makeInvestor(db());
  await makePaidOrder(db(), { userId: investor.userId, offeringId: offering.id, units });
  await allocateWaiting(ctx);
  return investor;
}

async function newVote(counting: VoteCounting, labels: string[] = ["Boardwalk", "Roof"]) {
  const created = await createVote(staff, {
    offeringId: offering.id,
    questionJa: "次に何を作りますか",
    questionEn: "What do we build next?",
    descriptionJa: "",
    descriptionEn: "",
    recordDate,
    endsAt: new Date(cutoff.getTime() + 3 * DAY),
    counting,
    options: labels.map((label) => ({ labelJa: label, labelEn: label, projectId: null })),
  });
  if (!created.ok) throw new Error(created.error);
  const options = await optionsOf(created.voteId);
  return { id: created.voteId, options: options.map((option) => option.id) };
}

const endNow = (voteId: string) => db().update(votes).set({ endsAt: sql`now() - interval '1 second'` }).where(eq(votes.id, voteId));
const cast = (voteId: string, holder: Holder, optionId: string) => castBallot({ voteId, userId: holder.userId, optionId });

beforeAll(async () => {
  node = await startHardhatNode();
  setTestSettings({ CHAIN_RPC_URL: node.rpcUrl });
  ctx = testChainContext(db(), node.rpcUrl);
  offering = await makeOfferingWithToken(ctx);
  const [user] = await db()
    .insert(users)
    .values({ email: `vote-staff-${Date.now()}@example.jp`, role: "staff" })
    .returning();
  const [row] = await db().select().from(offerings).where(eq(offerings.id, offering.id));
  await db().insert(issuerStaff).values({ issuerId: row!.villageId, userId: user!.id });
  staff = { id: user!.id, email: user!.email, name: null, role: "staff" };
  big = await holderWith(5);
  mid = await holderWith(2);
  small = await holderWith(1);
  // An hour after the record date has ended (chain time): a buyer too late for these votes.
  await createTestClient({ mode: "hardhat", transport: http(node.rpcUrl) }).setNextBlockTimestamp({ timestamp: BigInt(Math.floor((cutoff.getTime() + HOUR) / 1000)) });
  late = await holderWith(4);
});
afterAll(async () => node?.stop());

describe("holder votes", () => {
  let perHolder: { id: string; options: string[] };
  let byUnits: { id: string; options: string[] };

  it("waits for the record date's snapshot, then opens and tells each eligible holder once", async () => {
    perHolder = await newVote("per_holder");
    byUnits = await newVote("by_units");
    expect(await eligibilityOf(perHolder.id, big.userId)).toEqual({ eligible: false, reason: "notOpen" });
    expect(await cast(perHolder.id, big, perHolder.options[0]!)).toEqual({ ok: false, error: "notOpen" });

    const outcome = await takeHoldersSnapshot({ offeringId: offering.id, recordDate, now: new Date(cutoff.getTime() + 2 * HOUR) }, ctx);
    expect(outcome.status).toBe("frozen");
    expect(await openWaitingVotes(db())).toBe(2);
    expect(await openWaitingVotes(db())).toBe(0);
    const [linked] = await db().select().from(votes).where(eq(votes.id, perHolder.id));
    expect(linked!.snapshotId).toBe(outcome.snapshotId);

    const notices = await db().select().from(notifications).where(eq(notifications.kind, "vote_opened"));
    const told = notices.filter((notice) => notice.detail.voteId === perHolder.id).map((notice) => notice.userId);
    expect(told.sort()).toEqual([big.userId, mid.userId, small.userId].sort());
    expect(notices.filter((notice) => notice.detail.voteId === byUnits.id)).toHaveLength(3);
    expect(notices[0]!.detail).toMatchObject({ questionJa: "次に何を作りますか", questionEn: "What do we build next?" });
  });

  it("lets only holders at the record date vote: a buyer after it cannot", async () => {
    expect(await eligibilityOf(perHolder.id, big.userId)).toEqual({ eligible: true, units: 5 });
    expect(await eligibilityOf(perHolder.id, late.userId)).toEqual({ eligible: false, reason: "noUnits" });
    expect(await cast(perHolder.id, late, perHolder.options[0]!)).toEqual({ ok: false, error: "notEligible" });
    expect(await db().select().from(ballots).where(eq(ballots.userId, late.userId))).toHaveLength(0);
  });

  it("refuses an option of another vote", async () => {
    expect(await cast(perHolder.id, big, byUnits.options[0]!)).toEqual({ ok: false, error: "badOption" });
    expect(await db().select().from(ballots).where(eq(ballots.voteId, perHolder.id))).toHaveLength(0);
  });

  it("counts a changed vote once, with its last choice, and audits no ballot", async () => {
    const auditsBefore = (await db().select().from(auditLog)).length;
    expect(await cast(perHolder.id, big, perHolder.options[1]!)).toMatchObject({ ok: true, units: 5, changed: false, changes: 0 });
    expect(await cast(perHolder.id, big, perHolder.options[0]!)).toMatchObject({ ok: true, changed: true, changes: 1 });
    // The same choice again is no change.
    expect(await cast(perHolder.id, big, perHolder.options[0]!)).toMatchObject({ ok: true, changed: false, changes: 1 });
    const rows = await db()
      .select()
      .from(ballots)
      .where(and(eq(ballots.voteId, perHolder.id), eq(ballots.userId, big.userId)));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ optionId: perHolder.options[0], units: 5, changes: 1 });
    expect((await db().select().from(auditLog)).length).toBe(auditsBefore);
  });

  it("hides the result while the vote runs", async () => {
    await cast(perHolder.id, mid, perHolder.options[1]!);
    await cast(perHolder.id, small, perHolder.options[1]!);
    expect(await voteResult(perHolder.id)).toEqual({ ok: false, error: "running" });
  });

  it("refuses a ballot after the end by the database's clock, whatever the server's clock says", async () => {
    await endNow(perHolder.id);
    const stillRunningHere = new Date(Date.now() - HOUR);
    expect(await castBallot({ voteId: perHolder.id, userId: small.userId, optionId: perHolder.options[0]!, now: stillRunningHere })).toEqual({ ok: false, error: "ended" });
    expect(await cast(perHolder.id, small, perHolder.options[0]!)).toEqual({ ok: false, error: "ended" });
    const [ballot] = await db()
      .select()
      .from(ballots)
      .where(and(eq(ballots.voteId, perHolder.id), eq(ballots.userId, small.userId)));
    expect(ballot!.optionId).toBe(perHolder.options[1]);
  });

  it("counts one vote per holder: the two smaller holders outvote the largest", async () => {
    const found = await voteResult(perHolder.id);
    if (!found.ok) throw new Error(found.error);
    const { result } = found;
    expect(result.options.map(({ votes: count, weight }) => [count, weight])).toEqual([
      [1, 5],
      [2, 3],
    ]);
    expect(result.outcome).toEqual({ kind: "winner", optionIds: [perHolder.options[1]] });
    expect(result).toMatchObject({ ballots: 3, unitsVoted: 8, eligibleHolders: 3, eligibleUnits: 8, turnoutPercent: 100 });
    expect(result.options[1]!.votesPercent).toBe(66.6);
    expect(result.snapshot).toMatchObject({ recordDate, holders: 3, supplyChain: 8, tokenAddress: offering.token });
  });

  it("weights by units held at the record date: the largest holder outweighs the two others", async () => {
    await cast(byUnits.id, big, byUnits.options[0]!);
    await cast(byUnits.id, mid, byUnits.options[1]!);
    await cast(byUnits.id, small, byUnits.options[1]!);
    await endNow(byUnits.id);
    const found = await voteResult(byUnits.id);
    if (!found.ok) throw new Error(found.error);
    expect(found.result.outcome).toEqual({ kind: "winner", optionIds: [byUnits.options[0]] });
    expect(found.result.options.map((option) => option.weightPercent)).toEqual([62.5, 37.5]);
  });

  it("reports a tie as a tie, naming every tied option", async () => {
    const tied = await newVote("per_holder", ["A", "B", "C"]);
    // The snapshot of this record date is frozen already: the vote opens when first read.
    expect(await eligibilityOf(tied.id, mid.userId)).toEqual({ eligible: true, units: 2 });
    await cast(tied.id, big, tied.options[0]!);
    await cast(tied.id, mid, tied.options[2]!);
    await endNow(tied.id);
    const found = await voteResult(tied.id);
    if (!found.ok) throw new Error(found.error);
    expect(found.result.outcome).toEqual({ kind: "tie", optionIds: [tied.options[0], tied.options[2]] });
    expect(found.result.options.map((option) => option.leading)).toEqual([true, false, true]);
    expect(found.result).toMatchObject({ ballots: 2, eligibleHolders: 3, turnoutPercent: 66.6 });
  });
});

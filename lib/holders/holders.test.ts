import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { notifications, offerings, recordSnapshots, votes } from "@/db/schema";
import { recordCutoff } from "@/lib/bonds/snapshot";
import type { ChainContext } from "@/lib/chain/context";
import { tokyoDate } from "@/lib/projects/dates";
import { createVote } from "@/lib/votes/define";
import { openWaitingVotes, snapshotOfVote } from "@/lib/votes/open";
import { staffVoteFor } from "@/lib/votes/staff";
import { makeBond } from "@/test/coupon-world";
import { freezeHolders, makeHolderUser, makeVoteWorld, type VoteWorld } from "@/test/actions/votes-world";
import { dueHoldersSnapshots, holdersSnapshotFailures, nextSnapshotTry, takeHoldersSnapshot } from "./snapshot";

/** The holders' snapshot shared by votes and perks: its keys, which record dates the sweep takes and how often, and the vote it opens. */

const DAY = 86_400_000;
const MINUTE = 60_000;
const db = () => getDb();
const daysAgo = (days: number) => tokyoDate(new Date(Date.now() - days * DAY));

let world: VoteWorld;
let chainId: number;

async function voteOn(offeringId: string, recordDate: string, endsAt = new Date(Date.now() + 7 * DAY)) {
  const created = await createVote(world.staff, {
    offeringId,
    questionJa: "次は",
    questionEn: "Next?",
    descriptionJa: "",
    descriptionEn: "",
    recordDate,
    endsAt,
    counting: "per_holder",
    options: [
      { labelJa: "木道", labelEn: "Boardwalk", projectId: null },
      { labelJa: "屋根", labelEn: "Roof", projectId: null },
    ],
  });
  if (!created.ok) throw new Error(created.error);
  return created.voteId;
}

const failAt = (offeringId: string, recordDate: string, takenAt: Date) =>
  db()
    .insert(recordSnapshots)
    .values({ offeringId, paymentDate: null, recordDate, cutoffAt: recordCutoff(recordDate), status: "error", error: "rpc down", takenAt });

const isDue = async (offeringId: string, recordDate: string, now = new Date()) =>
  (await dueHoldersSnapshots(db(), chainId, now)).some((due) => due.offeringId === offeringId && due.recordDate === recordDate);

beforeAll(async () => {
  world = await makeVoteWorld();
  const [row] = await db().select().from(offerings).where(eq(offerings.id, world.offeringId));
  chainId = row!.chainId!;
});

describe("holders' snapshots beside bond payment snapshots", () => {
  it("keeps one frozen snapshot per record date, apart from a payment's of the same record date", async () => {
    const recordDate = daysAgo(40);
    await freezeHolders(world.offeringId, recordDate, []);
    await freezeHolders(world.offeringId, daysAgo(41), []);
    const payment = { offeringId: world.offeringId, recordDate, paymentDate: daysAgo(30), cutoffAt: recordCutoff(recordDate), status: "frozen" as const };
    await expect(db().insert(recordSnapshots).values(payment)).resolves.toBeDefined();
    await expect(freezeHolders(world.offeringId, recordDate, [])).rejects.toThrow();
  });
});

describe("which record dates the sweep takes", () => {
  it("never a bond's, nor an offering without a token, and not a vote that has ended", async () => {
    const bond = await makeBond();
    await db()
      .update(offerings)
      .set({ chainId, tokenAddress: `0x${randomBytes(20).toString("hex")}` })
      .where(eq(offerings.id, bond.offeringId));
    const recordDate = daysAgo(2);
    // Written directly: createVote refuses a bond.
    await db()
      .insert(votes)
      .values({ offeringId: bond.offeringId, questionJa: "債", questionEn: "Bond", recordDate, endsAt: new Date(Date.now() + DAY), counting: "per_holder" });
    expect(await isDue(bond.offeringId, recordDate)).toBe(false);
    await expect(takeHoldersSnapshot({ offeringId: bond.offeringId, recordDate }, { db: db(), chainId } as ChainContext)).rejects.toThrow(/not a village token/);

    const bare = await makeVoteWorld();
    await db().update(offerings).set({ tokenAddress: null }).where(eq(offerings.id, bare.offeringId));
    await db()
      .insert(votes)
      .values({ offeringId: bare.offeringId, questionJa: "村", questionEn: "Village", recordDate, endsAt: new Date(Date.now() + DAY), counting: "per_holder" });
    expect(await isDue(bare.offeringId, recordDate)).toBe(false);

    const endedDate = daysAgo(3);
    const ended = await voteOn(world.offeringId, endedDate);
    expect(await isDue(world.offeringId, endedDate)).toBe(true);
    await db().update(votes).set({ endsAt: sql`now() - interval '1 second'` }).where(eq(votes.id, ended));
    expect(await isDue(world.offeringId, endedDate)).toBe(false);
  });

  it("tries a failing read again later and later, not every ten minutes for ever, and tells staff when", async () => {
    const recordDate = daysAgo(4);
    const voteId = await voteOn(world.offeringId, recordDate);
    const t0 = new Date(Date.now() - 30 * MINUTE);
    expect(await isDue(world.offeringId, recordDate, t0)).toBe(true);
    await failAt(world.offeringId, recordDate, t0);
    expect(await isDue(world.offeringId, recordDate, new Date(t0.getTime() + 5 * MINUTE))).toBe(false);
    expect(await isDue(world.offeringId, recordDate, new Date(t0.getTime() + 10 * MINUTE))).toBe(true);
    await failAt(world.offeringId, recordDate, new Date(t0.getTime() + 10 * MINUTE));
    await failAt(world.offeringId, recordDate, new Date(t0.getTime() + 30 * MINUTE));
    // Third failure: 40 minutes until the next try.
    expect(await isDue(world.offeringId, recordDate, new Date(t0.getTime() + 60 * MINUTE))).toBe(false);
    expect(await isDue(world.offeringId, recordDate, new Date(t0.getTime() + 71 * MINUTE))).toBe(true);
    expect(nextSnapshotTry(50, t0).getTime() - t0.getTime()).toBe(6 * 60 * MINUTE);

    const failures = await holdersSnapshotFailures(world.offeringId, recordDate);
    expect(failures).toMatchObject({ failures: 3, nextTryAt: new Date(t0.getTime() + 70 * MINUTE) });
    expect(await staffVoteFor(world.staff, world.offeringId, voteId)).toMatchObject({
      snapshot: { status: "error", failures: 3, nextTryAt: new Date(t0.getTime() + 70 * MINUTE) },
    });
  });
});

describe("opening a vote on its snapshot", () => {
  it("tells each holder once however many workers and readers open it at the same moment", async () => {
    const recordDate = daysAgo(5);
    const holders = [await makeHolderUser(), await makeHolderUser(), await makeHolderUser()];
    const voteId = await voteOn(world.offeringId, recordDate);
    await freezeHolders(
      world.offeringId,
      recordDate,
      holders.map((holder, i) => ({ userId: holder.id, units: i + 1 })),
    );
    const [vote] = await db().select().from(votes).where(eq(votes.id, voteId));
    const opened = await Promise.all([openWaitingVotes(db()), openWaitingVotes(db()), snapshotOfVote(vote!), snapshotOfVote(vote!), openWaitingVotes(db())]);
    // One of them opened it (a reader that did returns the snapshot, not a count).
    expect(opened.filter((count) => typeof count === "number").reduce((sum, count) => sum + (count as number), 0)).toBeLessThanOrEqual(1);
    expect((await db().select().from(votes).where(eq(votes.id, voteId)))[0]!.snapshotId).not.toBeNull();
    const told = (await db().select().from(notifications).where(eq(notifications.kind, "vote_opened"))).filter((notice) => notice.detail.voteId === voteId);
    expect(told.map((notice) => notice.userId).sort()).toEqual(holders.map((holder) => holder.id).sort());
  });
});

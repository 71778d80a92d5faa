import { and, eq, sql } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { as, form, run } from "../session-mock";
import { makeBond } from "../coupon-world";
import { makeUser } from "../fixtures";
import { freezeHolders, makeHolderUser, makeVoteWorld, type VoteWorld } from "./votes-world";
import { castBallotAction } from "@/app/(public)/votes/[id]/actions";
import { createVoteAction, retakeVoteSnapshotAction } from "@/app/(staff)/staff/offerings/[id]/votes/actions";
import { getDb } from "@/db/client";
import { auditLog, ballots, issuerStaff, notifications, voteOptions, votes } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/roles";
import { translator } from "@/lib/i18n/catalog";
import { tokyoDate, tokyoDateTimeInput } from "@/lib/projects/dates";
import { staffVoteFor, staffVotesFor } from "@/lib/votes/staff";

const DAY = 86_400_000;
const db = () => getDb();
const ja = translator("ja");
const pastDate = tokyoDate(new Date(Date.now() - 3 * DAY));
const futureDate = tokyoDate(new Date(Date.now() + 2 * DAY));
const endsAt = tokyoDateTimeInput(new Date(Date.now() + 7 * DAY));

let world: VoteWorld;
let other: VoteWorld;
let stranger: SessionUser;

function voteForm(offeringId: string, overrides: Record<string, string> = {}) {
  return form({
    offeringId,
    questionJa: "次に何を作りますか",
    questionEn: "What do we build next?",
    recordDate: pastDate,
    endsAt,
    counting: "per_holder",
    "option.0.labelJa": "木道",
    "option.0.labelEn": "Boardwalk",
    "option.0.projectId": world.projectId,
    "option.1.labelJa": "屋根",
    "option.1.labelEn": "Roof",
    "option.1.projectId": "",
    "option.2.labelJa": "",
    "option.2.labelEn": "",
    "option.2.projectId": "",
    ...overrides,
  });
}

/** Creates a vote through the action and returns its id (from the page it redirects to). */
async function created(offeringId: string, overrides: Record<string, string> = {}): Promise<{ id: string; note: string }> {
  const result = await run(createVoteAction, voteForm(offeringId, overrides));
  if (!("redirect" in result)) throw new Error(JSON.stringify(result));
  const match = /\/votes\/([0-9a-f-]{36})\?created=(\w+)$/.exec(result.redirect);
  return { id: match![1]!, note: match![2]! };
}

beforeAll(async () => {
  world = await makeVoteWorld();
  other = await makeVoteWorld();
  stranger = other.staff;
});
beforeEach(() => {
  as.locale = "ja";
  as.user = world.staff;
});

describe("creating a vote", () => {
  it("creates the vote with its options in order, audited, and asks for the past record date's snapshot", async () => {
    const vote = await created(world.offeringId);
    expect(vote.note).toBe("queued");
    const [row] = await db().select().from(votes).where(eq(votes.id, vote.id));
    expect(row).toMatchObject({ offeringId: world.offeringId, recordDate: pastDate, counting: "per_holder", snapshotId: null, createdBy: world.staff.id });
    const options = await db().select().from(voteOptions).where(eq(voteOptions.voteId, vote.id)).orderBy(voteOptions.position);
    expect(options.map((option) => [option.position, option.labelEn, option.projectId])).toEqual([
      [1, "Boardwalk", world.projectId],
      [2, "Roof", null],
    ]);
    const [audit] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "vote.created"), sql`${auditLog.detail}->>'voteId' = ${vote.id}`));
    expect(audit).toMatchObject({ actorId: world.staff.id, targetId: world.offeringId });
    const jobs = await db().execute<{ data: { offeringId: string; recordDate: string } }>(sql`select data from pgboss.job where name = 'holders.record-snapshot'`);
    expect([...jobs].map((job) => job.data)).toContainEqual({ offeringId: world.offeringId, recordDate: pastDate });
  });

  it("opens at once, telling each holder once, when the record date's snapshot is already frozen", async () => {
    const [holder, empty] = [await makeHolderUser(), await makeHolderUser()];
    const recordDate = tokyoDate(new Date(Date.now() - 5 * DAY));
    await freezeHolders(world.offeringId, recordDate, [{ userId: holder.id, units: 3 }]);
    const vote = await created(world.offeringId, { recordDate });
    expect(vote.note).toBe("opened");
    const told = await db().select().from(notifications).where(eq(notifications.kind, "vote_opened"));
    expect(told.filter((notice) => notice.detail.voteId === vote.id).map((notice) => notice.userId)).toEqual([holder.id]);
    expect(told.some((notice) => notice.userId === empty.id)).toBe(false);
  });

  it("waits for a future record date without asking for a snapshot yet", async () => {
    expect((await created(world.offeringId, { recordDate: futureDate })).note).toBe("waiting");
  });

  it("refuses bad terms on their fields", async () => {
    const oneOption = await run(createVoteAction, voteForm(world.offeringId, { "option.1.labelJa": "", "option.1.labelEn": "" }));
    expect(oneOption).toMatchObject({ status: "invalid", fieldErrors: { options: ja("votesStaff.errors.optionCount") } });
    const halfLabel = await run(createVoteAction, voteForm(world.offeringId, { "option.2.labelJa": "池" }));
    expect(halfLabel).toMatchObject({ status: "invalid", fieldErrors: { "option.2.labelEn": ja("errors.required") } });
    const early = await run(createVoteAction, voteForm(world.offeringId, { recordDate: futureDate, endsAt: `${futureDate}T23:00` }));
    expect(early).toMatchObject({ status: "invalid", fieldErrors: { endsAt: ja("votesStaff.errors.endsBeforeRecordDate") } });
    const strayProject = await run(createVoteAction, voteForm(world.offeringId, { "option.1.projectId": other.projectId }));
    expect(strayProject).toMatchObject({ status: "invalid", fieldErrors: { options: ja("votesStaff.errors.project") } });
  });

  it("refuses another issuer's staff, a bond, and a signed-out visitor", async () => {
    const before = (await db().select().from(votes)).length;
    as.user = stranger;
    expect(await run(createVoteAction, voteForm(world.offeringId))).toEqual({ status: "error", message: ja("votesStaff.errors.notFound") });
    const bond = await makeBond();
    await db().insert(issuerStaff).values({ issuerId: bond.villageId, userId: world.staff.id });
    as.user = world.staff;
    expect(await run(createVoteAction, voteForm(bond.offeringId))).toEqual({ status: "error", message: ja("votesStaff.errors.notVillageToken") });
    as.user = await makeUser("investor");
    expect(await run(createVoteAction, voteForm(world.offeringId))).toMatchObject({ status: "error", message: ja("errors.forbidden") });
    expect((await db().select().from(votes)).length).toBe(before);
  });
});

describe("a running vote", () => {
  let voteId: string;
  let options: string[];
  let holder: SessionUser;
  let outsider: SessionUser;

  beforeAll(async () => {
    holder = await makeHolderUser();
    outsider = await makeHolderUser();
    const recordDate = tokyoDate(new Date(Date.now() - 10 * DAY));
    await freezeHolders(world.offeringId, recordDate, [{ userId: holder.id, units: 7 }]);
    as.user = world.staff;
    voteId = (await created(world.offeringId, { recordDate })).id;
    options = (await db().select().from(voteOptions).where(eq(voteOptions.voteId, voteId)).orderBy(voteOptions.position)).map((option) => option.id);
  });

  it("takes a holder's ballot, and refuses the signed out, a holder of nothing and an option of another vote", async () => {
    as.user = null;
    expect(await run(castBallotAction, form({ voteId, optionId: options[0]! }))).toEqual({ status: "error", message: ja("errors.signInRequired") });
    as.user = outsider;
    expect(await run(castBallotAction, form({ voteId, optionId: options[0]! }))).toEqual({ status: "error", message: ja("votes.errors.notEligible") });
    as.user = holder;
    as.locale = "en";
    expect(await run(castBallotAction, form({ voteId, optionId: options[1]! }))).toEqual({ status: "ok", message: translator("en")("votes.ballot.cast") });
    expect(await run(castBallotAction, form({ voteId, optionId: options[0]! }))).toEqual({ status: "ok", message: translator("en")("votes.ballot.changed") });
    const [foreign] = await db().select().from(voteOptions).where(sql`${voteOptions.voteId} <> ${voteId}`).limit(1);
    expect(await run(castBallotAction, form({ voteId, optionId: foreign!.id }))).toMatchObject({ status: "error", message: translator("en")("votes.errors.badOption") });
    expect(await run(castBallotAction, form({ voteId }))).toMatchObject({ status: "invalid", fieldErrors: { optionId: translator("en")("votes.errors.chooseOption") } });
    const rows = await db().select().from(ballots).where(eq(ballots.voteId, voteId));
    expect(rows.map((row) => [row.userId, row.optionId, row.units, row.changes])).toEqual([[holder.id, options[0], 7, 1]]);
  });

  it("shows its staff the ballots cast and the snapshot, never how they split; another issuer's staff nothing", async () => {
    const found = await staffVoteFor(world.staff, world.offeringId, voteId);
    expect(found).toMatchObject({ ballots: 1, state: "open", snapshot: { status: "frozen" } });
    expect(JSON.stringify(found)).not.toContain(holder.id);
    expect(Object.keys(found!.options[0]!).sort()).toEqual(["id", "labelEn", "labelJa", "position", "project", "projectId", "voteId"]);
    expect((await staffVotesFor(world.staff, world.offeringId))!.votes.find((vote) => vote.id === voteId)).toMatchObject({ ballots: 1, state: "open" });
    expect(await staffVoteFor(stranger, world.offeringId, voteId)).toBeNull();
    expect(await staffVotesFor(stranger, world.offeringId)).toBeNull();
    // Its own offering's id does not reach another offering's vote either.
    expect(await staffVoteFor(stranger, other.offeringId, voteId)).toBeNull();
    const admin = await makeUser("admin");
    expect(await staffVoteFor(admin, world.offeringId, voteId)).toMatchObject({ ballots: 1 });
  });

  it("lets only its issuer's staff retake a snapshot, and not a frozen one", async () => {
    as.user = stranger;
    expect(await run(retakeVoteSnapshotAction, form({ offeringId: world.offeringId, voteId }))).toEqual({ status: "error", message: ja("votesStaff.errors.notFound") });
    as.user = world.staff;
    expect(await run(retakeVoteSnapshotAction, form({ offeringId: world.offeringId, voteId }))).toEqual({ status: "error", message: ja("votesStaff.errors.notRetakable") });
  });
});

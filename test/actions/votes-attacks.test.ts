import { and, eq, sql } from "drizzle-orm";
import type { ReactNode } from "react";
import { renderToReadableStream } from "react-dom/server";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { makeUser } from "../fixtures";
import { freezeHolders, makeHolderUser, makeVoteWorld, type VoteWorld } from "./votes-world";
import { castBallotAction } from "@/app/(public)/votes/[id]/actions";
import { createVoteAction, retakeVoteSnapshotAction } from "@/app/(staff)/staff/offerings/[id]/votes/actions";
import { getDb } from "@/db/client";
import { auditLog, ballots, notifications, offerings, recordSnapshots, voteOptions, votes } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/roles";
import { recordCutoff } from "@/lib/bonds/snapshot";
import { translator, type Locale } from "@/lib/i18n/catalog";
import { tokyoDate, tokyoDateTimeInput } from "@/lib/projects/dates";
import { openWaitingVotes } from "@/lib/votes/open";
import { staffVoteFor } from "@/lib/votes/staff";

/** A holder and a staff member trying to get round the holder votes: each test is one attempt that must fail. */

const as = vi.hoisted(() => ({ user: null as SessionUser | null, locale: "ja" as Locale }));
vi.mock("@/lib/auth/session", () => ({
  getCurrentUser: async () => as.user,
  requireUser: async () => as.user,
  requireRole: async () => as.user,
}));
vi.mock("@/lib/i18n/server", async () => {
  const { translator: make } = await import("@/lib/i18n/catalog");
  return { getLocale: async () => as.locale, getTranslator: async () => ({ locale: as.locale, t: make(as.locale) }) };
});
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const DAY = 86_400_000;
const db = () => getDb();
const ja = translator("ja");
const en = translator("en");
const html = async (node: ReactNode) => new Response(await renderToReadableStream(node)).text();

function form(entries: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(entries)) data.append(key, value);
  return data;
}

async function run<S>(action: (state: S, data: FormData) => Promise<S>, data: FormData): Promise<S | { redirect: string }> {
  try {
    return await action({ status: "idle" } as S, data);
  } catch (error) {
    const digest = (error as { digest?: string }).digest;
    if (digest?.startsWith("NEXT_REDIRECT")) return { redirect: digest.split(";")[2]! };
    throw error;
  }
}

let world: VoteWorld;
let other: VoteWorld;
const recordDate = tokyoDate(new Date(Date.now() - 6 * DAY));
const endsAt = tokyoDateTimeInput(new Date(Date.now() + 7 * DAY));

const voteForm = (offeringId: string, overrides: Record<string, string> = {}) =>
  form({
    offeringId,
    questionJa: "次に何を作りますか",
    questionEn: "What do we build next?",
    recordDate,
    endsAt,
    counting: "per_holder",
    "option.0.labelJa": "木道",
    "option.0.labelEn": "Boardwalk",
    "option.1.labelJa": "屋根",
    "option.1.labelEn": "Roof",
    ...overrides,
  });

async function created(offeringId: string, overrides: Record<string, string> = {}, staff = world.staff): Promise<{ id: string; options: string[] }> {
  as.user = staff;
  const result = await run(createVoteAction, voteForm(offeringId, overrides));
  if (!("redirect" in result)) throw new Error(JSON.stringify(result));
  const id = /\/votes\/([0-9a-f-]{36})\?/.exec(result.redirect)![1]!;
  const rows = await db().select().from(voteOptions).where(eq(voteOptions.voteId, id)).orderBy(voteOptions.position);
  return { id, options: rows.map((row) => row.id) };
}

const ballotsOf = (voteId: string) => db().select().from(ballots).where(eq(ballots.voteId, voteId));
const endNow = (voteId: string) => db().update(votes).set({ endsAt: sql`now() - interval '1 second'` }).where(eq(votes.id, voteId));

beforeAll(async () => {
  world = await makeVoteWorld();
  other = await makeVoteWorld();
});
beforeEach(() => {
  as.locale = "ja";
});

describe("a holder trying to vote where they may not", () => {
  let holder: SessionUser;
  let victim: SessionUser;
  let vote: { id: string; options: string[] };

  beforeAll(async () => {
    [holder, victim] = [await makeHolderUser(), await makeHolderUser()];
    await freezeHolders(world.offeringId, recordDate, [
      { userId: holder.id, units: 4 },
      { userId: victim.id, units: 9 },
    ]);
    vote = await created(world.offeringId);
  });

  it("cannot vote for another user: a userId in the form is ignored", async () => {
    as.user = holder;
    expect(await run(castBallotAction, form({ voteId: vote.id, optionId: vote.options[0]!, userId: victim.id }))).toMatchObject({ status: "ok" });
    expect((await ballotsOf(vote.id)).map((row) => [row.userId, row.units])).toEqual([[holder.id, 4]]);
  });

  it("cannot vote in another offering's vote, nor in a vote whose snapshot is not frozen (a mismatch does not open it)", async () => {
    const foreign = await freezeHolders(other.offeringId, recordDate, []);
    expect(foreign.holders).toBe(0);
    const theirs = await created(other.offeringId, {}, other.staff);
    as.user = holder;
    expect(await run(castBallotAction, form({ voteId: theirs.id, optionId: theirs.options[0]! }))).toEqual({ status: "error", message: ja("votes.errors.notEligible") });

    const mismatchDate = tokyoDate(new Date(Date.now() - 3 * DAY));
    await db()
      .insert(recordSnapshots)
      .values({ offeringId: world.offeringId, paymentDate: null, recordDate: mismatchDate, cutoffAt: recordCutoff(mismatchDate), status: "mismatch", blockNumber: 7 });
    const waiting = await created(world.offeringId, { recordDate: mismatchDate });
    expect(await openWaitingVotes(db())).toBe(0);
    as.user = holder;
    expect(await run(castBallotAction, form({ voteId: waiting.id, optionId: waiting.options[0]! }))).toEqual({ status: "error", message: ja("votes.errors.notOpen") });
    expect(await ballotsOf(waiting.id)).toHaveLength(0);
    expect(await staffVoteFor(world.staff, world.offeringId, waiting.id)).toMatchObject({ state: "waiting", snapshot: { status: "mismatch" } });
  });

  it("casts one ballot, counted once, when two tabs send at once", async () => {
    const race = await created(world.offeringId);
    as.user = victim;
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => run(castBallotAction, form({ voteId: race.id, optionId: race.options[i % 2]! }))));
    expect(results.every((result) => "status" in result && result.status === "ok")).toBe(true);
    const rows = await ballotsOf(race.id);
    expect(rows).toHaveLength(1);
    await endNow(race.id);
    const { voteResult } = await import("@/lib/votes/results");
    const found = await voteResult(race.id);
    expect(found.ok && found.result.ballots).toBe(1);
    expect(found.ok && found.result.options.reduce((sum, option) => sum + option.weight, 0)).toBe(9);
  });

  it("learns nothing of the running count or of others' choices from the action, the audit log, the notices or the feed", async () => {
    const secret = await created(world.offeringId, { questionEn: "Secret running question" });
    as.user = victim;
    await run(castBallotAction, form({ voteId: secret.id, optionId: secret.options[1]! }));
    const [auditsBefore, noticesBefore] = [(await db().select().from(auditLog)).length, (await db().select().from(notifications)).length];
    as.user = holder;
    as.locale = "en";
    const answer = await run(castBallotAction, form({ voteId: secret.id, optionId: secret.options[0]! }));
    expect(answer).toEqual({ status: "ok", message: en("votes.ballot.cast") });
    expect((await db().select().from(auditLog)).length).toBe(auditsBefore);
    expect((await db().select().from(notifications)).length).toBe(noticesBefore);
    const { GET } = await import("@/app/feed.xml/route");
    const feed = await (await GET(new Request("http://localhost/feed.xml?lang=en"))).text();
    expect(feed).not.toContain(secret.id);
    expect(feed).not.toContain("Secret running question");
    const staffView = await staffVoteFor(world.staff, world.offeringId, secret.id);
    expect(staffView).toMatchObject({ ballots: 2, state: "open" });
    expect(JSON.stringify(staffView)).not.toMatch(new RegExp(`${holder.id}|${victim.id}`));
    const { default: StaffVotePage } = await import("@/app/(staff)/staff/offerings/[id]/votes/[voteId]/page");
    as.user = world.staff;
    const page = await html(await StaffVotePage({ params: Promise.resolve({ id: world.offeringId, voteId: secret.id }), searchParams: Promise.resolve({}) }));
    expect(page).toContain(en("votesStaff.detail.ballots", { count: "2" }));
    expect(page).toContain(en("votesStaff.detail.eligible", { count: "2", percent: "100" }));
    expect(page).not.toContain('data-testid="result-row"');
    expect(page).not.toContain(holder.email);
  });

  it("cannot vote after the end by the database's clock", async () => {
    const late = await created(world.offeringId);
    await endNow(late.id);
    as.user = holder;
    expect(await run(castBallotAction, form({ voteId: late.id, optionId: late.options[0]! }))).toEqual({ status: "error", message: ja("votes.errors.ended") });
    expect(await ballotsOf(late.id)).toHaveLength(0);
  });
});

describe("staff opening a vote with hostile or impossible terms", () => {
  beforeEach(() => {
    as.user = world.staff;
  });

  it("refuses a token not yet deployed, a bond's holders and another issuer's offering, as typed errors", async () => {
    const [draft] = await db().update(offerings).set({ tokenAddress: null, status: "draft" }).where(eq(offerings.id, other.offeringId)).returning();
    const draftStaff = other.staff;
    as.user = draftStaff;
    expect(await run(createVoteAction, voteForm(draft!.id))).toEqual({ status: "error", message: ja("votesStaff.errors.noToken") });
    as.user = world.staff;
    expect(await run(createVoteAction, voteForm(other.offeringId))).toEqual({ status: "error", message: ja("votesStaff.errors.notFound") });
  });

  it("refuses 1 option and 11 or more, whatever row numbers a crafted form uses", async () => {
    const eleven = Object.fromEntries(
      [0, 1, 25, 26, 27, 28, 29, 30, 31, 32, 33].flatMap((row) => [
        [`option.${row}.labelJa`, `案${row}`],
        [`option.${row}.labelEn`, `Plan ${row}`],
      ]),
    );
    expect(await run(createVoteAction, voteForm(world.offeringId, eleven))).toMatchObject({ status: "invalid", fieldErrors: { options: ja("votesStaff.errors.optionCount") } });
    // A third option on a row the form never shows is kept, not dropped without a word.
    const far = await created(world.offeringId, { "option.40.labelJa": "池", "option.40.labelEn": "Pond" });
    expect(far.options).toHaveLength(3);
  });

  it("refuses two options of one label, on the second one's field", async () => {
    const result = await run(createVoteAction, voteForm(world.offeringId, { "option.2.labelJa": "木道 ", "option.2.labelEn": "Pier" }));
    expect(result).toMatchObject({ status: "invalid", fieldErrors: { "option.2.labelJa": ja("votesStaff.errors.duplicateLabel") } });
    const english = await run(createVoteAction, voteForm(world.offeringId, { "option.2.labelJa": "桟橋", "option.2.labelEn": "boardwalk" }));
    expect(english).toMatchObject({ status: "invalid", fieldErrors: { "option.2.labelEn": ja("votesStaff.errors.duplicateLabel") } });
  });

  it("refuses NUL bytes and other control characters, and huge strings, on their fields instead of failing", async () => {
    const before = (await db().select().from(votes)).length;
    expect(await run(createVoteAction, voteForm(world.offeringId, { questionJa: "次は\u0000何" }))).toMatchObject({
      status: "invalid",
      fieldErrors: { questionJa: ja("votesStaff.errors.characters") },
    });
    expect(await run(createVoteAction, voteForm(world.offeringId, { "option.1.labelEn": "Ro\u0000of" }))).toMatchObject({
      status: "invalid",
      fieldErrors: { "option.1.labelEn": ja("votesStaff.errors.characters") },
    });
    expect(await run(createVoteAction, voteForm(world.offeringId, { descriptionEn: "line\u0007bell" }))).toMatchObject({ fieldErrors: { descriptionEn: ja("votesStaff.errors.characters") } });
    expect(await run(createVoteAction, voteForm(world.offeringId, { questionEn: "x".repeat(100_000) }))).toMatchObject({
      fieldErrors: { questionEn: ja("errors.tooLong", { max: 300 }) },
    });
    expect(await run(createVoteAction, voteForm(world.offeringId, { "option.0.labelJa": "あ".repeat(201) }))).toMatchObject({
      fieldErrors: { "option.0.labelJa": ja("errors.tooLong", { max: 200 }) },
    });
    expect((await db().select().from(votes)).length).toBe(before);
  });

  it("refuses impossible dates: an invalid day, a record date years ahead, an end in the past or years away", async () => {
    const invalid = await run(createVoteAction, voteForm(world.offeringId, { recordDate: "2026-02-30" }));
    expect(invalid).toMatchObject({ status: "invalid", fieldErrors: { recordDate: ja("votesStaff.errors.recordDate") } });
    expect(await run(createVoteAction, voteForm(world.offeringId, { endsAt: "2026-02-30T10:00" }))).toMatchObject({ fieldErrors: { endsAt: ja("votesStaff.errors.endsAt") } });
    const ahead = tokyoDate(new Date(Date.now() + 800 * DAY));
    expect(await run(createVoteAction, voteForm(world.offeringId, { recordDate: ahead, endsAt: `${tokyoDate(new Date(Date.now() + 810 * DAY))}T12:00` }))).toMatchObject({
      fieldErrors: { recordDate: ja("votesStaff.errors.recordDateTooFar") },
    });
    expect(await run(createVoteAction, voteForm(world.offeringId, { endsAt: tokyoDateTimeInput(new Date(Date.now() - DAY)) }))).toMatchObject({
      fieldErrors: { endsAt: ja("votesStaff.errors.endsInPast") },
    });
    expect(await run(createVoteAction, voteForm(world.offeringId, { endsAt: "9999-12-31T23:59" }))).toMatchObject({ fieldErrors: { endsAt: ja("votesStaff.errors.endsTooFar") } });
  });

  it("keeps markup in a question or label as text on the page and in well-formed feed XML", async () => {
    const hostile = { questionEn: `<script>alert(1)</script> ]]> & "q"`, "option.0.labelEn": `</li><img src=x onerror=alert(1)>`, "option.1.labelEn": "**bold** & <b>" };
    const vote = await created(world.offeringId, hostile);
    await endNow(vote.id);
    as.locale = "en";
    as.user = null;
    const { default: VotePage } = await import("@/app/(public)/votes/[id]/page");
    const page = await html(await VotePage({ params: Promise.resolve({ id: vote.id }) }));
    expect(page).not.toContain("<script>alert(1)");
    expect(page).not.toContain("<img src=x");
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    const { GET } = await import("@/app/feed.xml/route");
    const feed = await (await GET(new Request("http://localhost/feed.xml?lang=en"))).text();
    const entry = feed.split("<entry>").find((part) => part.includes(vote.id))!;
    // Only the feed's own elements; every other < is escaped, every & starts an entity.
    const tags = [...entry.matchAll(/<\/?([a-zA-Z]+)[^<>]*>/g)].map((match) => match[1]);
    expect(new Set(tags)).toEqual(new Set(["id", "title", "link", "published", "updated", "category", "summary", "content", "entry"]));
    expect(entry.replace(/<\/?[a-zA-Z]+[^<>]*>/g, "")).not.toMatch(/[<>]|&(?!(amp|lt|gt|quot|apos);)/);
    const content = /<content type="html">([^<]*)<\/content>/
      .exec(entry)![1]!
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, "&");
    expect(content).toContain("&lt;/li&gt;&lt;img src=x onerror=alert(1)&gt;");
    expect(content).not.toContain("<img");
  });

  it("lets neither another issuer's staff nor a pending record date be retaken, with typed messages", async () => {
    const upcoming = await created(world.offeringId, { recordDate: tokyoDate(new Date(Date.now() + 2 * DAY)), endsAt: tokyoDateTimeInput(new Date(Date.now() + 9 * DAY)) });
    as.user = other.staff;
    expect(await run(retakeVoteSnapshotAction, form({ offeringId: world.offeringId, voteId: upcoming.id }))).toEqual({ status: "error", message: ja("votesStaff.errors.notFound") });
    expect(await run(retakeVoteSnapshotAction, form({ offeringId: other.offeringId, voteId: upcoming.id }))).toEqual({ status: "error", message: ja("votesStaff.errors.notFound") });
    as.user = world.staff;
    as.locale = "en";
    expect(await run(retakeVoteSnapshotAction, form({ offeringId: world.offeringId, voteId: upcoming.id }))).toEqual({ status: "error", message: en("votesStaff.errors.notRetakable") });
    as.user = await makeUser("investor");
    expect(await run(retakeVoteSnapshotAction, form({ offeringId: world.offeringId, voteId: upcoming.id }))).toEqual({ status: "error", message: en("errors.forbidden") });
    const [row] = await db()
      .select()
      .from(recordSnapshots)
      .where(and(eq(recordSnapshots.offeringId, world.offeringId), eq(recordSnapshots.recordDate, tokyoDate(new Date(Date.now() + 2 * DAY)))));
    expect(row).toBeUndefined();
  });
});

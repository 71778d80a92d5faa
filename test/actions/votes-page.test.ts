import { eq, sql } from "drizzle-orm";
import type { ReactNode } from "react";
import { renderToReadableStream } from "react-dom/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { freezeHolders, makeHolderUser, makeVoteWorld, type VoteWorld } from "./votes-world";
import { getDb } from "@/db/client";
import { voteOptions, votes } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/roles";
import { translator } from "@/lib/i18n/catalog";
import { tokyoDate } from "@/lib/projects/dates";
import { castBallot } from "@/lib/votes/ballots";
import { createVote } from "@/lib/votes/define";

/** The public vote pages, the dashboard card, the project section and the feed, rendered to HTML as a visitor gets them. */

const signedIn: { user: SessionUser | null } = { user: null };
vi.mock("@/lib/auth/session", () => ({ getCurrentUser: async () => signedIn.user }));
vi.mock("@/lib/i18n/server", async () => {
  const { translator: make } = await import("@/lib/i18n/catalog");
  return { getLocale: async () => "en", getTranslator: async () => ({ locale: "en", t: make("en") }) };
});
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const DAY = 86_400_000;
const t = translator("en");
const html = async (node: ReactNode) => new Response(await renderToReadableStream(node)).text();
const votePage = async (id: string) => {
  const { default: VotePage } = await import("@/app/(public)/votes/[id]/page");
  return html(await VotePage({ params: Promise.resolve({ id }) }));
};

let world: VoteWorld;
let voteId: string;
let options: string[];
let big: SessionUser;
let small: SessionUser;
let outsider: SessionUser;

beforeAll(async () => {
  world = await makeVoteWorld();
  [big, small, outsider] = [await makeHolderUser(), await makeHolderUser(), await makeHolderUser()];
  const recordDate = tokyoDate(new Date(Date.now() - 4 * DAY));
  await freezeHolders(world.offeringId, recordDate, [
    { userId: big.id, units: 6 },
    { userId: small.id, units: 2 },
  ]);
  const created = await createVote(world.staff, {
    offeringId: world.offeringId,
    questionJa: "次の事業",
    questionEn: "Next project",
    descriptionJa: "",
    descriptionEn: "",
    recordDate,
    endsAt: new Date(Date.now() + 5 * DAY),
    counting: "by_units",
    options: [
      { labelJa: "木道", labelEn: "Boardwalk", projectId: world.projectId },
      { labelJa: "屋根", labelEn: "Roof", projectId: null },
    ],
  });
  if (!created.ok) throw new Error(created.error);
  voteId = created.voteId;
  options = (await getDb().select().from(voteOptions).where(eq(voteOptions.voteId, voteId)).orderBy(voteOptions.position)).map((option) => option.id);
  expect(await castBallot({ voteId, userId: big.id, optionId: options[0]! })).toMatchObject({ ok: true });
  expect(await castBallot({ voteId, userId: small.id, optionId: options[1]! })).toMatchObject({ ok: true });
});

describe("the vote page while it runs", () => {
  it("shows a signed-out visitor the options and a sign-in link, and no numbers", async () => {
    signedIn.user = null;
    const page = await votePage(voteId);
    expect(page).toContain('data-testid="results-after-end"');
    expect(page).toContain('data-testid="ballot-sign-in"');
    expect(page).toContain(`/projects/`);
    expect(page).not.toContain('data-testid="result-row"');
    expect(page).not.toContain('data-testid="turnout"');
    expect(page).not.toMatch(/\d+ votes?\b/);
  });

  it("shows the holder their ballot, choice and weight, and still no count", async () => {
    signedIn.user = big;
    const page = await votePage(voteId);
    expect(page).toContain('data-testid="ballot-form"');
    expect(page).toContain(t("votes.ballot.weightByUnits", { units: "6" }));
    expect(page).toContain(t("votes.ballot.current", { option: "Boardwalk" }));
    expect(page).toContain('data-testid="ballot-change-until"');
    expect(page.match(/data-testid="ballot-option"/g)).toHaveLength(2);
    expect(page).not.toContain('data-testid="result-row"');
    expect(page).not.toContain(t("votes.results.units", { count: "8" }));
  });

  it("tells a visitor who held nothing at the record date why they cannot vote", async () => {
    signedIn.user = outsider;
    const page = await votePage(voteId);
    expect(page).toContain('data-testid="ballot-ineligible"');
    expect(page).not.toContain('data-testid="ballot-form"');
  });

  it("lists the vote on the holder's dashboard, as voted", async () => {
    const { DashboardVotes } = await import("@/components/votes/dashboard-votes");
    const card = await html(await DashboardVotes({ userId: small.id }));
    expect(card).toContain("Next project");
    expect(card).toContain('data-voted="true"');
    expect(await DashboardVotes({ userId: outsider.id })).toBeNull();
  });
});

describe("the vote page after the end", () => {
  beforeAll(async () => {
    await getDb().update(votes).set({ endsAt: sql`now() - interval '1 second'` }).where(eq(votes.id, voteId));
  });

  it("shows everyone each option's votes and weight, the turnout and the snapshot, and no personal data", async () => {
    signedIn.user = null;
    const page = await votePage(voteId);
    expect(page.match(/data-testid="result-row"/g)).toHaveLength(2);
    expect(page).toContain(t("votes.results.winner", { option: "Boardwalk" }));
    expect(page).toContain(t("votes.results.units", { count: "6" }));
    expect(page).toContain('data-testid="turnout"');
    expect(page).toContain(t("votes.results.turnout", { ballots: "2", eligible: "2", percent: "100" }));
    expect(page).toContain('data-testid="vote-snapshot"');
    expect(page).not.toContain('data-testid="ballot-form"');
    for (const user of [big, small, world.staff]) expect(page).not.toContain(user.email);
  });

  it("puts the result in the feed in both languages, and on the project page", async () => {
    const { GET } = await import("@/app/feed.xml/route");
    const english = await (await GET(new Request("http://localhost/feed.xml?lang=en"))).text();
    expect(english).toContain(`/votes/${voteId}`);
    expect(english).toContain("Vote result: Next project");
    const japanese = await (await GET(new Request("http://localhost/feed.xml"))).text();
    expect(japanese).toContain("投票結果: 次の事業");
    const { ProjectVotes } = await import("@/components/votes/project-votes");
    const section = await html(await ProjectVotes({ projectId: world.projectId, locale: "en", t }));
    expect(section).toContain(`/votes/${voteId}`);
    expect(section).toContain(t("votes.project.chosen"));
  });
});

import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { formatCalendarDate, formatDateTime } from "../lib/i18n/format";
import {
  DESKTOP,
  HARBOUR,
  STAFF,
  KAITO,
  MISAKI,
  SHOTA,
  YOKO,
  DRIED_FISH,
  BOAT,
  WALL,
  ROOF,
  ja,
  en,
  num,
  pattern,
  HOUR_MS,
  tokyoDateTimeInput,
  recordDate,
  signedIn,
  signIn,
  openHarbourOffering,
  confirmClick,
  expectNoSidewaysScroll,
  eventually,
} from "./harbour";

test("a holder claims the dried fish with a changed address, a second tab cannot claim again, staff export the packing list and mark it shipped, and the holder sees it shipped (ja)", async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const date = formatCalendarDate(recordDate(), "ja");

  // The dashboard offers the perk, with why: his holding at the record date.
  await signIn(page, KAITO.email);
  const offered = page.getByTestId("dashboard-perk").filter({ hasText: DRIED_FISH.titleJa });
  await expect(offered).toContainText(ja("perks.eligibility.eligibleHolding", { units: num(KAITO.units, "ja"), needed: num(DRIED_FISH.minUnits, "ja"), date }));
  await offered.getByRole("link", { name: DRIED_FISH.titleJa }).click();
  await expect(page).toHaveURL(/\/perks\/[0-9a-f-]{36}$/);
  const perkPath = new URL(page.url()).pathname;

  // The delivery address comes from his profile; he sends this claim elsewhere.
  const form = page.getByTestId("perk-claim-form");
  await expect(form.getByLabel(ja("perks.claim.recipientName"), { exact: true })).toHaveValue(KAITO.name);
  await expect(form.getByLabel(ja("perks.claim.recipientKana"))).toHaveValue(KAITO.kana);
  await expect(form.getByLabel(ja("perks.claim.postalCode"))).toHaveValue(KAITO.postalCode);
  await expect(form.getByLabel(ja("perks.claim.address"))).toHaveValue(KAITO.address);
  await expect(form.getByLabel(ja("perks.claim.phone"))).toHaveValue(KAITO.phone);
  const changedAddress = "高知県幡多郡海辺町浜通り5-3 海辺荘201";
  await form.getByLabel(ja("perks.claim.address")).fill(changedAddress);

  // A second tab, opened before the claim, still shows the form.
  const secondTab = await page.context().newPage();
  await secondTab.goto(perkPath);
  await expect(secondTab.getByTestId("perk-claim-form")).toBeVisible();

  await confirmClick(form, ja("perks.claim.submit"), ja("perks.claim.confirm"));
  const ownClaims = page.getByTestId("perk-own-claims").getByTestId("holder-perk-claim");
  await expect(ownClaims).toHaveCount(1);
  await expect(ownClaims.getByTestId("perk-claim-status")).toHaveText(ja("perks.claimStatus.status.claimed"));
  await expect(page.getByTestId("perk-eligibility")).toHaveText(ja("perks.eligibility.claimed"));
  await expect(page.getByTestId("perk-claim-form")).toHaveCount(0);

  // The second tab's claim is refused: still one claim, and the page says it is claimed.
  await confirmClick(secondTab.getByTestId("perk-claim-form"), ja("perks.claim.submit"), ja("perks.claim.confirm"));
  await expect(secondTab.getByTestId("perk-eligibility")).toHaveText(ja("perks.eligibility.claimed"));
  await expect(secondTab.getByTestId("perk-own-claims").getByTestId("holder-perk-claim")).toHaveCount(1);
  await secondTab.close();

  // Staff find the claim with the changed address on the offering's perks page.
  const staff = await signedIn(browser, STAFF, { path: "/staff/offerings" });
  await openHarbourOffering(staff);
  await staff.getByTestId("perks-link").click();
  await expect(staff).toHaveURL(/\/staff\/offerings\/[0-9a-f-]{36}\/perks$/);
  await staff.getByTestId("staff-perk").filter({ hasText: DRIED_FISH.titleJa }).getByTestId("staff-perk-link").click();
  await expect(staff).toHaveURL(/\/perks\/[0-9a-f-]{36}$/);
  const claim = staff.getByTestId("perk-claim").filter({ hasText: KAITO.email });
  await expect(claim).toHaveCount(1);
  await expect(claim).toContainText(`〒${KAITO.postalCode} ${changedAddress}`);
  await expect(claim).toContainText(KAITO.name);
  const claimId = await claim.getAttribute("data-claim-id");
  expect(claimId).toBeTruthy();

  // The packing list: UTF-8 with a BOM, headers in Japanese, his row with the address of this claim.
  const [download] = await Promise.all([staff.waitForEvent("download"), staff.getByTestId("perk-packing-list").click()]);
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  const bytes = await readFile(await download.path());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.subarray(3).toString("utf8").split("\r\n");
  const header = lines[0]!.split(",");
  const cell = (row: string[], column: "name" | "kana" | "postalCode" | "address" | "phone" | "item") => row[header.indexOf(ja(`perkPackingList.columns.${column}`))];
  const row = lines.find((line) => line.startsWith(claimId!))?.split(",");
  expect(row, "a packing-list row for the claim").toBeDefined();
  expect(cell(row!, "name")).toBe(KAITO.name);
  expect(cell(row!, "kana")).toBe(KAITO.kana);
  expect(cell(row!, "postalCode")).toBe(KAITO.postalCode);
  expect(cell(row!, "address")).toBe(changedAddress);
  expect(cell(row!, "phone")).toBe(KAITO.phone);
  expect(cell(row!, "item")).toBe(DRIED_FISH.titleJa);

  // Marked shipped with a tracking number.
  const tracking = "4455-6677-8899";
  await claim.getByTestId("perk-tracking-number").fill(tracking);
  await claim.getByRole("button", { name: ja("perksStaff.claims.ship"), exact: true }).click();
  await expect(claim.getByTestId("perk-claim-status")).toHaveText(ja("perks.claimStatus.status.shipped"));
  await expect(claim.getByTestId("perk-claim-tracking")).toHaveText(tracking);
  await staff.context().close();

  // The holder sees it shipped with the tracking number, and a notice says so.
  await page.goto("/perks");
  const shipped = page.getByTestId("perk-claims-of-holder").getByTestId("holder-perk-claim").filter({ hasText: DRIED_FISH.titleJa });
  await expect(shipped.getByTestId("perk-claim-status")).toHaveText(ja("perks.claimStatus.status.shipped"));
  await expect(shipped.getByTestId("perk-claim-tracking")).toHaveText(tracking);
  await page.goto("/notifications");
  await expect(page.locator('[data-kind="perk_shipped"]')).toContainText(ja("notices.holder.perk_shipped", { perk: DRIED_FISH.titleJa, tracking }));
});

test("a holder redeems 3 tokens for the fishing boat in English on a phone and sees them burned; a holder below the minimum is told why not @phone-only", async ({ page, browser }) => {
  test.setTimeout(180_000);

  await signIn(page, MISAKI.email, { locale: "en" });
  const harbourHolding = page.getByTestId("holdings-line").filter({ hasText: `${HARBOUR.nameEn} (${HARBOUR.symbol})` });
  await expect(harbourHolding.getByTestId("holdings-ledger")).toHaveText(en("chain.holdings.units", { count: num(MISAKI.units, "en") }));
  await expectNoSidewaysScroll(page);

  const offered = page.getByTestId("dashboard-perk").filter({ hasText: BOAT.titleEn });
  await expect(offered).toContainText(en("perks.eligibility.eligibleRedeeming", { units: num(MISAKI.units, "en"), needed: num(BOAT.costUnits, "en") }));
  await offered.getByRole("link", { name: BOAT.titleEn }).click();
  await expect(page).toHaveURL(/\/perks\/[0-9a-f-]{36}$/);
  const count = num(BOAT.costUnits, "en");
  await expect(page.getByTestId("perk-burn-warning")).toHaveText(en("perks.claim.burnWarning", { count }));
  await expectNoSidewaysScroll(page);

  await confirmClick(page.getByTestId("perk-claim-form"), en("perks.claim.submitRedeem", { count }), en("perks.claim.confirmRedeem", { count }));
  const claim = page.getByTestId("perk-own-claims").getByTestId("holder-perk-claim");
  await expect(claim).toHaveCount(1);
  await expect(claim.getByTestId("perk-claim-status")).toHaveText(en("perks.claimStatus.status.claimed"));

  // The worker burns the tokens through the signer queue; the claim then says so.
  await eventually(page, () => expect(claim.getByTestId("perk-claim-burn")).toHaveAttribute("data-state", "burned", { timeout: 1_000 }), 60_000);
  await expect(claim.getByTestId("perk-claim-burn")).toHaveText(pattern(en("perks.claimStatus.burn.burned", { count, date: "{date}" })));
  await expectNoSidewaysScroll(page);

  // Her holding is 3 fewer in the ledger and on chain.
  await page.goto("/dashboard");
  const left = en("chain.holdings.units", { count: num(MISAKI.units - BOAT.costUnits, "en") });
  await eventually(
    page,
    async () => {
      await expect(harbourHolding.getByTestId("holdings-ledger")).toHaveText(left, { timeout: 1_000 });
      await expect(harbourHolding.getByTestId("holdings-chain")).toHaveText(left, { timeout: 1_000 });
    },
    60_000,
  );
  await page.goto("/perks");
  await expectNoSidewaysScroll(page);

  // A holder of 4 at the record date sees why the dried fish (5 or more) is not for him.
  const shota = await signedIn(browser, SHOTA.email, { locale: "en", path: "/perks" });
  const notForHim = shota.getByTestId("perks-not-claimable").getByTestId("perk-card").filter({ hasText: DRIED_FISH.titleEn });
  const why = en("perks.eligibility.below_minimum", { units: num(SHOTA.units, "en"), needed: num(DRIED_FISH.minUnits, "en"), date: formatCalendarDate(recordDate(), "en") });
  await expect(notForHim.getByTestId("perk-eligibility")).toHaveText(why);
  await notForHim.getByTestId("perk-card-link").click();
  await expect(shota).toHaveURL(/\/perks\/[0-9a-f-]{36}$/);
  await expect(shota.getByTestId("perk-eligibility")).toHaveText(why);
  await expect(shota.getByTestId("perk-claim-form")).toHaveCount(0);
  await expectNoSidewaysScroll(shota);
  await shota.context().close();
});

test("staff open a vote by units on the harbour token; a holder votes in English on a phone and changes her vote, another in Japanese; after the end anyone sees the result @phone-only", async ({
  page,
  browser,
}) => {
  // One vote and a clock: run once, the holder at phone size and staff and the second holder on a desktop.
  test.setTimeout(360_000);
  const record = recordDate();
  const stamp = Date.now().toString(36);
  const question = { ja: `次に取り組む事業 (${stamp})`, en: `What should the town fund next? (${stamp})` };

  // Everyone signs in before the vote exists, so its short clock is spent on voting.
  const staff = await signedIn(browser, STAFF, { path: "/staff/offerings", desktop: true });
  const kaito = await signedIn(browser, KAITO.email, { desktop: true });
  await signIn(page, YOKO.email, { locale: "en" });

  // Staff open the vote: yesterday's holders, weighted by units, two options linked to the harbour projects, ending in about two minutes.
  await openHarbourOffering(staff);
  await staff.getByTestId("votes-link").click();
  await expect(staff).toHaveURL(/\/votes$/);
  const form = staff.getByTestId("vote-form");
  const m = (key: "questionJa" | "questionEn" | "recordDate" | "endsAt" | "labelJa" | "labelEn" | "project") => ja(`votesStaff.form.${key}`);
  await form.getByLabel(m("questionJa"), { exact: true }).fill(question.ja);
  await form.getByLabel(m("questionEn"), { exact: true }).fill(question.en);
  await form.getByLabel(m("recordDate"), { exact: true }).fill(record);
  await form.getByLabel(ja("votes.counting.by_units"), { exact: true }).check();
  for (const [row, option] of [WALL, ROOF].entries()) {
    const fields = form.getByTestId("vote-form-option").nth(row);
    await fields.getByLabel(m("labelJa"), { exact: true }).fill(option.labelJa);
    await fields.getByLabel(m("labelEn"), { exact: true }).fill(option.labelEn);
    await fields.getByLabel(m("project"), { exact: true }).selectOption({ label: option.project });
  }
  const endsAt = new Date(Math.ceil((Date.now() + 90_000) / 60_000) * 60_000);
  await form.getByLabel(m("endsAt"), { exact: true }).fill(tokyoDateTimeInput(endsAt));
  await form.getByRole("button", { name: ja("votesStaff.form.submit") }).click();
  await expect(staff).toHaveURL(/\/votes\/[0-9a-f-]{36}\?created=opened$/);
  const voteId = new URL(staff.url()).pathname.split("/").pop()!;
  await expect(staff.getByTestId("vote-created")).toHaveText(ja("votesStaff.created.opened"));
  await expect(staff.getByTestId("vote-state")).toHaveAttribute("data-state", "open");
  await expect(staff.getByTestId("staff-vote-snapshot")).toHaveAttribute("data-status", "frozen");
  await expect(staff.getByTestId("vote-ends-at")).toHaveText(formatDateTime(endsAt, "ja"));

  // The holder finds it on her dashboard, votes for the roof, then changes to the wall; no numbers while it runs.
  await page.goto("/dashboard");
  const listed = page.getByTestId("dashboard-vote").filter({ hasText: question.en });
  await expect(listed.getByTestId("dashboard-vote-status")).toHaveText(en("votes.dashboard.notVoted"));
  await listed.getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/votes/${voteId}$`));
  await expect(page.getByTestId("vote-question")).toHaveText(question.en);
  await expect(page.getByTestId("ballot-weight")).toHaveText(en("votes.ballot.weightByUnits", { units: num(YOKO.units, "en") }));
  await expect(page.getByTestId("results-after-end")).toHaveText(en("votes.resultsAfterEnd", { date: formatDateTime(endsAt, "en") }));
  await expect(page.getByTestId("vote-option").getByRole("link")).toHaveText([`${en("votes.projectLink", { project: WALL.labelEn })} →`, `${en("votes.projectLink", { project: ROOF.labelEn })} →`]);
  const ballot = page.getByTestId("ballot-form");
  await ballot.getByLabel(ROOF.labelEn).check();
  await ballot.getByRole("button", { name: en("votes.ballot.submit"), exact: true }).click();
  await expect(page.getByTestId("ballot-message")).toHaveText(en("votes.ballot.cast"));
  await expect(page.getByTestId("ballot-current")).toHaveText(en("votes.ballot.current", { option: ROOF.labelEn }));
  await ballot.getByLabel(WALL.labelEn).check();
  await ballot.getByRole("button", { name: en("votes.ballot.change"), exact: true }).click();
  await expect(page.getByTestId("ballot-message")).toHaveText(en("votes.ballot.changed"));
  await expect(page.getByTestId("ballot-current")).toHaveText(en("votes.ballot.current", { option: WALL.labelEn }));
  await expect(page.getByTestId("vote-result")).toHaveCount(0);
  await expect(page.getByTestId("result-row")).toHaveCount(0);
  await expectNoSidewaysScroll(page);

  // A second holder votes in Japanese, for the roof.
  await kaito.goto(`/votes/${voteId}`);
  await expect(kaito.getByTestId("ballot-weight")).toHaveText(ja("votes.ballot.weightByUnits", { units: num(KAITO.units, "ja") }));
  await kaito.getByTestId("ballot-form").getByLabel(ROOF.labelJa).check();
  await kaito
    .getByTestId("ballot-form")
    .getByRole("button", { name: ja("votes.ballot.submit"), exact: true })
    .click();
  await expect(kaito.getByTestId("ballot-message")).toHaveText(ja("votes.ballot.cast"));
  await kaito.context().close();

  // Staff see how many voted, never how.
  await staff.reload();
  await expect(staff.getByTestId("staff-vote-ballots")).toHaveText(ja("votesStaff.detail.ballots", { count: num(2, "ja") }));
  await expect(staff.getByText(ja("votesStaff.detail.hidden"))).toBeVisible();
  await expect(staff.getByTestId("vote-result")).toHaveCount(0);
  await staff.context().close();
  expect(Date.now(), "the votes were cast before the end").toBeLessThan(endsAt.getTime());

  // After the end anyone, signed out, sees the result: each changed vote counted once, the weights decide.
  const visitor = await (await browser.newContext(DESKTOP)).newPage();
  await visitor.goto(`/votes/${voteId}`);
  await eventually(visitor, () => expect(visitor.getByTestId("vote-result")).toBeVisible({ timeout: 1_000 }), Math.max(endsAt.getTime() - Date.now(), 0) + 60_000);
  await expect(visitor.getByTestId("vote-state")).toHaveAttribute("data-state", "ended");
  const rows = visitor.getByTestId("result-row");
  await expect(rows).toHaveCount(2);
  const wall = rows.filter({ hasText: WALL.labelJa });
  const roof = rows.filter({ hasText: ROOF.labelJa });
  await expect(wall.getByTestId("result-votes")).toHaveText(ja("votes.results.votes", { count: num(1, "ja") }));
  await expect(wall.getByTestId("result-weight")).toHaveText(ja("votes.results.units", { count: num(YOKO.units, "ja") }));
  await expect(roof.getByTestId("result-votes")).toHaveText(ja("votes.results.votes", { count: num(1, "ja") }));
  await expect(roof.getByTestId("result-weight")).toHaveText(ja("votes.results.units", { count: num(KAITO.units, "ja") }));
  // One vote each: the units held at the record date decide, so no tie.
  await expect(visitor.getByTestId("result-winner")).toHaveText(ja("votes.results.winner", { option: ROOF.labelJa }));
  await expect(roof.getByTestId("result-leading-marker")).toBeVisible();
  await expect(visitor.getByTestId("result-tie")).toHaveCount(0);
  const percent = (part: number, whole: number) => ((100 * part) / whole).toLocaleString("ja-JP", { maximumFractionDigits: 1 });
  const voted = YOKO.units + KAITO.units;
  await expect(visitor.getByTestId("turnout-holders")).toHaveText(ja("votes.results.turnout", { ballots: num(2, "ja"), eligible: num(HARBOUR.holders, "ja"), percent: percent(2, HARBOUR.holders) }));
  await expect(visitor.getByTestId("turnout-units")).toHaveText(
    ja("votes.results.unitsTurnout", { units: num(voted, "ja"), total: num(HARBOUR.supply, "ja"), percent: percent(voted, HARBOUR.supply) }),
  );
  const snapshot = visitor.getByTestId("vote-snapshot");
  const cutoff = new Date(Date.parse(`${record}T00:00:00+09:00`) + 24 * HOUR_MS);
  await expect(snapshot).toContainText(ja("votes.snapshot.recordDate", { date: formatCalendarDate(record, "ja"), cutoff: formatDateTime(cutoff, "ja") }));
  await expect(snapshot.getByTestId("vote-snapshot-block")).toHaveText(pattern(ja("votes.snapshot.block", { number: "{number}" })));
  await expect(snapshot).toContainText(ja("votes.snapshot.holders", { count: num(HARBOUR.holders, "ja") }));
  await expect(snapshot).toContainText(ja("votes.snapshot.supply", { units: num(HARBOUR.supply, "ja") }));
  await expect(visitor.getByTestId("vote-record-date")).toHaveText(formatCalendarDate(record, "ja"));
  await expect(visitor.getByTestId("ballot-form")).toHaveCount(0);
  await visitor.context().close();
});

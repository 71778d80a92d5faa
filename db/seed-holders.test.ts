import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { tokyoDate } from "@/lib/projects/dates";
import { identityDocuments, ledgerEntries, offerings, orderEvents, orders, perks, projects, users, voteOptions, votes, wallets } from "./schema";
import { DEMO_BOND_INVESTORS, DEMO_HARBOUR_HOLDINGS, DEMO_OTHER_ISSUER_STAFF_EMAIL, DEMO_OTHER_OFFERING_SLUG, seedIfEmpty } from "./seed";
import { plusDays } from "./seed-bond-investors";

const now = new Date();
const DAY_MS = 86_400_000;
const today = tokyoDate(now);
const yesterday = plusDays(today, -1);

beforeAll(async () => {
  expect(await seedIfEmpty(getDb(), now)).toBe(true);
});

async function harbour() {
  const [row] = await getDb().select().from(offerings).where(eq(offerings.slug, DEMO_OTHER_OFFERING_SLUG));
  return row!;
}

async function staffId() {
  const [row] = await getDb().select({ id: users.id }).from(users).where(eq(users.email, DEMO_OTHER_ISSUER_STAFF_EMAIL));
  return row!.id;
}

describe("the harbour token's demo holders", () => {
  it("is a sale approved five days ago, open since four, still open, with its sold units those of the paid orders", async () => {
    const offering = await harbour();
    expect(offering).toMatchObject({ kind: "village_token", status: "open", tokenAddress: null, reservedUnits: 0, approvedRevision: offering.termsRevision });
    expect(tokyoDate(offering.approvedAt!)).toBe(plusDays(today, -5));
    expect(tokyoDate(offering.opensAt)).toBe(plusDays(today, -4));
    expect(offering.closesAt.getTime()).toBeGreaterThan(now.getTime());
    const total = DEMO_HARBOUR_HOLDINGS.reduce((sum, holding) => sum + holding.units, 0);
    expect(offering.soldUnits).toBe(total);
  });

  it("was bought by some of the bond's approved buyers, 2 to 4 days ago in Tokyo daytime, each paid order with its events and yen", async () => {
    const offering = await harbour();
    const rows = await getDb()
      .select({ order: orders, email: users.email, identity: identityDocuments.status, wallet: wallets.address })
      .from(orders)
      .innerJoin(users, eq(users.id, orders.userId))
      .innerJoin(identityDocuments, eq(identityDocuments.userId, orders.userId))
      .innerJoin(wallets, eq(wallets.userId, orders.userId))
      .where(eq(orders.offeringId, offering.id))
      .orderBy(asc(orders.seq));
    expect(rows.map((row) => row.email).sort()).toEqual(DEMO_HARBOUR_HOLDINGS.map((holding) => holding.email).sort());
    const bondEmails = DEMO_BOND_INVESTORS.map((investor) => investor.email);
    expect(rows.every((row) => bondEmails.includes(row.email))).toBe(true);
    expect(bondEmails.filter((email) => !rows.some((row) => row.email === email)).length).toBeGreaterThan(0);
    expect(rows.find((row) => row.email === "kaito.hamada@example.jp")!.order.units).toBeGreaterThanOrEqual(10);
    let previous = 0;
    for (const { order, identity } of rows) {
      expect(order.status).toBe("paid");
      expect(identity).toBe("approved");
      expect(order.amountYen).toBe(order.units * offering.priceYen);
      expect(order.createdAt >= offering.opensAt).toBe(true);
      // Sequence order is time order: the dev chain allocates by sequence.
      expect(order.createdAt.getTime()).toBeGreaterThan(previous);
      previous = order.createdAt.getTime();
      expect([plusDays(today, -4), plusDays(today, -3), plusDays(today, -2)]).toContain(tokyoDate(order.createdAt));
      const hour = Number(new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Tokyo", hour: "2-digit", hourCycle: "h23" }).format(order.createdAt));
      expect(hour).toBeGreaterThanOrEqual(7);
      expect(hour).toBeLessThan(21);
      const events = await getDb().select().from(orderEvents).where(eq(orderEvents.orderId, order.id)).orderBy(asc(orderEvents.at));
      expect(events.map((event) => event.toStatus)).toEqual(["reserved", "awaiting_payment", "paid"]);
      expect(events[2]!.at.getTime()).toBe(order.updatedAt.getTime());
      const [received] = await getDb()
        .select()
        .from(ledgerEntries)
        .where(and(eq(ledgerEntries.orderId, order.id), eq(ledgerEntries.kind, "yen_received")));
      expect(received).toMatchObject({ offeringId: offering.id, userId: order.userId, yen: order.amountYen });
    }
  });

  it("has a holding perk and a redeeming perk by Umibe's staff, open now", async () => {
    const offering = await harbour();
    const rows = await getDb().select().from(perks).where(eq(perks.offeringId, offering.id));
    const holding = rows.find((row) => row.kind === "holding");
    const redeeming = rows.find((row) => row.kind === "redeeming");
    expect(rows).toHaveLength(2);
    expect(holding).toMatchObject({
      titleJa: "朝市の干物セット",
      minUnits: 5,
      recordDate: yesterday,
      costUnits: null,
      stock: 30,
      claimed: 0,
      needsAddress: true,
      status: "open",
      createdBy: await staffId(),
    });
    expect(redeeming).toMatchObject({
      titleEn: "A morning on a fishing boat",
      costUnits: 3,
      minUnits: null,
      recordDate: null,
      stock: 10,
      claimed: 0,
      needsAddress: false,
      status: "open",
      createdBy: await staffId(),
    });
    for (const perk of rows) {
      expect(perk.claimOpensAt.getTime()).toBeLessThan(now.getTime());
      expect(perk.claimClosesAt.getTime()).toBeGreaterThan(now.getTime() + 29 * DAY_MS);
      expect(perk.photoImageId).toBeNull();
    }
    // Some holders reach the holding perk's minimum, and some do not.
    expect(DEMO_HARBOUR_HOLDINGS.some((row) => row.units >= holding!.minUnits!)).toBe(true);
    expect(DEMO_HARBOUR_HOLDINGS.some((row) => row.units < holding!.minUnits!)).toBe(true);
  });

  it("has a running vote counted by units at yesterday's record date, its options linked to the harbour's projects", async () => {
    const offering = await harbour();
    const [vote, ...others] = await getDb().select().from(votes).where(eq(votes.offeringId, offering.id));
    expect(others).toHaveLength(0);
    expect(vote).toMatchObject({ questionEn: "Which project should the town fund next?", recordDate: yesterday, counting: "by_units", snapshotId: null, createdBy: await staffId() });
    expect(vote!.endsAt).toEqual(new Date(`${plusDays(today, 14)}T17:00:00+09:00`));
    const options = await getDb()
      .select({ position: voteOptions.position, labelJa: voteOptions.labelJa, slug: projects.slug, projectOffering: projects.offeringId })
      .from(voteOptions)
      .innerJoin(projects, eq(projects.id, voteOptions.projectId))
      .where(eq(voteOptions.voteId, vote!.id))
      .orderBy(asc(voteOptions.position));
    expect(options.map((option) => option.slug)).toEqual(["harbour-wall", "morning-market-roof"]);
    expect(options.every((option) => option.projectOffering === offering.id)).toBe(true);
    const [published] = await getDb()
      .select({ n: sql<number>`count(*)::int` })
      .from(projects)
      .where(
        and(
          inArray(
            projects.slug,
            options.map((option) => option.slug),
          ),
          sql`${projects.publishedAt} is not null`,
        ),
      );
    expect(published!.n).toBe(2);
  });
});

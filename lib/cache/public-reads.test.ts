import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { offerings, projects } from "@/db/schema";
import { DEMO_OFFERING_SLUG, seedIfEmpty } from "@/db/seed";
import { offeringBySlug, openOfferings, publicIssuer, publishedProject } from "./public-reads";
import { noteStaffWrite, PUBLIC_STALE_MS, PUBLIC_TTL_MS, WRITE_PAUSE_MS } from "./ttl";

// Only a production server caches (lib/cache/ttl.ts).
vi.mock("@/lib/env", async (original) => {
  const actual = await original<typeof import("@/lib/env")>();
  return { ...actual, env: () => ({ ...actual.env(), nodeEnv: "production" }) };
});

// The visitor's cookies, as next/headers gives them to a request.
const jar = vi.hoisted(() => ({ cookies: [] as { name: string; value: string }[] }));
vi.mock("next/headers", () => ({ cookies: async () => ({ getAll: () => jar.cookies }) }));

const later = (ms: number) => vi.setSystemTime(Date.now() + ms);

beforeAll(async () => {
  await seedIfEmpty(getDb());
  vi.useFakeTimers({ toFake: ["Date"] });
});
afterAll(() => {
  vi.useRealTimers();
});

describe("public reads across requests", () => {
  it("serve the same figures for a few seconds, then what the database says", async () => {
    const before = (await offeringBySlug(DEMO_OFFERING_SLUG))!;
    expect((await openOfferings()).find((row) => row.id === before.id)?.soldUnits).toBe(before.soldUnits);
    await getDb()
      .update(offerings)
      .set({ soldUnits: before.soldUnits + 7 })
      .where(eq(offerings.id, before.id));
    expect((await offeringBySlug(DEMO_OFFERING_SLUG))!.soldUnits).toBe(before.soldUnits);
    expect((await openOfferings()).find((row) => row.id === before.id)?.soldUnits).toBe(before.soldUnits);

    // Past the window and the stale window: the new figures, for everyone.
    later(PUBLIC_TTL_MS + PUBLIC_STALE_MS + 1);
    expect((await offeringBySlug(DEMO_OFFERING_SLUG))!.soldUnits).toBe(before.soldUnits + 7);
    expect(await offeringBySlug("no-such-offering")).toBeNull();
  });

  it("give a signed-in visitor what the database says at once, and keep nothing read for them", async () => {
    later(PUBLIC_TTL_MS + PUBLIC_STALE_MS + 1);
    const before = (await offeringBySlug(DEMO_OFFERING_SLUG))!;
    await getDb()
      .update(offerings)
      .set({ reservedUnits: before.reservedUnits + 3 })
      .where(eq(offerings.id, before.id));
    jar.cookies = [{ name: "authjs.session-token", value: "buyer" }];
    expect((await offeringBySlug(DEMO_OFFERING_SLUG))!.unitsLeft).toBe(before.unitsLeft - 3);
    jar.cookies = [{ name: "locale", value: "en" }];
    expect((await offeringBySlug(DEMO_OFFERING_SLUG))!.unitsLeft).toBe(before.unitsLeft);
  });

  it("show a staff edit at once", async () => {
    expect((await publishedProject("forest-thinning"))!.project.titleEn).not.toBe("Edited by staff");
    await getDb().update(projects).set({ titleEn: "Edited by staff" }).where(eq(projects.slug, "forest-thinning"));
    noteStaffWrite();
    expect((await publishedProject("forest-thinning"))!.project.titleEn).toBe("Edited by staff");
    later(WRITE_PAUSE_MS);
    expect((await publishedProject("forest-thinning"))!.project.titleEn).toBe("Edited by staff");
  });

  it("find nothing for an address no slug could be, for signed-in visitors too, without asking the database (it cannot hold a NUL)", async () => {
    for (const cookies of [[], [{ name: "authjs.session-token", value: "buyer" }]]) {
      jar.cookies = cookies;
      for (const slug of ["\u0000", "forest\u0000thinning", "\uD800", "Forest-Thinning", "a".repeat(101), "../etc"]) {
        expect(await offeringBySlug(slug)).toBeNull();
        expect(await publishedProject(slug)).toBeNull();
        expect(await publicIssuer(slug)).toBeNull();
      }
    }
    expect(await publicIssuer("umibe")).not.toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { hitRateLimit, pruneRateLimits } from "./rate-limit";

describe("sign-in rate limit", () => {
  it("allows up to the limit per key and window, then refuses with the time left", async () => {
    const db = getDb();
    const now = new Date("2026-11-22T10:05:00Z");
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await hitRateLimit(db, "sign-in:email:a@example.jp", 3, 900, now));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results[3]!.retryAfterSeconds).toBe(600);
    // Another address, and the same address in the next window, are counted apart.
    expect((await hitRateLimit(db, "sign-in:email:b@example.jp", 3, 900, now)).allowed).toBe(true);
    expect((await hitRateLimit(db, "sign-in:email:a@example.jp", 3, 900, new Date("2026-11-22T10:15:00Z"))).allowed).toBe(true);
  });

  it("counts concurrent hits exactly", async () => {
    const db = getDb();
    const now = new Date("2026-11-22T11:00:00Z");
    const results = await Promise.all(Array.from({ length: 20 }, () => hitRateLimit(db, "sign-in:ip:127.0.0.1", 5, 900, now)));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    await pruneRateLimits(db, new Date("2026-11-23T00:00:00Z"));
    expect((await hitRateLimit(db, "sign-in:ip:127.0.0.1", 5, 900, now)).allowed).toBe(true);
  });
});

import { afterEach, describe, expect, it, vi } from "vitest";
import { isStaffWrite, noteStaffWrite, ttlCache, WRITE_PAUSE_MS } from "./ttl";

// Only a production server caches (lib/cache/ttl.ts).
vi.mock("@/lib/env", async (original) => {
  const actual = await original<typeof import("@/lib/env")>();
  return { ...actual, env: () => ({ ...actual.env(), nodeEnv: "production" }) };
});

let clock = 1_000_000;
const now = () => clock;
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A load that counts its calls and answers `value-N`. */
function counter() {
  let calls = 0;
  const load = async () => `value-${++calls}`;
  return { load, calls: () => calls };
}

afterEach(() => {
  // Past any pause a test's staff write left, for the next test.
  clock += 60_000;
});

describe("ttlCache", () => {
  it("serves one load to every caller within the window, then a fresh one after it (stale only while refreshing)", async () => {
    const cache = ttlCache<string>(1_000, 2_000, now);
    const { load, calls } = counter();
    expect(await Promise.all([cache.get("k", load), cache.get("k", load)])).toEqual(["value-1", "value-1"]);
    clock += 999;
    expect(await cache.get("k", load)).toBe("value-1");
    expect(calls()).toBe(1);

    // Past the window: the old value, to everyone, while one refresh runs; then the new one.
    clock += 2;
    let finish: () => void = () => {};
    const slow = () => new Promise<string>((resolve) => (finish = () => resolve(load())));
    expect(await cache.get("k", slow)).toBe("value-1");
    expect(await cache.get("k", slow)).toBe("value-1");
    finish();
    await settle();
    expect(calls()).toBe(2);
    expect(await cache.get("k", load)).toBe("value-2");

    // Past the stale window too: nobody gets the old value, the caller waits for a fresh one.
    clock += 1_000 + 2_000;
    expect(await cache.get("k", load)).toBe("value-3");
  });

  it("keeps keys apart and does not keep a failed load", async () => {
    const cache = ttlCache<string>(1_000, 0, now);
    expect(await cache.get("a", async () => "A")).toBe("A");
    expect(await cache.get("b", async () => "B")).toBe("B");
    await expect(cache.get("c", async () => Promise.reject(new Error("database down")))).rejects.toThrow("database down");
    await settle();
    expect(await cache.get("c", async () => "C")).toBe("C");
    expect(await cache.get("a", async () => "other")).toBe("A");
  });

  it("a staff write empties every cache, keeps nothing read during the pause, and drops a refresh that began before it", async () => {
    const first = ttlCache<string>(1_000, 5_000, now);
    const second = ttlCache<string>(1_000, 5_000, now);
    await first.get("k", async () => "old");
    await second.get("k", async () => "old");

    // A refresh starts (past the window), the staff write lands before it returns.
    clock += 1_001;
    let finish: (value: string) => void = () => {};
    expect(await first.get("k", () => new Promise<string>((resolve) => (finish = resolve)))).toBe("old");
    noteStaffWrite(clock);
    finish("read before the write committed");
    await settle();
    expect(first.size).toBe(0);
    expect(second.size).toBe(0);

    // During the pause every read goes to the source and nothing is kept.
    expect(await first.get("k", async () => "during pause")).toBe("during pause");
    expect(first.size).toBe(0);
    clock += WRITE_PAUSE_MS;
    expect(await first.get("k", async () => "new")).toBe("new");
    expect(await first.get("k", async () => "newer")).toBe("new");
  });

  it("counts only writes on staff pages as staff writes", () => {
    expect(isStaffWrite("POST", "/staff/offerings/123")).toBe(true);
    expect(isStaffWrite("POST", "/staff")).toBe(true);
    expect(isStaffWrite("GET", "/staff/offerings/123")).toBe(false);
    expect(isStaffWrite("POST", "/offerings/nishimori-forest-token")).toBe(false);
    expect(isStaffWrite("POST", "/staffing")).toBe(false);
  });
});

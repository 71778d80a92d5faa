import "@/test/session-mock";
import "./action-mocks";
import { describe, expect, it } from "vitest";
import { schemaOf } from "./action-mocks";
import { discoverActions, discoverRoutes } from "./discover";
import { ACTIONS, ROUTES } from "./targets";

// A new server action or route handler cannot be forgotten: each one found under app/ needs a
// fuzz entry in test/hostile/targets.ts, and an entry naming nothing is an error too.

/** What was found without an entry, and entries for nothing found. */
function gaps(found: { key: string }[], table: Record<string, unknown>) {
  const keys = new Set(found.map((item) => item.key));
  return { missing: [...keys].filter((key) => !(key in table)), stale: Object.keys(table).filter((key) => !keys.has(key)) };
}

describe("the hostile-input suite covers the whole app", () => {
  it('has an entry for every export of every "use server" file, and none for a missing one', async () => {
    const found = await discoverActions();
    expect(found.length).toBeGreaterThan(50);
    expect(gaps(found, ACTIONS)).toEqual({ missing: [], stale: [] });
    // Each is made through lib/actions, so its form fields can be read from its schema.
    for (const action of found) expect(() => schemaOf(action.action), action.key).not.toThrow();
  });

  it("has an entry for every exported HTTP method of every route.ts, and none for a missing one", async () => {
    const found = await discoverRoutes();
    expect(found.length).toBeGreaterThan(30);
    expect(gaps(found, ROUTES)).toEqual({ missing: [], stale: [] });
  });
});

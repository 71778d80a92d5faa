import { beforeAll, describe, expect, it } from "vitest";
import { caller } from "./session";
import { load, pages } from "./enumerate";
import { expected, PAGES, type Outcome } from "./matrix";
import { visitPage } from "./outcomes";
import { authzWorld, WHO, type Who, type World } from "./world";

// Every page.tsx under app/, rendered as each of six callers: what each gets is what the matrix says.

let world: World;
beforeAll(async () => {
  world = await authzWorld();
});

const found = pages();

describe("the page matrix", () => {
  it("has one entry per page on disk, and none for a page that is gone", () => {
    expect(Object.keys(PAGES).sort()).toEqual(found.map((page) => page.key).sort());
  });

  it.each(found.map((page) => [page.key, page.file] as const))("%s", async (key, file) => {
    const entry = PAGES[key];
    if (!entry) return; // reported by the completeness test
    const { default: page } = await load<{ default: (props: unknown) => Promise<React.ReactNode> }>(file);
    const got: Partial<Record<Who, Outcome>> = {};
    const want: Partial<Record<Who, Outcome>> = {};
    for (const who of WHO) {
      caller.user = world.who[who];
      const props = { params: Promise.resolve(entry.params?.(world) ?? {}), searchParams: Promise.resolve(entry.search?.(world) ?? {}) };
      got[who] = await visitPage(page, props);
      want[who] = expected(entry, who);
    }
    expect(got).toEqual(want);
  });
});

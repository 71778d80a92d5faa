import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import { setTestSettings } from "@/test/settings";
import { caller } from "./session";
import { load, routes } from "./enumerate";
import { expected, ROUTES, type Outcome } from "./matrix";
import { outcomeOfStatus } from "./outcomes";
import { authzWorld, WHO, type Who, type World } from "./world";

// Every exported method of every route.ts under app/, called as each of six callers.

setTestSettings({ API_LIMIT_PER_MINUTE: "100000" });

type Handler = (request: NextRequest, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

let world: World;
beforeAll(async () => {
  world = await authzWorld();
});

const found = routes();

/** The route's path with its dynamic segments filled in. */
function pathOf(path: string, params: Record<string, string | string[]>): string {
  return path.replace(/\[(?:\.\.\.)?(\w+)\]/g, (_, name: string) => [params[name] ?? ""].flat().join("/"));
}

describe("the route matrix", () => {
  it("has one entry per exported method of each route on disk, and none for one that is gone", () => {
    expect(Object.keys(ROUTES).sort()).toEqual(found.map((route) => route.key).sort());
  });

  it.each(found.map((route) => [route.key, route] as const))("%s", async (key, route) => {
    const entry = ROUTES[key];
    if (!entry) return; // reported by the completeness test
    const handler = (await load<Record<string, Handler>>(route.file))[route.method]!;
    const params = entry.params?.(world) ?? {};
    const got: Partial<Record<Who, Outcome | string>> = {};
    const want: Partial<Record<Who, Outcome>> = {};
    for (const who of WHO) {
      caller.user = world.who[who];
      const url = `http://localhost:3000${entry.url?.(world) ?? pathOf(route.path, params)}`;
      const response = await handler(new NextRequest(url, { method: route.method, ...entry.init?.(world) }), { params: Promise.resolve(params) });
      got[who] = outcomeOfStatus(response.status);
      want[who] = expected(entry, who);
    }
    expect(got).toEqual(want);
  });
});

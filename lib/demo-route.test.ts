import { readdirSync } from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it, vi } from "vitest";
import "@/test/session-mock";

const mode = { demo: true };
vi.mock("@/lib/env", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/env")>();
  return { ...real, env: () => ({ ...real.env(), isDemo: mode.demo, mode: mode.demo ? "demo" : "live" }) };
});

/** Every file of the app under a `dev` folder or a `demo-…` folder: the demo-only routes. */
function demoOnlyFiles(dir = "app"): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "dev" || entry.name.startsWith("demo-") ? allFiles(full) : demoOnlyFiles(full);
    return [];
  });
}
const allFiles = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? allFiles(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

async function notFoundDigest(render: () => unknown): Promise<string | undefined> {
  try {
    await render();
  } catch (error) {
    return (error as { digest?: string }).digest;
  }
  return undefined;
}

describe("demo-only routes in live mode", () => {
  beforeEach(() => {
    mode.demo = false;
  });

  it("are exactly the known ones, so a new one is checked here too", () => {
    expect(demoOnlyFiles().sort()).toEqual([
      "app/(public)/dev/layout.tsx",
      "app/(public)/dev/mailbox/page.tsx",
      "app/(staff)/staff/register/demo-holding/route.ts",
      "app/api/dev/stablecoin-faucet/route.ts",
    ]);
  });

  it("answer 404 to every HTTP method, without revealing the route", async () => {
    const routes = [await import("@/app/(staff)/staff/register/demo-holding/route"), await import("@/app/api/dev/stablecoin-faucet/route")];
    for (const route of routes) {
      for (const method of METHODS) {
        const request = new Request("http://localhost/demo-only", { method, headers: { "content-type": "application/json" } });
        const response = await (route as Record<string, (r: Request) => Promise<Response>>)[method]!(request);
        expect(response.status, method).toBe(404);
      }
    }
  });

  it("/dev pages are not found (layout and page)", async () => {
    const [{ default: Layout }, { default: Mailbox }] = await Promise.all([import("@/app/(public)/dev/layout"), import("@/app/(public)/dev/mailbox/page")]);
    expect(await notFoundDigest(() => Layout({ children: null }))).toBe("NEXT_HTTP_ERROR_FALLBACK;404");
    expect(await notFoundDigest(() => Mailbox())).toBe("NEXT_HTTP_ERROR_FALLBACK;404");
  });

  it("work in demo mode: other methods 405, POST asks for a signed-in staff member", async () => {
    mode.demo = true;
    const route = await import("@/app/(staff)/staff/register/demo-holding/route");
    const get = await route.GET(new Request("http://localhost/staff/register/demo-holding"));
    expect([get.status, get.headers.get("allow")]).toEqual([405, "POST"]);
    expect((await route.POST(new Request("http://localhost/x", { method: "POST" }))).status).toBe(401);
  });
});

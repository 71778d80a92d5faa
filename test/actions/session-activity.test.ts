import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { makeUser } from "../fixtures";
import { getDb } from "@/db/client";
import { sessions } from "@/db/schema";
import { auth } from "@/lib/auth";
import { refreshInBackground } from "@/lib/auth/background-refresh";

/** The incoming request's headers, as next/headers would give them to auth(). */
const request = vi.hoisted(() => ({ headers: new Headers() }));
const refreshed = vi.hoisted(() => vi.fn());
vi.mock("next/headers", () => ({
  headers: async () => request.headers,
  cookies: async () => ({ get: () => undefined, getAll: () => [], has: () => false, set: () => undefined, delete: () => undefined }),
}));
vi.mock("next/cache", () => ({ refresh: refreshed }));
// next-auth's own package cannot load outside Next (it imports "next/server" without an extension);
// this stands in for its server-side auth() the way next-auth does it: @auth/core's session
// endpoint, with the portal's real config (adapter, idle wrapper, callbacks), for the request's cookie.
vi.mock("next-auth", async () => {
  const { Auth } = await import("@auth/core");
  const { headers } = await import("next/headers");
  type Config = Parameters<typeof Auth>[1];
  return {
    default: (config: () => Config) => ({
      handlers: {},
      signIn: async () => undefined,
      signOut: async () => undefined,
      auth: async () => {
        const incoming = await headers();
        const response = await Auth(new Request("http://localhost:3000/api/auth/session", { headers: { cookie: incoming.get("cookie") ?? "" } }), { ...config(), basePath: "/api/auth" });
        return response.ok ? response.json() : null;
      },
    }),
  };
});

const BACKGROUND_ACTION_ID = "40c0ffee0000000000000000000000000000000000";
const MINUTE = 60_000;

beforeAll(() => {
  // What Next.js's compiler does to every export of a "use server" module: give it its action id.
  Object.defineProperty(refreshInBackground, "$$id", { value: BACKGROUND_ACTION_ID });
});

/** A session signed in 20 minutes ago whose last activity was `idleMinutes` ago. */
async function session(idleMinutes: number) {
  const user = await makeUser();
  const token = randomBytes(32).toString("hex");
  const expires = new Date(Date.now() + 11 * 3_600_000);
  const lastSeenAt = new Date(Date.now() - idleMinutes * MINUTE);
  await getDb()
    .insert(sessions)
    .values({ sessionToken: token, userId: user.id, expires, createdAt: new Date(Date.now() - 20 * MINUTE), lastSeenAt });
  return { user, token, expires, lastSeenAt };
}

async function row(token: string) {
  const [found] = await getDb().select().from(sessions).where(eq(sessions.sessionToken, token));
  return found ?? null;
}

/** auth() for a request carrying the session cookie and, for a server action, its id. */
function authAs(token: string, actionId?: string) {
  request.headers = new Headers({ host: "localhost:3000", "x-forwarded-proto": "http", cookie: `authjs.session-token=${token}`, ...(actionId ? { "next-action": actionId } : {}) });
  return auth();
}

describe("idle session limit and automatic refreshes", () => {
  it("a background refresh reads the session without extending it", async () => {
    const { user, token, expires, lastSeenAt } = await session(5);
    const seen = await authAs(token, BACKGROUND_ACTION_ID);
    expect(seen?.user?.id).toBe(user.id);
    const after = await row(token);
    expect(after?.lastSeenAt.getTime()).toBe(lastSeenAt.getTime());
    expect(after?.expires.getTime()).toBe(expires.getTime());
  });

  it("a page request extends it (last activity now), and never the absolute expiry", async () => {
    const { user, token, expires } = await session(5);
    const before = Date.now();
    const seen = await authAs(token);
    expect(seen?.user?.id).toBe(user.id);
    const after = await row(token);
    expect(after!.lastSeenAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(after!.expires.getTime()).toBe(expires.getTime());
  });

  it("any other server action (a person submitting a form) extends it", async () => {
    const { token, lastSeenAt } = await session(5);
    await authAs(token, "40aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    expect((await row(token))!.lastSeenAt.getTime()).toBeGreaterThan(lastSeenAt.getTime());
  });

  it("refreshing every few seconds for half an hour does not keep the session alive", async () => {
    const { token } = await session(29);
    expect((await authAs(token, BACKGROUND_ACTION_ID))?.user).toBeDefined();
    await getDb()
      .update(sessions)
      .set({ lastSeenAt: new Date(Date.now() - 31 * MINUTE) })
      .where(eq(sessions.sessionToken, token));
    expect(await authAs(token, BACKGROUND_ACTION_ID)).toBeNull();
    expect(await row(token)).toBeNull();
  });

  it("exposes who is signed in and since when, but not the session token", async () => {
    const { user, token } = await session(0);
    const seen = (await authAs(token)) as unknown as Record<string, unknown> & { user: Record<string, unknown> };
    expect(JSON.stringify(seen)).not.toContain(token);
    expect(seen.user).toMatchObject({ id: user.id, email: user.email, role: "investor" });
    expect(Date.now() - new Date(seen.user.signedInAt as string).getTime()).toBeGreaterThanOrEqual(20 * MINUTE - 1000);
  });

  it("the refresh action re-renders the page and does nothing else", async () => {
    await refreshInBackground();
    expect(refreshed).toHaveBeenCalledTimes(1);
  });
});

import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { msg } from "@/lib/i18n/keys";
import type { Locale } from "@/lib/i18n/catalog";
import type { SessionUser } from "@/lib/auth/roles";
import { createAction, formDataToObject, type ActionDeps } from "./core";

const investor: SessionUser = { id: "u1", email: "a@example.jp", name: null, role: "investor" };
const staff: SessionUser = { id: "u2", email: "s@example.jp", name: null, role: "staff" };
const admin: SessionUser = { id: "u3", email: "x@example.jp", name: null, role: "admin" };

class RedirectSignal extends Error {}

function deps(user: SessionUser | null, locale: Locale = "ja"): ActionDeps & { logged: unknown[]; hits: Map<string, number> } {
  const logged: unknown[] = [];
  const hits = new Map<string, number>();
  return {
    logged,
    hits,
    // A limiter in memory: the wait it reports is the bucket's whole window.
    hitRateLimit: async ({ key, limit, windowSeconds }) => {
      hits.set(key, (hits.get(key) ?? 0) + 1);
      return { allowed: hits.get(key)! <= limit, retryAfterSeconds: windowSeconds };
    },
    getUser: async () => user,
    getLocale: async () => locale,
    rethrow: (error) => {
      if (error instanceof RedirectSignal) throw error;
    },
    logError: (error) => logged.push(error),
  };
}

const schema = z.object({
  title: z
    .string()
    .trim()
    .min(1, { error: msg("errors.required") })
    .max(10, { error: msg("errors.tooLong") }),
});
const form = (entries: Record<string, string>) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(entries)) data.append(key, value);
  return data;
};

describe("the action wrapper", () => {
  it("refuses an anonymous caller of a signed-in action before touching input", async () => {
    const handler = vi.fn();
    const action = createAction(deps(null), { kind: "signed-in" }, schema, handler);
    const state = await action({ status: "idle" }, form({ title: "ok" }));
    expect(state).toEqual({ status: "error", message: "この操作にはログインが必要です。" });
    expect(handler).not.toHaveBeenCalled();
  });

  it("refuses an investor calling a staff action, and lets staff and admin through", async () => {
    const handler = vi.fn(async () => ({ status: "ok" as const }));
    const refused = await createAction(deps(investor, "en"), { kind: "role", role: "staff" }, schema, handler)({ status: "idle" }, form({ title: "x" }));
    expect(refused).toEqual({ status: "error", message: "You are not allowed to do this." });
    expect(handler).not.toHaveBeenCalled();
    for (const user of [staff, admin]) {
      const state = await createAction(deps(user), { kind: "role", role: "staff" }, schema, handler)({ status: "idle" }, form({ title: "x" }));
      expect(state.status).toBe("ok");
    }
    expect(handler).toHaveBeenCalledTimes(2);
  });

  it("answers bad input with field messages in the reader's language and does not run the handler", async () => {
    const handler = vi.fn();
    const ja = await createAction(deps(investor, "ja"), { kind: "signed-in" }, schema, handler)({ status: "idle" }, form({ title: "   " }));
    expect(ja.status).toBe("invalid");
    expect(ja.fieldErrors).toEqual({ title: "入力してください。" });
    const en = await createAction(deps(investor, "en"), { kind: "signed-in" }, schema, handler)({ status: "idle" }, form({ title: "x".repeat(11) }));
    expect(en.fieldErrors).toEqual({ title: "Use at most 10 characters." });
    expect(handler).not.toHaveBeenCalled();
  });

  it("answers arguments that are no form (a hand-made request) as invalid input, without running the handler or logging a crash", async () => {
    const handler = vi.fn();
    const d = deps(investor, "en");
    const action = createAction(d, { kind: "public" }, schema, handler) as (state: unknown, data: unknown) => Promise<{ status: string }>;
    for (const data of [undefined, null, "title=x", 1, [], { title: "x" }, new URLSearchParams({ title: "x" })]) {
      expect(await action({ status: "idle" }, data)).toMatchObject({ status: "invalid" });
    }
    expect(handler).not.toHaveBeenCalled();
    expect(d.logged).toEqual([]);
  });

  it("passes the parsed input and the caller to the handler", async () => {
    const handler = vi.fn(async (input: { title: string }, ctx: { user: SessionUser | null }) => ({
      status: "ok" as const,
      data: `${input.title}:${ctx.user?.id}`,
    }));
    const state = await createAction(deps(investor), { kind: "public" }, schema, handler)({ status: "idle" }, form({ title: "  hi " }));
    expect(state).toEqual({ status: "ok", data: "hi:u1" });
  });

  it("lets framework redirects through and hides unexpected errors behind a message", async () => {
    const redirecting = createAction(deps(investor), { kind: "public" }, schema, async () => {
      throw new RedirectSignal("to /elsewhere");
    });
    await expect(redirecting({ status: "idle" }, form({ title: "x" }))).rejects.toBeInstanceOf(RedirectSignal);

    const d = deps(investor, "en");
    const failing = createAction(d, { kind: "public" }, schema, async () => {
      throw new Error("connection refused to 10.0.0.5");
    });
    const state = await failing({ status: "idle" }, form({ title: "x" }));
    expect(state).toEqual({ status: "error", message: "Something went wrong on our side. Please try again in a moment." });
    expect(d.logged).toHaveLength(1);
  });

  it("counts a valid request against every bucket, and over any limit answers with the longest wait", async () => {
    const d = deps(null);
    const handler = vi.fn(async () => ({ status: "ok" as const }));
    const action = createAction(d, { kind: "public" }, schema, handler, {
      rateLimit: ({ title }) => [
        { key: `title:${title}`, limit: 2, windowSeconds: 60 },
        { key: "everyone", limit: 10, windowSeconds: 150 },
      ],
      rateLimitMessage: "auth.rateLimited",
    });
    expect((await action({ status: "idle" }, form({ title: "  " }))).status).toBe("invalid");
    expect(d.hits.size).toBe(0);
    expect(await action({ status: "idle" }, form({ title: "a" }))).toEqual({ status: "ok" });
    expect(await action({ status: "idle" }, form({ title: "a" }))).toEqual({ status: "ok" });
    expect(await action({ status: "idle" }, form({ title: "a" }))).toEqual({ status: "error", message: "ログインメールの送信回数が上限に達しました。3分ほど待ってからもう一度お試しください。" });
    expect(handler).toHaveBeenCalledTimes(2);
    expect(Object.fromEntries(d.hits)).toEqual({ "title:a": 3, everyone: 3 });
    expect(await action({ status: "idle" }, form({ title: "b" }))).toEqual({ status: "ok" });
  });

  it("runs the guard before the rate limit, so a refused request is not counted", async () => {
    const d = deps(investor, "en");
    const handler = vi.fn(async () => ({ status: "ok" as const }));
    const action = createAction(d, { kind: "signed-in" }, schema, handler, {
      guard: ({ title }) => (title === "no" ? { status: "error", message: "refused" } : undefined),
      rateLimit: (_input, { user }) => [{ key: `user:${user?.id}`, limit: 1, windowSeconds: 60 }],
    });
    expect(await action({ status: "idle" }, form({ title: "no" }))).toEqual({ status: "error", message: "refused" });
    expect(d.hits.size).toBe(0);
    expect(await action({ status: "idle" }, form({ title: "yes" }))).toEqual({ status: "ok" });
    expect(await action({ status: "idle" }, form({ title: "yes" }))).toEqual({ status: "error", message: "Too many attempts in a short time. Please wait about 1 minutes and try again." });
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it("reads repeated form fields as arrays and ignores React's action ids", () => {
    const data = new FormData();
    data.append("tag", "a");
    data.append("tag", "b");
    data.append("$ACTION_ID_123", "");
    data.append("name", "x");
    expect(formDataToObject(data)).toEqual({ tag: ["a", "b"], name: "x" });
  });
});

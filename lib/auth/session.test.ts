import { beforeEach, describe, expect, it, vi } from "vitest";

const jar = vi.hoisted(() => ({ cookies: [] as { name: string; value: string }[] }));
const auth = vi.hoisted(() => vi.fn(async () => ({ user: { id: "u1", email: "a@example.jp", role: "staff" } })));
vi.mock("next/headers", () => ({ cookies: async () => ({ getAll: () => jar.cookies }) }));
vi.mock("@/lib/auth/index", () => ({ auth }));
const { getCurrentUser } = await import("./session");

beforeEach(() => {
  auth.mockClear();
});

describe("getCurrentUser", () => {
  it("answers an anonymous visitor without asking Auth.js (nor its sessions table)", async () => {
    jar.cookies = [
      { name: "locale", value: "en" },
      { name: "authjs.csrf-token", value: "x" },
      { name: "authjs.callback-url", value: "/" },
    ];
    expect(await getCurrentUser()).toBeNull();
    expect(auth).not.toHaveBeenCalled();
  });

  it("looks the session up when the visitor carries a session cookie, under either name", async () => {
    for (const name of ["authjs.session-token", "__Secure-authjs.session-token", "authjs.session-token.0"]) {
      jar.cookies = [{ name, value: "token" }];
      expect(await getCurrentUser()).toMatchObject({ id: "u1", role: "staff" });
    }
    expect(auth).toHaveBeenCalledTimes(3);
  });
});

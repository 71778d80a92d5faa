import { describe, expect, it } from "vitest";
import { hasRole } from "./roles";
import { localeSchema, signInSchema } from "./schemas";

describe("sign-in input", () => {
  it("normalises the email address", () => {
    const parsed = signInSchema.parse({ email: "  Taro.Yamada@Example.JP " });
    expect(parsed.email).toBe("taro.yamada@example.jp");
    expect(parsed.callbackUrl).toBe("/dashboard");
  });

  it.each([
    ["", "errors.required"],
    ["not-an-email", "errors.email"],
    ["<script>alert(1)</script>@x.jp", "errors.email"],
    ["a'; DROP TABLE users;--@example.jp", "errors.email"],
    [`${"a".repeat(250)}@example.jp`, "errors.tooLong"],
  ])("refuses %j with %s", (email, message) => {
    const result = signInSchema.safeParse({ email });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(message);
  });

  it.each(["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"])("never returns to another site: %s", (callbackUrl) => {
    expect(signInSchema.parse({ email: "a@example.jp", callbackUrl }).callbackUrl).toBe("/dashboard");
  });

  it("keeps a same-site return path", () => {
    expect(signInSchema.parse({ email: "a@example.jp", callbackUrl: "/staff?tab=1" }).callbackUrl).toBe("/staff?tab=1");
    expect(localeSchema.parse({ locale: "en", returnTo: "/projects" })).toEqual({ locale: "en", returnTo: "/projects" });
    expect(localeSchema.safeParse({ locale: "fr" }).success).toBe(false);
  });
});

describe("roles", () => {
  it("rank admin over staff over investor", () => {
    expect(hasRole("admin", "staff")).toBe(true);
    expect(hasRole("staff", "staff")).toBe(true);
    expect(hasRole("investor", "staff")).toBe(false);
    expect(hasRole("staff", "admin")).toBe(false);
    expect(hasRole("investor", "investor")).toBe(true);
  });
});

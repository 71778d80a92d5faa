import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { signInSchema } from "@/lib/auth/schemas";
import { offeringSchema } from "@/lib/offerings/schemas";
import { acceptanceSchema, profileSchema, suitabilitySchema, tokenSchema } from "@/lib/onboarding/schemas";
import { exceptionDismissSchema, purchaseSchema } from "@/lib/orders/schemas";
import { projectSchema, spendingSchema } from "@/lib/projects/schemas";
import { registerQuerySchema } from "@/lib/register/params";
import { lookup, messagesFor } from "./catalog";
import { msg } from "./keys";

const ROOT = join(import.meta.dirname, "../..");

/** Source files (not tests) under lib/, app/ and components/. */
function sources(): { path: string; text: string }[] {
  return ["lib", "app", "components"].flatMap((dir) =>
    (readdirSync(join(ROOT, dir), { recursive: true }) as string[])
      .filter((path) => /\.tsx?$/.test(path) && !/\.test\.tsx?$/.test(path))
      .map((path) => ({ path: `${dir}/${path}`, text: readFileSync(join(ROOT, dir, path), "utf8") })),
  );
}

const isMessage = (key: string) => typeof lookup(messagesFor("ja"), key) === "string" && typeof lookup(messagesFor("en"), key) === "string";

describe("message keys in zod schemas", () => {
  const files = sources();

  it("name a message in both catalogs for every msg() in the code", () => {
    const used = files.flatMap(({ path, text }) => [...text.matchAll(/\bmsg\("([^"]+)"\)/g)].map((match) => `${path}: ${match[1]}`));
    expect(used.length).toBeGreaterThan(50);
    expect(used.filter((entry) => !isMessage(entry.split(": ")[1]!))).toEqual([]);
    // @ts-expect-error a mistyped key does not compile
    expect(msg("buy.errors.unitz")).toBe("buy.errors.unitz");
  });

  it("are never written as bare strings, which tsc cannot check", () => {
    const bare = files
      .filter(({ text }) => /from "zod"/.test(text))
      .flatMap(({ path, text }) => [...text.matchAll(/\b(?:error|message): "([a-zA-Z]+(?:\.\w+)+)"/g)].map((match) => `${path}: ${match[1]}`));
    expect(bare).toEqual([]);
  });

  it("reach the reader as catalog messages when a form is sent empty or wrong", () => {
    const schemas: [string, z.ZodType, unknown][] = [
      ["signIn", signInSchema, { email: "not an email" }],
      ["offering", offeringSchema, { slug: "Bad Slug", tokenSymbol: "x", priceYen: "-1", opensAt: "tomorrow" }],
      ["profile", profileSchema("2026-01-01"), { familyNameKana: "abc", birthDate: "2020-01-01", postalCode: "12", phone: "1", countryOfResidence: "US" }],
      ["suitability", suitabilitySchema, {}],
      ["acceptance", acceptanceSchema, {}],
      ["token", tokenSchema, { token: "short" }],
      ["purchase", purchaseSchema, { units: "1.5" }],
      ["exceptionDismiss", exceptionDismissSchema, { note: "x" }],
      ["project", projectSchema, { slug: "Bad Slug", budgetYen: "a lot", status: "someday" }],
      ["spending", spendingSchema("2026-01-01"), { spentOn: "2030-01-01", amountYen: "0" }],
      ["registerQuery", registerQuerySchema, { at: "not a date" }],
    ];
    for (const [name, schema, input] of schemas) {
      const issues = schema.safeParse(input).error?.issues ?? [];
      expect(issues.length, name).toBeGreaterThan(0);
      for (const issue of issues) expect(isMessage(issue.message), `${name}: ${issue.path.join(".")} ${issue.message}`).toBe(true);
    }
  });
});

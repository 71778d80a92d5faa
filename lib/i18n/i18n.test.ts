import { describe, expect, it } from "vitest";
import { en } from "./messages/en";
import { ja } from "./messages/ja";
import { translator } from "./catalog";
import { formatDate, formatDateTime, formatYen, percentOf } from "./format";

function keys(node: unknown, prefix = ""): string[] {
  if (typeof node === "string") return [prefix];
  return Object.entries(node as Record<string, unknown>).flatMap(([key, value]) => keys(value, prefix ? `${prefix}.${key}` : key));
}

describe("catalogs", () => {
  it("have the same keys in Japanese and English, none empty", () => {
    expect(keys(en).sort()).toEqual(keys(ja).sort());
    for (const key of keys(ja)) {
      expect(translator("ja")(key as never).length, key).toBeGreaterThan(0);
      expect(translator("en")(key as never).length, key).toBeGreaterThan(0);
    }
  });

  it("keep the same placeholders in both languages", () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of keys(ja)) {
      expect(placeholders(translator("en")(key as never)), key).toEqual(placeholders(translator("ja")(key as never)));
    }
  });

  it("fill placeholders and fall back to the key when a message is missing", () => {
    expect(translator("ja")("offering.units", { count: 3 })).toBe("3口");
    expect(translator("en")("offering.units", { count: 3 })).toBe("3 units");
    expect(translator("en")("no.such.key" as never)).toBe("no.such.key");
  });
});

describe("formatting", () => {
  it("formats integer yen with a half-width yen sign and thousands separators", () => {
    expect(formatYen(1000)).toBe("¥1,000");
    expect(formatYen(0)).toBe("¥0");
    expect(formatYen(1_234_567)).toBe("¥1,234,567");
    expect(formatYen(-500)).toBe("-¥500");
  });

  it("refuses fractional yen: JPY has no minor unit", () => {
    expect(() => formatYen(10.5)).toThrow(/integer/);
  });

  it("shows dates in Asia/Tokyo, not in the server's zone", () => {
    // 15:30 UTC on 21 Nov is 00:30 on 22 Nov in Tokyo.
    const instant = new Date("2026-11-21T15:30:00Z");
    expect(formatDate(instant, "ja")).toBe("2026年11月22日");
    expect(formatDate(instant, "en")).toBe("22 Nov 2026");
    expect(formatDateTime(instant, "ja")).toContain("0:30");
    expect(formatDateTime(instant, "en")).toMatch(/00:30 GMT\+9/);
  });

  it("never rounds progress up to 100%", () => {
    expect(percentOf(9_999, 10_000)).toBe(99);
    expect(percentOf(10_000, 10_000)).toBe(100);
    expect(percentOf(5, 0)).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import { AREAS, en, ja } from "./messages";
import { lookup, translator, type Messages } from "./catalog";
import { formatDate, formatDateTime, formatYen, percentOf } from "./format";
import { localized } from "./localized";
import { isPlural } from "./shape";

/** Every message key; a plural message is one key (its forms are not keys). */
function keys(node: unknown, prefix = ""): string[] {
  if (typeof node === "string" || isPlural(node)) return [prefix];
  return Object.entries(node as Record<string, unknown>).flatMap(([key, value]) => keys(value, prefix ? `${prefix}.${key}` : key));
}

/** Each text of a message: the message itself, or every form of a plural. */
function forms(messages: Messages, key: string): string[] {
  const message = lookup(messages, key);
  if (message === undefined) return [];
  return typeof message === "string" ? [message] : Object.values(message);
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
      for (const text of [...forms(ja, key), ...forms(en, key)]) expect(placeholders(text), key).toEqual(placeholders(translator("ja")(key as never)));
    }
  });

  it("are assembled from every area, each area's namespaces its own, in both languages", () => {
    const seen = new Map<string, string>();
    for (const [area, { ja: areaJa, en: areaEn }] of Object.entries(AREAS)) {
      expect(Object.keys(areaEn).sort(), area).toEqual(Object.keys(areaJa).sort());
      for (const namespace of Object.keys(areaJa)) {
        expect(seen.get(namespace), `${namespace} in ${area}`).toBeUndefined();
        seen.set(namespace, area);
        expect(ja[namespace as keyof typeof ja]).toBe(areaJa[namespace as keyof typeof areaJa]);
        expect(en[namespace as keyof typeof en]).toBe(areaEn[namespace as keyof typeof areaEn]);
      }
    }
    expect([...seen.keys()].sort()).toEqual(Object.keys(ja).sort());
  });

  it("give every plural message each form English needs, and none empty", () => {
    const plurals = keys(ja).filter((key) => isPlural(lookup(ja, key)));
    expect(plurals).toEqual(expect.arrayContaining(["offering.units", "orders.units", "chain.holdings.units", "projectsAdmin.updates.publishedNotified"]));
    for (const key of plurals) {
      expect(isPlural(lookup(en, key)), key).toBe(true);
      expect(Object.keys(lookup(en, key) as object).sort(), key).toEqual(["one", "other"]);
      for (const text of [...forms(ja, key), ...forms(en, key)]) expect(text.length, key).toBeGreaterThan(0);
    }
  });

  it("fill placeholders and fall back to the key when a message is missing", () => {
    expect(translator("ja")("offering.units", { count: 3 })).toBe("3口");
    expect(translator("en")("offering.units", { count: 3 })).toBe("3 units");
    expect(translator("en")("no.such.key" as never)).toBe("no.such.key");
  });

  it("choose the English plural form by count; Japanese has one form", () => {
    expect(translator("en")("orders.units", { count: 1 })).toBe("1 unit");
    expect(translator("en")("orders.units", { count: 2 })).toBe("2 units");
    expect(translator("en")("orders.units", { count: 0 })).toBe("0 units");
    expect(translator("ja")("orders.units", { count: 1 })).toBe("1口");
    expect(translator("ja")("orders.units", { count: 2 })).toBe("2口");
    // Pages pass counts already formatted for the locale.
    expect(translator("en")("chain.holdings.units", { count: "1" })).toBe("1 unit");
    expect(translator("en")("chain.holdings.units", { count: "1,001" })).toBe("1,001 units");
    expect(translator("en")("projectsAdmin.updates.publishedNotified", { count: 1 })).toBe("Published. 1 holder was notified.");
    expect(translator("en")("projectsAdmin.updates.publishedNotified", { count: 2 })).toBe("Published. 2 holders were notified.");
    expect(translator("ja")("projectsAdmin.updates.publishedNotified", { count: 1 })).toBe("公開しました。1人の保有者にお知らせしました。");
  });

  it("do not treat a plural's forms, or a namespace that has an `other` key, as anything else", () => {
    expect(translator("en")("orders.units.one" as never)).toBe("orders.units.one");
    expect(translator("en")("onboarding.profile.countries.other")).toBe("Other");
    expect(isPlural(lookup(ja, "onboarding.profile.countries"))).toBe(false);
  });
});

describe("localized", () => {
  const offering = { nameJa: "西森の森", nameEn: "Nishimori Forest", descriptionJa: null, descriptionEn: "A forest" };

  it("picks the field of the reader's language", () => {
    expect(localized(offering, "name", "ja")).toBe("西森の森");
    expect(localized(offering, "name", "en")).toBe("Nishimori Forest");
    expect(localized(offering, "description", "ja")).toBeNull();
    // @ts-expect-error only stems with both a Ja and an En field are allowed
    expect(localized({ nameJa: "村", tokenSymbol: "NSM" }, "name", "en")).toBeUndefined();
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

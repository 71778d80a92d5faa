import { describe, expect, it } from "vitest";
import { tokyoDate, tokyoDateTime, tokyoDateTimeInput, tokyoDayStart } from "./dates";
import { fundedShare, fundingTimeline } from "./funding";
import { spendingSchema, updateSchema } from "./schemas";

describe("Tokyo dates", () => {
  it("reads dates and datetime-local values as Japan time and refuses impossible ones", () => {
    expect(tokyoDayStart("2026-11-22")?.toISOString()).toBe("2026-11-21T15:00:00.000Z");
    expect(tokyoDayStart("2026-02-30")).toBeNull();
    expect(tokyoDayStart("22/11/2026")).toBeNull();
    expect(tokyoDateTime("2026-11-22T09:30")?.toISOString()).toBe("2026-11-22T00:30:00.000Z");
    expect(tokyoDate(new Date("2026-11-21T15:00:00Z"))).toBe("2026-11-22");
    expect(tokyoDateTimeInput(new Date("2026-11-21T15:05:00Z"))).toBe("2026-11-22T00:05");
  });
});

describe("funding", () => {
  it("shares yen received among projects by budget, never past a project's budget", () => {
    expect(fundedShare(1_000_000, 3_000_000, 10_000_000)).toBe(300_000);
    expect(fundedShare(50_000_000, 3_000_000, 10_000_000)).toBe(3_000_000);
    expect(fundedShare(1_000_000, 0, 10_000_000)).toBe(0);
    expect(fundedShare(1_000_000, 1, 0)).toBe(0);
    expect(fundedShare(2_000_000_000, 2_000_000_000, 2_000_000_001)).toBe(1_999_999_999);
  });

  it("builds step series of funded and spent over time", () => {
    const points = fundingTimeline({
      budgetYen: 100,
      totalBudgetYen: 200,
      raised: [
        { at: new Date("2026-11-02"), totalYen: 50 },
        { at: new Date("2026-11-04"), totalYen: 120 },
      ],
      spending: [{ spentOn: new Date("2026-11-03"), amountYen: 10 }],
      start: new Date("2026-11-01"),
      end: new Date("2026-11-10"),
    });
    expect(points.map((point) => [point.at.toISOString().slice(0, 10), point.fundedYen, point.spentYen])).toEqual([
      ["2026-11-01", 0, 0],
      ["2026-11-02", 25, 0],
      ["2026-11-03", 25, 10],
      ["2026-11-04", 60, 10],
      ["2026-11-10", 60, 10],
    ]);
  });
});

describe("form schemas", () => {
  it("reads progress figures, ignoring empty ones", () => {
    const parsed = updateSchema.parse({
      projectId: "0b0e7c56-3f6f-4a59-9d3b-0b9a1c2d3e4f",
      titleJa: "a",
      titleEn: "a",
      bodyJa: "b",
      bodyEn: "b",
      figure_hectares_thinned: "１８.５",
      figure_path_metres: "",
      figure_trees_planted: "1,200",
    });
    expect(parsed.figures).toEqual([
      { kind: "hectares_thinned", value: 18.5 },
      { kind: "trees_planted", value: 1200 },
    ]);
    expect(updateSchema.safeParse({ projectId: "0b0e7c56-3f6f-4a59-9d3b-0b9a1c2d3e4f", titleJa: "a", titleEn: "a", bodyJa: "b", bodyEn: "b", figure_path_metres: "-3" }).success).toBe(false);
  });

  it("keeps Markdown bodies as written (the renderer makes them safe) but refuses control characters", () => {
    const base = { projectId: "0b0e7c56-3f6f-4a59-9d3b-0b9a1c2d3e4f", titleJa: "a", titleEn: "a", bodyEn: "b" };
    expect(updateSchema.parse({ ...base, bodyJa: "<script>alert(1)</script>\r\n**x**" }).bodyJa).toBe("<script>alert(1)</script>\n**x**");
    expect(updateSchema.safeParse({ ...base, bodyJa: "a\u0000b" }).success).toBe(false);
    expect(updateSchema.safeParse({ ...base, bodyJa: "x".repeat(20_001) }).success).toBe(false);
  });

  it("takes a spending date as a Tokyo calendar day up to today", () => {
    const schema = spendingSchema("2026-11-22");
    const base = { projectId: "0b0e7c56-3f6f-4a59-9d3b-0b9a1c2d3e4f", amountYen: "¥12,000", descriptionJa: "a", descriptionEn: "a" };
    expect(schema.parse({ ...base, spentOn: "2026-11-22" })).toMatchObject({ spentOn: new Date("2026-11-21T15:00:00Z"), amountYen: 12_000 });
    expect(schema.safeParse({ ...base, spentOn: "2026-11-23" }).success).toBe(false);
  });

  it("treats a file input with nothing chosen as no file, whatever name the browser gives it", () => {
    const base = { projectId: "0b0e7c56-3f6f-4a59-9d3b-0b9a1c2d3e4f", spentOn: "2026-11-01", amountYen: "1", descriptionJa: "a", descriptionEn: "a" };
    for (const empty of [new File([], ""), new File([], "blob", { type: "application/octet-stream" }), ""]) {
      expect(spendingSchema("2026-11-22").parse({ ...base, receipt: empty }).receipt).toBeUndefined();
    }
    const update = { projectId: base.projectId, titleJa: "a", titleEn: "a", bodyJa: "b", bodyEn: "b" };
    expect(updateSchema.parse({ ...update, images: new File([], "blob") }).images).toEqual([]);
  });
});

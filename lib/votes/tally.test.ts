import { describe, expect, it } from "vitest";
import { decide, share, tallyOptions } from "./tally";

describe("vote tallies", () => {
  const rows = tallyOptions(
    ["a", "b", "c"],
    [
      { optionId: "a", votes: 3, weight: 4 },
      { optionId: "c", votes: 1, weight: 9 },
    ],
  );

  it("lists every option, those nobody chose at zero", () => {
    expect(rows).toEqual([
      { optionId: "a", votes: 3, weight: 4 },
      { optionId: "b", votes: 0, weight: 0 },
      { optionId: "c", votes: 1, weight: 9 },
    ]);
  });

  it("decides by count or by weight", () => {
    expect(decide(rows, "per_holder")).toEqual({ kind: "winner", optionIds: ["a"] });
    expect(decide(rows, "by_units")).toEqual({ kind: "winner", optionIds: ["c"] });
  });

  it("reports equal leaders as a tie and no ballots as no outcome", () => {
    const tied = tallyOptions(
      ["a", "b", "c"],
      [
        { optionId: "a", votes: 2, weight: 5 },
        { optionId: "b", votes: 2, weight: 1 },
        { optionId: "c", votes: 1, weight: 5 },
      ],
    );
    expect(decide(tied, "per_holder")).toEqual({ kind: "tie", optionIds: ["a", "b"] });
    expect(decide(tied, "by_units")).toEqual({ kind: "tie", optionIds: ["a", "c"] });
    expect(decide(tallyOptions(["a", "b"], []), "per_holder")).toEqual({ kind: "none", optionIds: [] });
  });

  it("floors shares to one decimal", () => {
    expect(share(2, 3)).toBe(66.6);
    expect(share(9999, 10000)).toBe(99.9);
    expect(share(1, 0)).toBe(0);
  });
});

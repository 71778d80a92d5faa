import { describe, expect, it } from "vitest";
import { normaliseMunicipality, sameMunicipality } from "./municipality";
import { residentPhase, trancheFigures, unitsLeftFor } from "./tranche";

describe("the municipality of an address", () => {
  it("matches whole names after NFKC and without spaces, never a part of one", () => {
    expect(normaliseMunicipality(" 英田郡　西森村 ")).toBe("英田郡西森村");
    expect(sameMunicipality({ prefecture: "33", city: "英田郡 西森村" }, { prefecture: "33", city: "英田郡西森村" })).toBe(true);
    expect(sameMunicipality({ prefecture: "３３", city: "西森村" }, { prefecture: "33", city: "西森村" })).toBe(true);
    expect(sameMunicipality({ prefecture: "33", city: "西森村" }, { prefecture: "33", city: "英田郡西森村" })).toBe(false);
    expect(sameMunicipality({ prefecture: "33", city: "英田郡西森村字影石" }, { prefecture: "33", city: "英田郡西森村" })).toBe(false);
    expect(sameMunicipality({ prefecture: "34", city: "西森村" }, { prefecture: "33", city: "西森村" })).toBe(false);
    expect(sameMunicipality({ prefecture: "", city: "" }, { prefecture: "", city: "" })).toBe(false);
    expect(sameMunicipality({ prefecture: "33", city: null }, { prefecture: "33", city: null })).toBe(false);
  });
});

describe("the residents' tranche as arithmetic", () => {
  const until = new Date("2027-01-18T00:00:00Z");
  const before = new Date("2027-01-17T00:00:00Z");
  const offering = { capUnits: 100, reservedUnits: 30, soldUnits: 20, residentUnits: 40, residentTakenUnits: 25, residentsUntil: until };

  it("knows its phase", () => {
    expect(residentPhase(offering, before)).toBe("tranche");
    expect(residentPhase(offering, until)).toBe("ended");
    expect(residentPhase({ ...offering, residentUnits: 0 }, before)).toBe("window");
    expect(residentPhase({ ...offering, residentsUntil: null }, before)).toBe("none");
  });

  it("counts the tranche's and the general part's units left, and each buyer's", () => {
    // General part: 60, of which 50 − 25 = 25 taken.
    expect(trancheFigures(offering)).toEqual({ trancheLeft: 15, generalLeft: 35, totalLeft: 50 });
    expect(unitsLeftFor(offering, true, before)).toBe(50);
    expect(unitsLeftFor(offering, false, before)).toBe(35);
    expect(unitsLeftFor(offering, false, until)).toBe(50);
    expect(unitsLeftFor({ ...offering, residentUnits: 0, residentTakenUnits: 0 }, false, before)).toBe(0);
  });
});

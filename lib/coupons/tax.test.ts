import { describe, expect, it } from "vitest";
import { withholding } from "./tax";

describe("withholding on a specified public bond's interest", () => {
  it("floors each tax on the gross, on awkward amounts", () => {
    // Worked by hand: national = floor(gross × 15315 / 100000), local = floor(gross × 5 / 100).
    const cases: [number, number, number, number][] = [
      [0, 0, 0, 0],
      [1, 0, 0, 1],
      [6, 0, 0, 6],
      [19, 2, 0, 17],
      [45, 6, 2, 37],
      [99, 15, 4, 80],
      [100, 15, 5, 80],
      [12_345, 1_890, 617, 9_838],
      [999_999, 153_149, 49_999, 796_851],
    ];
    for (const [gross, national, local, net] of cases) {
      expect(withholding(gross), `gross ${gross}`).toEqual({ grossYen: gross, nationalTaxYen: national, localTaxYen: local, netYen: net });
    }
  });

  it("reconciles exactly for every gross from 0 to 10,000 and never rounds a tax up", () => {
    for (let gross = 0; gross <= 10_000; gross += 1) {
      const split = withholding(gross);
      expect(split.netYen + split.nationalTaxYen + split.localTaxYen).toBe(gross);
      expect(split.nationalTaxYen * 100_000).toBeLessThanOrEqual(gross * 15_315);
      expect((split.nationalTaxYen + 1) * 100_000).toBeGreaterThan(gross * 15_315);
      expect(split.localTaxYen * 100).toBeLessThanOrEqual(gross * 5);
      expect((split.localTaxYen + 1) * 100).toBeGreaterThan(gross * 5);
    }
  });

  it("stays exact where floating point would not (a gross beyond 2^53 / 15315)", () => {
    const gross = 9_007_199_254_740; // gross × 15315 exceeds Number.MAX_SAFE_INTEGER
    const split = withholding(gross);
    expect(BigInt(split.nationalTaxYen)).toBe((BigInt(gross) * 15_315n) / 100_000n);
    expect(split.netYen + split.nationalTaxYen + split.localTaxYen).toBe(gross);
  });

  it("refuses fractions and negative amounts", () => {
    expect(() => withholding(-1)).toThrow();
    expect(() => withholding(1.5)).toThrow();
  });
});

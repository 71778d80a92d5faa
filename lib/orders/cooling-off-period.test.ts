import { describe, expect, it } from "vitest";
import { coolingOffEndsAt, coolingOffLastDay } from "./cooling-off-period";

describe("coolingOffEndsAt", () => {
  it("counts the application day as day 1, in Tokyo", () => {
    // 1 December 23:30 in Tokyo (14:30 UTC): day 8 is 8 December, so the right ends as 9 December begins.
    const end = coolingOffEndsAt(new Date("2026-12-01T14:30:00Z"), 8)!;
    expect(end.toISOString()).toBe("2026-12-08T15:00:00.000Z");
    expect(coolingOffLastDay(end)).toBe("2026-12-08");
  });

  it("uses the Tokyo date even when UTC is still on the day before", () => {
    // 2 December 00:10 in Tokyo is 1 December 15:10 UTC.
    expect(coolingOffEndsAt(new Date("2026-12-01T15:10:00Z"), 8)!.toISOString()).toBe("2026-12-09T15:00:00.000Z");
  });

  it("is off for 0 days", () => {
    expect(coolingOffEndsAt(new Date(), 0)).toBeNull();
  });
});

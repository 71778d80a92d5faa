import { describe, expect, it } from "vitest";
import { businessDaysBefore, isBusinessDay, nextBusinessDay } from "./calendar";
import { bondSchedule, formatExactYen, grossForUnits, scheduleProblem, type ScheduleTerms } from "./schedule";

const terms = (overrides: Partial<ScheduleTerms> = {}): ScheduleTerms => ({
  faceValueYen: 10_000,
  couponRateBp: 45,
  couponsPerYear: 2,
  interestFrom: "2026-11-03",
  firstCouponDate: "2027-05-03",
  maturityDate: "2028-11-03",
  recordDateBusinessDays: 1,
  ...overrides,
});

describe("bank business days", () => {
  it("skips weekends, national holidays with their substitutes, and 12/31–1/3", () => {
    expect(nextBusinessDay("2027-05-03")).toBe("2027-05-06"); // Golden Week: 5/3, 5/4, 5/5
    expect(nextBusinessDay("2027-12-31")).toBe("2028-01-04");
    expect(nextBusinessDay("2026-12-30")).toBe("2026-12-30");
    expect(nextBusinessDay("2027-03-06")).toBe("2027-03-08"); // Saturday
    expect(isBusinessDay("2027-01-04")).toBe(true);
    expect(isBusinessDay("2026-05-06")).toBe(false); // substitute holiday for 5/3 (a Sunday)
  });

  it("counts business days back over holidays", () => {
    expect(businessDaysBefore("2027-05-06", 1)).toBe("2027-04-30"); // 4/29 is Shōwa Day
    expect(businessDaysBefore("2028-01-04", 1)).toBe("2027-12-30");
    expect(businessDaysBefore("2028-01-04", 3)).toBe("2027-12-28");
    expect(businessDaysBefore("2027-05-06", 0)).toBe("2027-05-06");
  });
});

describe("bond schedule", () => {
  it("moves payment dates, not accrual, and pays principal with the last coupon", () => {
    const schedule = bondSchedule(terms());
    expect(schedule.map((p) => [p.nominalDate, p.paymentDate, p.recordDate])).toEqual([
      ["2027-05-03", "2027-05-06", "2027-04-30"],
      ["2027-11-03", "2027-11-04", "2027-11-02"],
      ["2028-05-03", "2028-05-08", "2028-05-02"],
      ["2028-11-03", "2028-11-06", "2028-11-02"],
    ]);
    // Every period is a full half year: 10,000 × 0.45% ÷ 2 = 22.5 yen, whatever the days.
    expect(schedule.map((p) => formatExactYen(p.couponPerUnit))).toEqual(["22.5", "22.5", "22.5", "22.5"]);
    expect(schedule[1]!.accrualFrom).toBe("2027-05-03");
    expect(schedule.map((p) => p.principalPerUnit)).toEqual([0, 0, 0, 10_000]);
  });

  it("pays a year-end coupon after the New Year holidays", () => {
    const schedule = bondSchedule(terms({ interestFrom: "2027-06-30", firstCouponDate: "2027-12-31", maturityDate: "2028-06-30" }));
    expect(schedule[0]).toMatchObject({ nominalDate: "2027-12-31", paymentDate: "2028-01-04", recordDate: "2027-12-30" });
  });

  it("keeps month-end coupons on month ends (8/31 → 2/29 → 8/31)", () => {
    const schedule = bondSchedule(terms({ interestFrom: "2027-02-28", firstCouponDate: "2027-08-31", maturityDate: "2029-02-28" }));
    expect(schedule.map((p) => p.nominalDate)).toEqual(["2027-08-31", "2028-02-29", "2028-08-31", "2029-02-28"]);
    expect(schedule[0]!.period).toBe("regular");
    // 2028-08-31 is a Thursday; 2028-02-29 a Tuesday: no moves.
    expect(schedule[1]!.paymentDate).toBe("2028-02-29");
  });

  it("pays a short first period pro rata by actual days over 365", () => {
    // 2027-01-15 → 2027-05-03 is 108 days: 10,000 × 0.45% × 108 / 365 = 13.315068… yen.
    const [first, second] = bondSchedule(terms({ interestFrom: "2027-01-15" }));
    expect(first!.period).toBe("short");
    expect(first!.accrualDays).toBe(108);
    expect(first!.couponPerUnit).toEqual({ num: 972n, den: 73n });
    expect(formatExactYen(first!.couponPerUnit)).toBe("13.315068… (972/73)");
    expect(grossForUnits(first!, 1)).toBe(13);
    expect(grossForUnits(first!, 100)).toBe(1331);
    expect(second!.period).toBe("regular");
  });

  it("pays a long first period pro rata too", () => {
    // 2026-08-01 → 2027-05-03 is 275 days: 10,000 × 0.45% × 275 / 365 = 33.904109… yen.
    const [first] = bondSchedule(terms({ interestFrom: "2026-08-01" }));
    expect(first!.period).toBe("long");
    expect(first!.accrualDays).toBe(275);
    expect(formatExactYen(first!.couponPerUnit)).toBe("33.904109… (2475/73)");
    expect(grossForUnits(first!, 7)).toBe(237); // 237.328…
  });

  it("floors the exact amount for the holder's total units, never unit by unit", () => {
    // 0.123% quarterly on 10,000: 3.075 yen a unit.
    const [payment] = bondSchedule(terms({ couponRateBp: 12, couponsPerYear: 4, interestFrom: "2027-02-03", maturityDate: "2027-11-03" }));
    expect(formatExactYen(payment!.couponPerUnit)).toBe("3");
    const [awkward] = bondSchedule(terms({ couponRateBp: 123, couponsPerYear: 12, interestFrom: "2027-04-03", maturityDate: "2027-07-03" }));
    expect(formatExactYen(awkward!.couponPerUnit)).toBe("10.25");
    expect(grossForUnits(awkward!, 3)).toBe(30); // 30.75
    expect(grossForUnits(awkward!, 4)).toBe(41);
    expect(grossForUnits(awkward!, 1_000_000)).toBe(10_250_000);
  });

  it("refuses terms with no schedule", () => {
    expect(scheduleProblem(terms({ maturityDate: "2028-11-04" }))).toBe("maturityOffSchedule");
    expect(scheduleProblem(terms({ interestFrom: "2025-11-02" }))).toBe("firstPeriodTooLong");
    expect(scheduleProblem(terms({ maturityDate: "2099-11-03" }))).toBe("beyondCalendar");
    expect(scheduleProblem(terms())).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { deferredMethodsOf, konbiniDaysBeforeClose } from "./availability";
import { konbiniDays } from "./schedule";

// Attack (careless timing): a konbini voucher cannot end before 23:59:59 Tokyo time of tomorrow, so
// a sale closing earlier than that must not offer konbini: the close would cancel the voucher while
// the buyer was still told "pay by tomorrow night".

const at = (iso: string) => new Date(iso);
const both = { konbiniEnabled: true, bankTransferEnabled: true };

describe("konbini near the sale's close", () => {
  it("is not offered when not even a one-day voucher ends before the close (bank transfer still is)", () => {
    // 25 hours left: the one-day voucher would end 2 Dec 23:59:59, the sale closes 2 Dec 10:00.
    const now = at("2026-12-01T09:00:00+09:00");
    const closesAt = at("2026-12-02T10:00:00+09:00");
    expect(konbiniDaysBeforeClose(now, closesAt)).toBe(0);
    expect(deferredMethodsOf({ ...both, closesAt }, now)).toEqual(["bank_transfer"]);
  });

  it("is offered once a whole Tokyo day fits, and the voucher then ends before the close", () => {
    const now = at("2026-12-01T09:00:00+09:00");
    const closesAt = at("2026-12-03T00:00:00+09:00");
    expect(deferredMethodsOf({ ...both, closesAt }, now)).toEqual(["konbini", "bank_transfer"]);
    const days = konbiniDays(now, closesAt);
    expect(days).toBe(1);
    // The voucher of `days` ends as the Tokyo day after its last day begins: 3 Dec 00:00, not later than the close.
    expect(at("2026-12-02T00:00:00+09:00").getTime() + days * 86_400_000).toBeLessThanOrEqual(closesAt.getTime());
  });
});

import { describe, expect, it } from "vitest";
import { bankTransferDeadline, konbiniDays, reservationEndOf, topUpDeadline } from "./schedule";
import { deferredPaymentOf } from "./view";

const at = (iso: string) => new Date(iso);

describe("konbini voucher days", () => {
  it("are KONBINI_DAYS when the sale runs long enough", () => {
    expect(konbiniDays(at("2026-12-01T10:00:00+09:00"), at("2026-12-31T00:00:00+09:00"))).toBe(3);
  });

  it("end no later than the sale: only whole Tokyo days before it closes count", () => {
    // The voucher of 2 days ends 3 Dec 23:59:59; the sale closes 4 Dec 12:00, so 2 fit and 3 do not.
    expect(konbiniDays(at("2026-12-01T23:30:00+09:00"), at("2026-12-04T12:00:00+09:00"))).toBe(2);
    expect(konbiniDays(at("2026-12-01T00:10:00+09:00"), at("2026-12-04T00:00:00+09:00"))).toBe(2);
    expect(konbiniDays(at("2026-12-01T00:10:00+09:00"), at("2026-12-05T00:00:00+09:00"))).toBe(3);
  });

  it("are at least one day", () => {
    expect(konbiniDays(at("2026-12-01T10:00:00+09:00"), at("2026-12-02T11:00:00+09:00"))).toBe(1);
  });
});

describe("bank transfer and top-up deadlines", () => {
  it("run BANK_TRANSFER_DAYS, never past the sale's close", () => {
    const now = at("2026-12-01T10:00:00+09:00");
    expect(bankTransferDeadline(now, at("2027-01-01T00:00:00+09:00"))).toEqual(at("2026-12-08T10:00:00+09:00"));
    expect(bankTransferDeadline(now, at("2026-12-05T00:00:00+09:00"))).toEqual(at("2026-12-05T00:00:00+09:00"));
  });

  it("a top-up adds 3 days to the deadline (or to now, once it passed), capped by the close", () => {
    const closes = at("2026-12-20T00:00:00+09:00");
    expect(topUpDeadline(at("2026-12-08T10:00:00+09:00"), at("2026-12-07T00:00:00+09:00"), closes)).toEqual(at("2026-12-11T10:00:00+09:00"));
    expect(topUpDeadline(at("2026-12-08T10:00:00+09:00"), at("2026-12-09T00:00:00+09:00"), closes)).toEqual(at("2026-12-12T00:00:00+09:00"));
    expect(topUpDeadline(at("2026-12-18T10:00:00+09:00"), at("2026-12-17T00:00:00+09:00"), closes)).toEqual(closes);
  });

  it("the units are held a little past the instruction's end", () => {
    expect(reservationEndOf({ expiresAt: "2026-12-08T01:00:00.000Z" }).getTime() - at("2026-12-08T01:00:00.000Z").getTime()).toBe(15 * 60 * 1000);
  });
});

describe("deferredPaymentOf", () => {
  const base = { paymentMethod: "bank_transfer" as const, amountYen: 5000, receivedYen: 2000, paymentInstructions: null };
  it("is null for card and stablecoin orders", () => {
    expect(deferredPaymentOf({ ...base, paymentMethod: "card", status: "awaiting_payment" })).toBeNull();
  });
  it("says what is still to pay while awaiting, and the whole amount once paid", () => {
    expect(deferredPaymentOf({ ...base, status: "awaiting_payment" })).toMatchObject({ state: "awaiting", receivedYen: 2000, remainingYen: 3000 });
    expect(deferredPaymentOf({ ...base, status: "allocated" })).toMatchObject({ state: "paid", receivedYen: 5000, remainingYen: 0 });
    expect(deferredPaymentOf({ ...base, status: "expired" })).toMatchObject({ state: "released" });
  });
});

import { describe, expect, it } from "vitest";
import { journeySteps } from "./journey";
import { settlementFailure } from "./failure";

const at = new Date("2026-04-01T00:00:00Z");
const HASH = `0x${"ab".repeat(32)}`;

describe("an order's journey as its page shows it", () => {
  it("shows a stablecoin payment and its allocation as one step, with the transaction", () => {
    const steps = journeySteps([
      { id: 1, toStatus: "reserved", at, detail: null },
      { id: 2, toStatus: "awaiting_payment", at, detail: { method: "stablecoin", paymentId: "p" } },
      { id: 3, toStatus: "paid", at, detail: { txHash: HASH, method: "stablecoin", dvp: true } },
      { id: 4, toStatus: "allocating", at, detail: { txHash: HASH, method: "stablecoin", dvp: true, step: "settled" } },
      { id: 5, toStatus: "allocated", at, detail: { txHash: HASH, blockNumber: 9 } },
    ]);
    expect(steps.map((step) => step.kind)).toEqual(["status", "signed", "settled"]);
    expect(steps[2]).toMatchObject({ id: 5, kind: "settled", txHash: HASH });
  });

  it("leaves a card order's steps as they are", () => {
    const steps = journeySteps([
      { id: 1, toStatus: "reserved", at, detail: null },
      { id: 2, toStatus: "awaiting_payment", at, detail: { checkoutSessionId: "cs" } },
      { id: 3, toStatus: "paid", at, detail: { eventId: "evt" } },
      { id: 4, toStatus: "allocating", at, detail: { step: "queued" } },
      { id: 5, toStatus: "allocated", at, detail: { txHash: HASH } },
    ]);
    expect(steps.map((step) => (step.kind === "status" ? step.status : step.kind))).toEqual(["reserved", "awaiting_payment", "paid", "allocating", "allocated"]);
  });
});

describe("why a settlement failed", () => {
  it("reads the stablecoin's and the settlement's custom errors by their selector, the token's by name", () => {
    expect(settlementFailure("refused in simulation: revert data 0x0f05f5bf")).toBe("expired");
    expect(settlementFailure(`reverted on chain in block 9: revert data 0x8fec535e${"0".repeat(63)}7`)).toBe("alreadySettled");
    expect(settlementFailure("refused in simulation: revert data 0x391e7a64")).toBe("invalidSignature");
    expect(settlementFailure("refused in simulation: revert data 0xdeadbeef")).toBe("other");
    expect(settlementFailure("refused in simulation: ERC20InsufficientBalance(0x1, 0, 5)")).toBe("insufficientBalance");
    expect(settlementFailure("reverted on chain in block 7: AlreadyAllocated(3)")).toBe("alreadySettled");
    expect(settlementFailure("given up by staff before it was sent")).toBe("cancelled");
    expect(settlementFailure(null)).toBe("other");
  });
});

import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { expectedOutcome, FATES, fateOf, forgeries } from "@/bench/_chaos-events";
import { seededRandom, shuffle } from "@/bench/_drill";

// The webhook-chaos drill passes only if the portal refuses its forgeries: each must be refused by
// the signature check the portal uses (Stripe's, 300 s tolerance) and for that reason alone.
const secret = `whsec_${"ab".repeat(16)}`;
const stripe = new Stripe("sk_test_x");
const purchases = Array.from({ length: 40 }, (_, i) => ({
  orderId: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
  fate: fateOf(i),
  amountYen: 1_000,
  paymentIntentId: `pi_${i}`,
  sessionId: `cs_${i}`,
}));

describe("webhook-chaos forgeries", () => {
  const forged = forgeries(purchases, secret, seededRandom(7));

  it("are refused by the signature check, each kind", () => {
    expect(new Set(forged.map((f) => f.kind))).toEqual(new Set(["no_signature", "bad_signature", "other_secret", "tampered_body", "stale"]));
    for (const forgery of forged) {
      expect(() => stripe.webhooks.constructEvent(forgery.payload, forgery.signature() ?? "", secret, 300), forgery.kind).toThrow();
    }
  });

  it("would be taken if they were signed properly: harmful events for paid or expired orders", () => {
    for (const forgery of forged) {
      const event = stripe.webhooks.constructEvent(forgery.payload, Stripe.webhooks.generateTestHeaderString({ payload: forgery.payload, secret }), secret, 300);
      expect(["charge.refunded", "charge.dispute.created", "checkout.session.completed"]).toContain(event.type);
      const object = event.data.object as { client_reference_id?: string; payment_intent?: string };
      const target = purchases.find((p) => p.orderId === object.client_reference_id || p.paymentIntentId === object.payment_intent);
      // A payment aims at an expired order; a refund or dispute at a paid one.
      expect(target?.fate).toBe(event.type === "checkout.session.completed" ? "expired" : "paid");
    }
  });
});

describe("webhook-chaos expectations", () => {
  it("end a refunded order with nothing and a disputed one with its allocation's units, frozen; a closed dispute as won or lost", () => {
    const order = { units: 3, amountYen: 3_000 };
    expect(expectedOutcome({ ...order, fate: "refunded" }, true)).toEqual({ status: "refunded", ledgerYen: 0, units: 0, frozen: false });
    expect(expectedOutcome({ ...order, fate: "partial" }, true)).toEqual({ status: "allocated", ledgerYen: 2_500, units: 3, frozen: false });
    expect(expectedOutcome({ ...order, fate: "disputed" }, false)).toEqual({ status: "disputed", ledgerYen: 3_000, units: 0, frozen: true });
    // Won, even when the dispute stopped the allocation: the tokens are allocated once it is over.
    expect(expectedOutcome({ ...order, fate: "dispute_won" }, false)).toEqual({ status: "allocated", ledgerYen: 3_000, units: 3, frozen: false });
    expect(expectedOutcome({ ...order, fate: "dispute_lost" }, true)).toEqual({ status: "refunded", ledgerYen: 0, units: 0, frozen: false });
  });

  it("give every fate to some of each 20 purchases", () => {
    const fates = Array.from({ length: 20 }, (_, i) => fateOf(i));
    expect(new Set(fates)).toEqual(new Set(FATES));
    expect(fates.filter((fate) => fate === "paid")).toHaveLength(10);
  });

  it("replay the same chaos from the same seed", () => {
    expect(shuffle([1, 2, 3, 4, 5, 6], seededRandom(42))).toEqual(shuffle([1, 2, 3, 4, 5, 6], seededRandom(42)));
    expect(shuffle([1, 2, 3, 4, 5, 6], seededRandom(42)).sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

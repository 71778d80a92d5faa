/**
 * The webhook-chaos drill's rules, apart from its machinery: what happens to each purchase at
 * Stripe, the state the portal must end in for it, and the forged and stale events sent among the
 * real ones. No database or network here.
 */
import Stripe from "stripe";

/**
 * What happens at Stripe: paid; paid then refunded in full or by ¥500; paid then disputed (left
 * open, or closed won or lost); never paid, the session expired.
 */
export const FATES = ["paid", "refunded", "partial", "disputed", "dispute_won", "dispute_lost", "expired"] as const;
export type Fate = (typeof FATES)[number];

/** Of every 20 purchases: 10 paid, 3 refunded, 2 partly refunded, 1 disputed, 1 dispute won, 1 lost, 2 expired. */
export function fateOf(index: number): Fate {
  const slot = index % 20;
  if (slot < 10) return "paid";
  if (slot < 13) return "refunded";
  if (slot < 15) return "partial";
  return (["disputed", "dispute_won", "dispute_lost", "expired", "expired"] as const)[slot - 15]!;
}

/** The refunds and disputes: the events about a charge after its payment, which may arrive before it. */
export const hasChargeEvents = (fate: Fate) => fate !== "paid" && fate !== "expired";

export const PARTIAL_REFUND_YEN = 500;

/**
 * Where the portal's rules (lib/orders/webhook.ts, charge-events.ts, DESIGN.md) take the order:
 * its status, its yen in the ledger (received − refunded), the units its wallet holds on chain and
 * whether that wallet is frozen. An open dispute freezes the tokens, it does not take them: a
 * disputed order holds its units if its allocation went through before the dispute, none if the
 * dispute stopped it. Won, the order is as if never disputed; lost, as if refunded.
 */
export function expectedOutcome(purchase: { fate: Fate; units: number; amountYen: number }, allocated: boolean): { status: string; ledgerYen: number; units: number; frozen: boolean } {
  switch (purchase.fate) {
    case "paid":
    case "dispute_won":
      return { status: "allocated", ledgerYen: purchase.amountYen, units: purchase.units, frozen: false };
    case "partial":
      return { status: "allocated", ledgerYen: purchase.amountYen - PARTIAL_REFUND_YEN, units: purchase.units, frozen: false };
    case "refunded":
    case "dispute_lost":
      return { status: "refunded", ledgerYen: 0, units: 0, frozen: false };
    case "disputed":
      return { status: "disputed", ledgerYen: purchase.amountYen, units: allocated ? purchase.units : 0, frozen: true };
    case "expired":
      return { status: "expired", ledgerYen: 0, units: 0, frozen: false };
  }
}

export type ForgeryKind = "no_signature" | "bad_signature" | "other_secret" | "tampered_body" | "stale";
const KINDS: ForgeryKind[] = ["no_signature", "bad_signature", "other_secret", "tampered_body", "stale"];
/** Beyond the portal's 300 s tolerance. */
const STALE_BY_S = 600;

export type Forgery = { kind: ForgeryKind; eventId: string; payload: string; signature(): string | null };
type Target = { orderId: string; fate: Fate; amountYen: number; paymentIntentId?: string; sessionId: string };

/** An event that would change a settled order if the portal believed it: a refund or a dispute of a paid one, a payment of an expired one. */
function harmfulEvent(eventId: string, target: Target, turn: number): Record<string, unknown> {
  const base = { id: eventId, object: "event", api_version: "2026-10-28.endive", created: Math.floor(Date.now() / 1000), livemode: false, pending_webhooks: 1, request: null };
  if (target.fate === "expired") {
    const session = {
      id: target.sessionId,
      object: "checkout.session",
      mode: "payment",
      status: "complete",
      payment_status: "paid",
      client_reference_id: target.orderId,
      metadata: { orderId: target.orderId },
    };
    return { ...base, type: "checkout.session.completed", data: { object: { ...session, amount_total: target.amountYen, currency: "jpy", payment_intent: `pi_forged_${turn}` } } };
  }
  const charge = `ch_forged_${turn}`;
  if (turn % 2 === 0) {
    return {
      ...base,
      type: "charge.refunded",
      data: { object: { id: charge, object: "charge", amount: target.amountYen, amount_refunded: target.amountYen, payment_intent: target.paymentIntentId, metadata: { orderId: target.orderId } } },
    };
  }
  return {
    ...base,
    type: "charge.dispute.created",
    data: { object: { id: `dp_forged_${turn}`, object: "dispute", charge, payment_intent: target.paymentIntentId, amount: target.amountYen, reason: "fraudulent" } },
  };
}

/** `perKind` events of each kind, aimed at paid and expired purchases; the signature is made at sending time. */
export function forgeries(purchases: Target[], secret: string, random: () => number, perKind = 10): Forgery[] {
  const targets = purchases.filter((p) => p.fate === "paid" || p.fate === "expired");
  const sign = (payload: string, options: { secret?: string; timestamp?: number } = {}) =>
    Stripe.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? secret, timestamp: options.timestamp });
  const out: Forgery[] = [];
  KINDS.forEach((kind, k) => {
    for (let n = 0; n < perKind; n++) {
      const turn = k * perKind + n;
      const eventId = `evt_forged_${turn}_${Math.floor(random() * 1e9).toString(36)}`;
      const payload = JSON.stringify(harmfulEvent(eventId, targets[Math.floor(random() * targets.length)]!, turn));
      const signature: Record<ForgeryKind, () => string | null> = {
        no_signature: () => null,
        // A valid header for the payload with its v1 signature's last hex digit changed.
        bad_signature: () => sign(payload).replace(/.$/, (last) => (last === "0" ? "1" : "0")),
        other_secret: () => sign(payload, { secret: `whsec_${"0".repeat(32)}` }),
        // The body that arrives is not the one signed: its amount was changed on the way.
        tampered_body: () => sign(payload.replace(/"amount_total":\d+|"amount_refunded":\d+|"amount":\d+/, '"amount":1')),
        stale: () => sign(payload, { timestamp: Math.floor(Date.now() / 1000) - STALE_BY_S }),
      };
      out.push({ kind, eventId, payload, signature: signature[kind] });
    }
  });
  return out;
}

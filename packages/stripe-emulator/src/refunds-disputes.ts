/** Refunds and disputes: the charge-side state changes of the emulator's Engine, and the events they emit. */
import type { RequestContext } from "./context";
import type { EngineCore } from "./core";
import { refundCashBalance } from "./customers";
import { refundDestination } from "./deferred-objects";
import type { Obj } from "./objects";
import { newDispute, newRefund } from "./payment-objects";
import { invalid, noSuch, ParamReader, rejectUnknown, type Params } from "./params";
import { allowedParams } from "./reference";
import type { StateStore } from "./state";

/** What these changes need of the Engine, named here so that this file does not import it. */
interface Engine extends EngineCore {
  store: StateStore;
  require<T extends Obj>(kind: "payment_intent" | "charge" | "refund" | "dispute", id: string, param: string): T;
}

export function createRefund(engine: Engine, params: Params, ctx: RequestContext): Obj {
  rejectUnknown(params, allowedParams("POST", "/v1/refunds"));
  const p = new ParamReader(params);
  const piId = p.string("payment_intent");
  const chargeId = p.string("charge");
  // Money waiting in a customer's cash balance goes back without any charge.
  if (p.has("origin") || (p.has("customer") && !piId && !chargeId)) return refundCashBalance(engine, params, ctx);
  if (p.has("customer")) throw invalid("`customer` is only for refunds from a cash balance (`origin=customer_balance`).", "customer");
  if (!piId && !chargeId) {
    throw invalid("One of the following params should be provided for this request: payment_intent or charge.", undefined, "parameter_missing");
  }
  let charge: Obj | undefined;
  if (piId) {
    const pi = engine.store.data.paymentIntents[piId];
    if (!pi) throw noSuch("payment_intent", piId, "payment_intent");
    charge = pi.latest_charge ? engine.store.data.charges[pi.latest_charge as string] : undefined;
    if (charge?.status !== "succeeded") {
      throw invalid(`This PaymentIntent (${piId}) does not have a successful charge to refund.`, "payment_intent");
    }
  }
  if (chargeId) {
    const byCharge = engine.store.data.charges[chargeId];
    if (!byCharge) throw noSuch("charge", chargeId, "charge");
    if (charge && charge !== byCharge) throw invalid(`Charge ${chargeId} does not belong to PaymentIntent ${piId ?? ""}.`, "charge");
    charge = byCharge;
  }
  const target = charge as Obj;
  const remaining = (target.amount as number) - (target.amount_refunded as number);
  if (target.disputed) {
    throw invalid(`Charge ${String(target.id)} has been charged back; cannot issue a refund.`, undefined, "charge_disputed");
  }
  if (remaining <= 0) throw invalid(`Charge ${String(target.id)} has already been refunded.`, undefined, "charge_already_refunded");
  const amount = p.integer("amount") ?? remaining;
  if (amount <= 0) throw invalid("Invalid positive integer", "amount", "parameter_invalid_integer");
  if (amount > remaining) {
    throw invalid(`Refund amount (${money(amount, target.currency)}) is greater than unrefunded amount on charge (${money(remaining, target.currency)})`, "amount", "amount_too_large");
  }
  const reason = p.oneOf("reason", ["duplicate", "fraudulent", "requested_by_customer"] as const) ?? null;
  const refund = newRefund(target, amount, reason, p.metadata("metadata"), engine.nowSeconds());
  const destination = refundDestination(target);
  if (destination) refund.destination_details = destination;
  engine.store.data.refunds[refund.id as string] = refund;
  const previous = { amount_refunded: target.amount_refunded, refunded: target.refunded };
  target.amount_refunded = (target.amount_refunded as number) + amount;
  target.refunded = target.amount_refunded === target.amount;
  if (target.refunded === previous.refunded) delete (previous as Partial<typeof previous>).refunded;
  engine.store.save();
  engine.emit("charge.refunded", target, ctx, previous);
  engine.emit("refund.created", refund, ctx);
  return refund;
}

export function createDispute(engine: Engine, paymentIntentId: string, ctx: RequestContext): Obj {
  const pi = engine.store.data.paymentIntents[paymentIntentId];
  if (!pi) throw noSuch("payment_intent", paymentIntentId, "payment_intent");
  const charge = pi.latest_charge ? engine.store.data.charges[pi.latest_charge as string] : undefined;
  if (charge?.status !== "succeeded") throw invalid(`PaymentIntent ${paymentIntentId} has no successful charge to dispute.`);
  if (charge.disputed) throw invalid(`Charge ${String(charge.id)} is already disputed.`);
  const dispute = newDispute(charge, engine.nowSeconds());
  engine.store.data.disputes[dispute.id as string] = dispute;
  charge.disputed = true;
  engine.store.save();
  engine.emit("charge.dispute.created", dispute, ctx);
  return dispute;
}

/** The card network's decision: won gives the money back to the merchant, lost keeps it with the buyer. */
export function closeDispute(engine: Engine, disputeId: string, outcome: "won" | "lost", ctx: RequestContext): Obj {
  const dispute = engine.require<Obj>("dispute", disputeId, "dispute");
  if (dispute.status === "won" || dispute.status === "lost") throw invalid(`Dispute ${disputeId} is already closed.`);
  const previous = { status: dispute.status };
  dispute.status = outcome;
  dispute.is_charge_refundable = false;
  engine.store.save();
  engine.emit("charge.dispute.closed", dispute, ctx, previous);
  return dispute;
}

function money(amount: number, currency: unknown): string {
  return currency === "jpy" ? `¥${amount.toLocaleString("en-US")}` : `${amount} ${String(currency)}`;
}

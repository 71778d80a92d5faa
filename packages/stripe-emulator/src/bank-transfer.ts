/**
 * A bank transfer reaching a customer's virtual account (Stripe's test helper `fund_cash_balance`)
 * and automatic reconciliation: the open customer_balance PaymentIntent whose reference matches,
 * else the customer's oldest open one, gets what it still needs; the rest stays in the cash balance.
 */
import type { RequestContext } from "./context";
import type { EngineCore } from "./core";
import { announceFundsAvailable, customerExtra, moveCash, requireCustomer } from "./customers";
import { amountRemaining, deferredKind, succeedDeferred } from "./deferred";
import type { Obj } from "./objects";
import { invalid, missingParam, ParamReader, rejectUnknown, type Params } from "./params";
import { allowedParams } from "./reference";

export function fundCashBalance(core: EngineCore, customerId: string, params: Params, ctx: RequestContext): Obj {
  rejectUnknown(params, allowedParams("POST", "/v1/test_helpers/customers/{customer}/fund_cash_balance"));
  const p = new ParamReader(params);
  const amount = p.integer("amount");
  if (amount === undefined) throw missingParam("amount");
  if (amount <= 0) throw invalid("Invalid positive integer", "amount", "parameter_invalid_integer");
  const currency = p.string("currency")?.toLowerCase();
  if (!currency) throw missingParam("currency");
  if (currency !== "jpy") throw invalid("The emulator funds cash balances in jpy only.", "currency");
  requireCustomer(core, customerId, "customer");
  return receiveTransfer(core, customerId, amount, p.string("reference") || null, ctx);
}

/** The customer's open bank-transfer PaymentIntents, oldest first. */
function openTransfers(core: EngineCore, customerId: string): Obj[] {
  return Object.values(core.store.data.paymentIntents)
    .filter((pi) => pi.customer === customerId && pi.status === "requires_action" && deferredKind(pi) === "customer_balance")
    .sort((a, b) => (a.created as number) - (b.created as number));
}

function referenceOf(pi: Obj): string | undefined {
  return (pi.next_action as { display_bank_transfer_instructions?: { reference?: string } }).display_bank_transfer_instructions?.reference;
}

/** Books the transfer, applies it, and announces what is left over. Returns the `funded` transaction. */
export function receiveTransfer(core: EngineCore, customerId: string, amount: number, reference: string | null, ctx: RequestContext): Obj {
  const funded = moveCash(core, customerId, amount, { type: "funded", reference }, ctx);
  const open = openTransfers(core, customerId);
  const target = (reference && open.find((pi) => referenceOf(pi)?.toUpperCase() === reference.trim().toUpperCase())) || open[0];
  if (target) applyToPaymentIntent(core, target, ctx);
  announceFundsAvailable(core, customerId, ctx);
  return funded;
}

/** Moves as much of the cash balance as the PaymentIntent still needs onto it. */
function applyToPaymentIntent(core: EngineCore, pi: Obj, ctx: RequestContext): void {
  const customerId = pi.customer as string;
  const remaining = amountRemaining(pi);
  const applied = Math.min(customerExtra(core, customerId).balance ?? 0, remaining);
  if (applied <= 0) return;
  moveCash(core, customerId, -applied, { type: "applied_to_payment", paymentIntent: pi.id as string }, ctx);
  if (applied === remaining) {
    succeedDeferred(core, pi, ctx);
    return;
  }
  const instructions = (pi.next_action as { display_bank_transfer_instructions: { amount_remaining: number } }).display_bank_transfer_instructions;
  instructions.amount_remaining = remaining - applied;
  core.store.save();
  core.emit("payment_intent.partially_funded", pi, ctx);
}

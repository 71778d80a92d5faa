/** Customers and their cash balances: create, retrieve, move money in and out, refund what is left. */
import type { RequestContext } from "./context";
import type { EngineCore } from "./core";
import { newZenginAccount } from "./deferred-objects";
import { ordered, randomChars, randomId, type Obj } from "./objects";
import { invalid, noSuch, ParamReader, rejectUnknown, type Params } from "./params";
import { allowedParams } from "./reference";
import type { CustomerExtra } from "./state";

/** Parameters Stripe knows but this emulator does not model: accepted only when absent. */
const UNSUPPORTED = ["address", "balance", "business_name", "individual_name", "invoice_settings", "payment_method", "shipping", "source", "tax", "tax_id_data", "test_clock"];

export function createCustomer(core: EngineCore, params: Params, ctx: RequestContext): Obj {
  rejectUnknown(params, allowedParams("POST", "/v1/customers"));
  const p = new ParamReader(params);
  for (const name of UNSUPPORTED) if (p.has(name)) throw invalid(`The emulator does not support \`${name}\`.`, name);
  const email = p.string("email") ?? null;
  if (email !== null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw invalid(`Invalid email address: ${email}`, "email", "email_invalid");
  const mode = p
    .object("cash_balance")
    ?.object("settings")
    ?.oneOf("reconciliation_mode", ["automatic", "manual", "merchant_default"] as const);
  if (mode === "manual") throw invalid("The emulator reconciles cash balances automatically only.", "cash_balance[settings][reconciliation_mode]");
  const id = `cus_${randomChars(14)}`;
  const customer = ordered({
    id,
    object: "customer",
    address: null,
    balance: 0,
    created: core.nowSeconds(),
    currency: null,
    customer_account: null,
    default_source: null,
    delinquent: false,
    description: p.string("description") ?? null,
    discount: null,
    email,
    invoice_prefix: randomChars(8)
      .toUpperCase()
      .replace(/[^0-9A-Z]/g, "X"),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: p.metadata("metadata"),
    name: p.string("name") ?? null,
    next_invoice_sequence: 1,
    phone: p.string("phone") ?? null,
    preferred_locales: p.stringArray("preferred_locales"),
    shipping: null,
    tax_exempt: p.oneOf("tax_exempt", ["", "exempt", "none", "reverse"] as const) || "none",
    test_clock: null,
  });
  core.store.data.customers[id] = customer;
  core.store.data.customerExtras[id] = { balance: null, account: newZenginAccount() };
  core.store.save();
  core.emit("customer.created", customer, ctx);
  return customer;
}

export function requireCustomer(core: EngineCore, id: string, param = "customer"): Obj {
  const customer = core.store.data.customers[id];
  if (!customer) throw noSuch("customer", id, param);
  return customer;
}

export function customerExtra(core: EngineCore, id: string): CustomerExtra {
  const extra = core.store.data.customerExtras[id];
  if (!extra) throw noSuch("customer", id, "customer");
  return extra;
}

export function cashBalanceOf(core: EngineCore, customerId: string): Obj {
  requireCustomer(core, customerId);
  const balance = customerExtra(core, customerId).balance;
  return ordered({
    object: "cash_balance",
    available: balance === null ? null : { jpy: balance },
    customer: customerId,
    customer_account: null,
    livemode: false,
    settings: { reconciliation_mode: "automatic", using_merchant_default: true },
  });
}

export type CashMovement = { type: "funded"; reference: string | null } | { type: "applied_to_payment" | "unapplied_from_payment"; paymentIntent: string } | { type: "return_initiated" };

/** Changes a customer's cash balance by `netAmount` and records (and announces) the transaction. */
export function moveCash(core: EngineCore, customerId: string, netAmount: number, movement: CashMovement, ctx: RequestContext): Obj {
  const extra = customerExtra(core, customerId);
  const ending = (extra.balance ?? 0) + netAmount;
  if (ending < 0) throw new Error(`cash balance of ${customerId} would go negative`);
  extra.balance = ending;
  const txn: Obj = {
    id: `ccsbtxn_${randomChars(24)}`,
    object: "customer_cash_balance_transaction",
    created: core.nowSeconds(),
    currency: "jpy",
    customer: customerId,
    customer_account: null,
    ending_balance: ending,
    livemode: false,
    net_amount: netAmount,
    type: movement.type,
  };
  if (movement.type === "funded") {
    txn.funded = {
      bank_transfer: { jp_bank_transfer: { sender_bank: "テスト銀行", sender_branch: "本店", sender_name: "テスト タロウ" }, reference: movement.reference, type: "jp_bank_transfer" },
    };
  } else if (movement.type !== "return_initiated") {
    txn[movement.type] = { payment_intent: movement.paymentIntent };
  }
  const saved = ordered(txn);
  core.store.data.cashBalanceTransactions[saved.id as string] = saved;
  core.store.save();
  core.emit("customer_cash_balance_transaction.created", saved, ctx);
  return saved;
}

/** Money sitting in the balance, applied to no payment: the merchant is told to decide. */
export function announceFundsAvailable(core: EngineCore, customerId: string, ctx: RequestContext): void {
  if ((customerExtra(core, customerId).balance ?? 0) > 0) core.emit("cash_balance.funds_available", cashBalanceOf(core, customerId), ctx);
}

/** `POST /v1/refunds` with `customer` and `origin=customer_balance`: sends balance money back to the customer at once. */
export function refundCashBalance(core: EngineCore, params: Params, ctx: RequestContext): Obj {
  const p = new ParamReader(params);
  for (const name of ["payment_intent", "charge"]) {
    if (p.has(name)) throw invalid(`You cannot pass \`${name}\` with \`origin=customer_balance\`.`, name);
  }
  const customerId = p.string("customer");
  if (!customerId) throw invalid("You must pass `customer` when `origin` is `customer_balance`.", "customer", "parameter_missing");
  if (p.oneOf("origin", ["customer_balance"] as const) !== "customer_balance") {
    throw invalid("Refunds from a customer's cash balance need `origin=customer_balance`.", "origin", "parameter_missing");
  }
  requireCustomer(core, customerId);
  const currency = (p.string("currency") ?? "jpy").toLowerCase();
  if (currency !== "jpy") throw invalid(`The customer has no cash balance in ${currency}.`, "currency");
  const available = customerExtra(core, customerId).balance ?? 0;
  const amount = p.integer("amount") ?? available;
  if (amount <= 0) throw invalid(available === 0 ? "The customer's cash balance is empty." : "Invalid positive integer", "amount", "parameter_invalid_integer");
  if (amount > available) {
    throw invalid(`Refund amount (¥${amount.toLocaleString("en-US")}) is greater than the customer's available cash balance (¥${available.toLocaleString("en-US")}).`, "amount", "amount_too_large");
  }
  const refund = ordered({
    id: randomId("re"),
    object: "refund",
    amount,
    balance_transaction: null,
    charge: null,
    created: core.nowSeconds(),
    currency,
    customer: customerId,
    customer_account: null,
    destination_details: { jp_bank_transfer: { reference: null, reference_status: "pending" }, type: "jp_bank_transfer" },
    metadata: p.metadata("metadata"),
    payment_intent: null,
    payment_method: null,
    reason: p.oneOf("reason", ["duplicate", "fraudulent", "requested_by_customer"] as const) ?? null,
    receipt_number: null,
    source_transfer_reversal: null,
    status: "succeeded",
    transfer_reversal: null,
  });
  core.store.data.refunds[refund.id as string] = refund;
  moveCash(core, customerId, -amount, { type: "return_initiated" }, ctx);
  core.emit("refund.created", refund, ctx);
  return refund;
}

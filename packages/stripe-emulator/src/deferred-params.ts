/** Validation of `POST /v1/payment_intents` for the two methods the emulator confirms server-side: konbini and customer_balance (jp_bank_transfer). */
import type { DeferredKind } from "./deferred-objects";
import { invalid, missingParam, ParamReader, rejectUnknown, type Params } from "./params";
import { allowedParams, bodyParam } from "./reference";

const PATH = "/v1/payment_intents";
const MAX_VOUCHER_DAYS = 60;
/** Stripe's konbini limits per payment. */
const KONBINI_MIN = 120;
const KONBINI_MAX = 300_000;
const JPY_MAX = 99_999_999;

/** Parameters Stripe knows but this emulator does not model: accepted only when absent. */
const UNSUPPORTED = [
  "amount_details",
  "application_fee_amount",
  "automatic_payment_methods",
  "confirmation_token",
  "customer_account",
  "error_on_requires_action",
  "excluded_payment_method_types",
  "hooks",
  "mandate",
  "mandate_data",
  "off_session",
  "on_behalf_of",
  "payment_details",
  "payment_method",
  "payment_method_configuration",
  "radar_options",
  "setup_future_usage",
  "shipping",
  "transfer_data",
];

export interface DeferredInput {
  kind: DeferredKind;
  amount: number;
  currency: "jpy";
  customer: string | null;
  description: string | null;
  metadata: Record<string, string>;
  receiptEmail: string | null;
  statementDescriptor: string | null;
  statementDescriptorSuffix: string | null;
  billing: { email: string | null; name: string | null; phone: string | null };
  /** Konbini only: either a number of days or an exact end. */
  expiresAfterDays: number | null;
  expiresAt: number | null;
  productDescription: string | null;
}

export function parseDeferredParams(params: Params, nowSeconds: number): DeferredInput {
  rejectUnknown(params, allowedParams("POST", PATH));
  const p = new ParamReader(params);
  for (const name of UNSUPPORTED) if (p.has(name)) throw invalid(`The emulator does not support \`${name}\`.`, name);
  const amount = p.integer("amount");
  if (amount === undefined) throw missingParam("amount");
  const currency = p.string("currency")?.toLowerCase();
  if (!currency) throw missingParam("currency");
  p.oneOf("capture_method", ["automatic", "automatic_async"] as const);
  p.oneOf("confirmation_method", ["automatic", "manual"] as const);

  const allowed = p.stringArray("allowed_payment_method_types");
  const pmd = p.object("payment_method_data");
  const kind = (allowed.length === 1 ? allowed[0] : pmd?.string("type")) as string | undefined;
  if (kind !== "konbini" && kind !== "customer_balance") {
    throw invalid("The emulator creates PaymentIntents only for `konbini` or `customer_balance`: pass one of them in `allowed_payment_method_types`.", "allowed_payment_method_types");
  }
  if (allowed.length > 1 || (allowed.length === 1 && allowed[0] !== kind)) {
    throw invalid("`allowed_payment_method_types` must list exactly the method of `payment_method_data[type]`.", "allowed_payment_method_types");
  }
  if (p.boolean("confirm") !== true) throw invalid("The emulator creates konbini and customer_balance PaymentIntents confirmed: pass `confirm=true`.", "confirm");
  if (!pmd) throw missingParam("payment_method_data");
  rejectUnknown(pmd.params, bodyParam("POST", PATH, "payment_method_data").properties ?? [], pmd.prefix);
  if (pmd.requiredString("type") !== kind) throw invalid(`\`payment_method_data[type]\` must be ${kind}.`, "payment_method_data[type]");
  const own = pmd.object(kind);
  if (own && Object.keys(own.params).length > 0) rejectUnknown(own.params, [], own.prefix);
  const billing = pmd.object("billing_details");
  if (billing) rejectUnknown(billing.params, ["address", "email", "name", "phone", "tax_id"], billing.prefix);

  if (currency !== "jpy") throw invalid(`${kind} supports only jpy, not ${currency}.`, "currency");
  if (kind === "konbini" && amount < KONBINI_MIN) throw invalid(`Konbini payments must be at least ¥${KONBINI_MIN}.`, "amount", "amount_too_small");
  if (kind === "konbini" && amount > KONBINI_MAX) throw invalid(`Konbini payments can be at most ¥${KONBINI_MAX.toLocaleString("en-US")}.`, "amount", "amount_too_large");
  if (amount < 50) throw invalid("Amount must be at least ¥50 jpy", "amount", "amount_too_small");
  if (amount > JPY_MAX) throw invalid("Amount must be no more than ¥99,999,999", "amount", "amount_too_large");

  const customer = p.string("customer") ?? null;
  if (kind === "customer_balance" && !customer) {
    throw invalid("A PaymentIntent with customer_balance needs a `customer`: the transfer goes to that customer's virtual account.", "customer", "parameter_missing");
  }
  const description = p.string("description") ?? null;
  if (description !== null && description.length > 1000) throw invalid("description must be at most 1000 characters.", "description");

  const options = parseOptions(p, kind, nowSeconds);
  return {
    kind,
    amount,
    currency,
    customer,
    description,
    metadata: p.metadata("metadata"),
    receiptEmail: p.string("receipt_email") ?? null,
    statementDescriptor: p.string("statement_descriptor") ?? null,
    statementDescriptorSuffix: p.string("statement_descriptor_suffix") ?? null,
    billing: { email: billing?.string("email") || null, name: billing?.string("name") || null, phone: billing?.string("phone") || null },
    ...options,
  };
}

function parseOptions(p: ParamReader, kind: DeferredKind, nowSeconds: number): Pick<DeferredInput, "expiresAfterDays" | "expiresAt" | "productDescription"> {
  const none = { expiresAfterDays: null, expiresAt: null, productDescription: null };
  const pmo = p.object("payment_method_options");
  if (!pmo) {
    if (kind === "customer_balance") throw missingParam("payment_method_options[customer_balance][funding_type]");
    return { ...none, expiresAfterDays: 3 };
  }
  rejectUnknown(pmo.params, [kind], pmo.prefix);
  const own = pmo.object(kind);
  if (kind === "customer_balance") {
    if (!own) throw missingParam("payment_method_options[customer_balance][funding_type]");
    rejectUnknown(own.params, ["bank_transfer", "funding_type", "setup_future_usage"], own.prefix);
    if (own.oneOf("funding_type", ["bank_transfer"] as const) !== "bank_transfer") throw missingParam(own.name("funding_type"));
    const transfer = own.object("bank_transfer");
    if (!transfer) throw missingParam(own.name("bank_transfer"));
    rejectUnknown(transfer.params, ["eu_bank_transfer", "requested_address_types", "type"], transfer.prefix);
    if (transfer.string("type") !== "jp_bank_transfer") throw invalid("The emulator supports only `jp_bank_transfer`.", transfer.name("type"));
    const types = transfer.stringArray("requested_address_types");
    if (types.length > 0 && !types.includes("zengin")) throw invalid("A jp_bank_transfer gives `zengin` addresses.", transfer.name("requested_address_types"));
    return none;
  }
  if (!own) return { ...none, expiresAfterDays: 3 };
  rejectUnknown(own.params, ["confirmation_number", "expires_after_days", "expires_at", "product_description", "setup_future_usage"], own.prefix);
  if (own.string("confirmation_number")) throw invalid("The emulator does not support `confirmation_number`.", own.name("confirmation_number"));
  const productDescription = own.string("product_description") || null;
  if (productDescription && productDescription.length > 22) throw invalid("product_description must be at most 22 characters.", own.name("product_description"));
  const days = own.string("expires_after_days") ? own.integer("expires_after_days") : undefined;
  const at = own.string("expires_at") ? own.integer("expires_at") : undefined;
  if (days !== undefined && at !== undefined) throw invalid("Pass either `expires_after_days` or `expires_at`, not both.", own.name("expires_at"));
  if (days !== undefined && (days < 1 || days > MAX_VOUCHER_DAYS)) throw invalid(`expires_after_days must be between 1 and ${MAX_VOUCHER_DAYS}.`, own.name("expires_after_days"));
  if (at !== undefined && (at <= nowSeconds || at > nowSeconds + MAX_VOUCHER_DAYS * 86_400)) {
    throw invalid(`expires_at must be in the future and within ${MAX_VOUCHER_DAYS} days.`, own.name("expires_at"));
  }
  return { expiresAfterDays: at === undefined ? (days ?? 3) : null, expiresAt: at ?? null, productDescription };
}

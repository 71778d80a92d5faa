/** Validation of `POST /v1/checkout/sessions` params, to the rules real Stripe applies. */
import { invalid, missingParam, ParamReader, rejectUnknown, type Params } from "./params";
import { allowedParams, bodyParam } from "./reference";

const PATH = "/v1/checkout/sessions";
const ZERO_DECIMAL = new Set(["bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"]);
const MIN_EXPIRY_S = 30 * 60;
const MAX_EXPIRY_S = 24 * 60 * 60;
const JPY_MIN = 50;
const JPY_MAX = 99_999_999;

export function isZeroDecimal(currency: string): boolean {
  return ZERO_DECIMAL.has(currency.toLowerCase());
}

interface LineItemInput {
  currency: string;
  unitAmount: number;
  quantity: number;
  name: string;
  description: string | null;
  metadata: Record<string, string>;
}

export interface PaymentIntentData {
  metadata: Record<string, string>;
  description: string | null;
  receiptEmail: string | null;
  statementDescriptor: string | null;
  statementDescriptorSuffix: string | null;
}

export interface SessionInput {
  lineItems: LineItemInput[];
  currency: string;
  amount: number;
  expiresAt: number;
  successUrl: string | null;
  cancelUrl: string | null;
  clientReferenceId: string | null;
  customerEmail: string | null;
  metadata: Record<string, string>;
  locale: string | null;
  paymentIntentData: PaymentIntentData;
}

/** Parameters Stripe knows but this emulator does not model: accepted only when absent. */
const UNSUPPORTED = ["customer", "customer_account", "discounts", "optional_items", "shipping_options", "subscription_data", "setup_intent_data"];

export function parseSessionParams(params: Params, nowSeconds: number): SessionInput {
  rejectUnknown(params, allowedParams("POST", PATH));
  const p = new ParamReader(params);
  for (const name of UNSUPPORTED) {
    if (p.has(name)) throw invalid(`The emulator does not support \`${name}\`.`, name);
  }
  const mode = p.oneOf("mode", ["payment", "setup", "subscription"] as const);
  if (!mode) throw missingParam("mode");
  if (mode !== "payment") throw invalid(`The emulator supports only \`mode=payment\`.`, "mode");
  const uiMode = p.oneOf("ui_mode", bodyParam("POST", PATH, "ui_mode").enum ?? []);
  if (uiMode && uiMode !== "hosted_page") throw invalid(`The emulator supports only hosted Checkout.`, "ui_mode");

  const lineItems = parseLineItems(p);
  const currency = lineItems[0]!.currency;
  if (lineItems.some((li) => li.currency !== currency)) {
    throw invalid("All line items must use the same currency.", "line_items");
  }
  const amount = lineItems.reduce((sum, li) => sum + li.unitAmount * li.quantity, 0);
  if (currency === "jpy" && amount < JPY_MIN) {
    throw invalid(`The Checkout Session's total amount due must add up to at least ¥${JPY_MIN}`, "line_items", "amount_too_small");
  }
  if (currency === "jpy" && amount > JPY_MAX) {
    throw invalid(`The Checkout Session's total amount due must be no more than ¥99,999,999`, "line_items", "amount_too_large");
  }

  const expiresAt = p.integer("expires_at") ?? nowSeconds + MAX_EXPIRY_S;
  if (expiresAt < nowSeconds + MIN_EXPIRY_S) {
    throw invalid("The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.", "expires_at");
  }
  if (expiresAt > nowSeconds + MAX_EXPIRY_S) {
    throw invalid("The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.", "expires_at");
  }

  const clientReferenceId = p.string("client_reference_id") ?? null;
  if (clientReferenceId !== null && clientReferenceId.length > 200) {
    throw invalid("client_reference_id must be at most 200 characters.", "client_reference_id");
  }
  const customerEmail = p.string("customer_email") ?? null;
  if (customerEmail !== null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(customerEmail)) {
    throw invalid(`Invalid email address: ${customerEmail}`, "customer_email", "email_invalid");
  }
  const successUrl = url(p, "success_url");
  const cancelUrl = url(p, "cancel_url");
  const locale = p.oneOf("locale", bodyParam("POST", PATH, "locale").enum ?? []) ?? null;

  const pid = p.object("payment_intent_data");
  if (pid) rejectUnknown(pid.params, bodyParam("POST", PATH, "payment_intent_data").properties ?? [], pid.prefix);
  return {
    lineItems,
    currency,
    amount,
    expiresAt,
    successUrl,
    cancelUrl,
    clientReferenceId,
    customerEmail,
    metadata: p.metadata("metadata"),
    locale,
    paymentIntentData: {
      metadata: pid?.metadata("metadata") ?? {},
      description: pid?.string("description") ?? null,
      receiptEmail: pid?.string("receipt_email") ?? null,
      statementDescriptor: pid?.string("statement_descriptor") ?? null,
      statementDescriptorSuffix: pid?.string("statement_descriptor_suffix") ?? null,
    },
  };
}

function url(p: ParamReader, key: string): string | null {
  const value = p.string(key);
  if (value === undefined) return null;
  if (!/^https?:\/\/[^\s]+$/i.test(value)) throw invalid("Not a valid URL", key, "url_invalid");
  return value;
}

function parseLineItems(p: ParamReader): LineItemInput[] {
  const spec = bodyParam("POST", PATH, "line_items");
  const items = p.array("line_items");
  if (!items || items.length === 0) throw missingParam("line_items");
  if (items.length > 100) throw invalid("A Checkout Session can have at most 100 line items.", "line_items");
  return items.map((raw, i) => {
    const name = `line_items[${i}]`;
    if (typeof raw !== "object" || Array.isArray(raw)) throw invalid("Invalid object", name);
    rejectUnknown(raw, spec.items?.properties ?? [], name);
    const item = new ParamReader(raw, name);
    if (item.has("price")) throw invalid(`No such price: '${item.string("price") ?? ""}'`, `${name}[price]`, "resource_missing");
    const priceData = item.object("price_data");
    if (!priceData) throw invalid(`You must specify either \`price\` or \`price_data\` in ${name}.`, name, "parameter_missing");
    rejectUnknown(priceData.params, spec.subproperties?.price_data?.properties ?? [], priceData.prefix);
    const currency = priceData.requiredString("currency").toLowerCase();
    if (!/^[a-z]{3}$/.test(currency)) throw invalid(`Invalid currency: ${currency}`, `${name}[price_data][currency]`);
    if (priceData.has("recurring")) throw invalid("The emulator supports only one-time prices.", `${name}[price_data][recurring]`);
    const unitAmount = priceData.integer("unit_amount");
    if (unitAmount === undefined) throw missingParam(`${name}[price_data][unit_amount]`);
    if (unitAmount < 0) throw invalid("This value must be greater than or equal to 0.", `${name}[price_data][unit_amount]`);
    const product = priceData.object("product_data");
    if (!product) throw invalid(`You must specify either \`product\` or \`product_data\`.`, `${name}[price_data]`, "parameter_missing");
    rejectUnknown(product.params, spec.subproperties?.["price_data.product_data"]?.properties ?? [], product.prefix);
    const quantity = item.integer("quantity");
    if (quantity === undefined) throw invalid(`Quantity is required. Add \`quantity\` to \`${name}\``, `${name}[quantity]`, "parameter_missing");
    if (quantity < 1) throw invalid("This value must be greater than or equal to 1.", `${name}[quantity]`);
    return {
      currency,
      unitAmount,
      quantity,
      name: product.requiredString("name"),
      description: product.string("description") ?? null,
      metadata: item.metadata("metadata"),
    };
  });
}

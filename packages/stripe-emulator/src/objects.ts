/** Builders for Stripe objects in the shapes of reference/schemas.json. */
import { randomBytes } from "node:crypto";

export type Obj = Record<string, unknown>;

/** The API version the stripe npm package 23.1.0 speaks; stamped on events. */
export const API_VERSION = "2026-10-28.endive";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function randomChars(length: number): string {
  let out = "";
  for (const byte of randomBytes(length)) out += ALPHABET[byte % ALPHABET.length];
  return out;
}

export function randomId(prefix: string, length = 24): string {
  return `${prefix}_${randomChars(length)}`;
}

/** Stripe prints `id` and `object` first, then the rest alphabetically. */
export function ordered<T extends Obj>(obj: T): T {
  const keys = Object.keys(obj).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(keys.map((k) => [k, obj[k]])) as T;
}

function rank(key: string): number {
  return key === "id" ? 0 : key === "object" ? 1 : 2;
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}

export function list(data: Obj[], url: string, hasMore = false): Obj {
  return { object: "list", data, has_more: hasMore, url };
}

export interface SessionFields {
  id: string;
  created: number;
  expiresAt: number;
  currency: string;
  amount: number;
  successUrl: string | null;
  cancelUrl: string | null;
  clientReferenceId: string | null;
  customerEmail: string | null;
  metadata: Record<string, string>;
  locale: string | null;
  url: string;
}

/**
 * A hosted, card-only, payment-mode session. Omitted, as real Stripe omits them unless the
 * feature is used (the SDK types mark them optional and they are not nullable): branding_settings,
 * excluded_payment_method_types, line_items (expand only), name_collection, presentment_details,
 * redirect_on_completion, return_url.
 */
export function newSession(f: SessionFields): Obj {
  return ordered({
    id: f.id,
    object: "checkout.session",
    adaptive_pricing: { enabled: false },
    after_expiration: null,
    allow_promotion_codes: null,
    allowed_payment_method_types: null,
    amount_subtotal: f.amount,
    amount_total: f.amount,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: f.cancelUrl,
    client_reference_id: f.clientReferenceId,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: f.created,
    currency: f.currency,
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: null,
    customer_account: null,
    customer_creation: "if_required",
    customer_details: null,
    customer_email: f.customerEmail,
    discounts: [],
    expires_at: f.expiresAt,
    integration_identifier: null,
    invoice: null,
    invoice_creation: {
      enabled: false,
      invoice_data: {
        account_tax_ids: null,
        custom_fields: null,
        description: null,
        footer: null,
        issuer: null,
        metadata: {},
        rendering_options: null,
      },
    },
    livemode: false,
    locale: f.locale,
    managed_payments: null,
    metadata: f.metadata,
    mode: "payment",
    optional_items: null,
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: "always",
    payment_method_configuration_details: null,
    payment_method_options: { card: { request_three_d_secure: "automatic" } },
    payment_method_types: ["card"],
    payment_status: "unpaid",
    permissions: null,
    phone_number_collection: { enabled: false },
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: "open",
    submit_type: null,
    subscription: null,
    success_url: f.successUrl,
    tax_id_collection: { enabled: false, required: "never" },
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: "hosted_page",
    url: f.url,
    wallet_options: null,
  });
}

export interface LineItemFields {
  currency: string;
  unitAmount: number;
  quantity: number;
  name: string;
  description: string | null;
  metadata: Record<string, string>;
  created: number;
}

/** A Checkout line item (`item`) with its ad-hoc one-time price. */
export function newLineItem(f: LineItemFields): Obj {
  const total = f.unitAmount * f.quantity;
  return ordered({
    id: randomId("li"),
    object: "item",
    adjustable_quantity: null,
    amount_discount: 0,
    amount_subtotal: total,
    amount_tax: 0,
    amount_total: total,
    currency: f.currency,
    description: f.name,
    metadata: f.metadata,
    price: ordered({
      id: randomId("price"),
      object: "price",
      active: false,
      billing_scheme: "per_unit",
      created: f.created,
      currency: f.currency,
      custom_unit_amount: null,
      livemode: false,
      lookup_key: null,
      metadata: {},
      nickname: null,
      product: randomId("prod", 14),
      recurring: null,
      tax_behavior: "unspecified",
      tiers_mode: null,
      transform_quantity: null,
      type: "one_time",
      unit_amount: f.unitAmount,
      unit_amount_decimal: String(f.unitAmount),
    }),
    quantity: f.quantity,
  });
}

export interface EventFields {
  type: string;
  object: Obj;
  created: number;
  previousAttributes?: Obj;
  request: { id: string | null; idempotency_key: string | null };
  pendingWebhooks: number;
}

export function newEvent(f: EventFields): Obj {
  const data: Obj = { object: clone(f.object) };
  if (f.previousAttributes) data.previous_attributes = f.previousAttributes;
  return ordered({
    id: randomId("evt"),
    object: "event",
    api_version: API_VERSION,
    created: f.created,
    data,
    livemode: false,
    pending_webhooks: f.pendingWebhooks,
    request: f.request,
    type: f.type,
  });
}

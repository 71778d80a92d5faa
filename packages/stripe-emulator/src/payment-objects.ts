/** Builders for PaymentIntents, charges, refunds and disputes in the shapes of reference/schemas.json. */
import { createHash } from "node:crypto";
import { clone, ordered, randomChars, randomId, type Obj } from "./objects";

export interface PaymentIntentFields {
  amount: number;
  currency: string;
  created: number;
  metadata: Record<string, string>;
  description: string | null;
  receiptEmail: string | null;
  statementDescriptor: string | null;
  statementDescriptorSuffix: string | null;
  paymentMethod: string;
}

export function newPaymentIntent(f: PaymentIntentFields): Obj {
  const id = randomId("pi");
  return ordered({
    id,
    object: "payment_intent",
    allowed_payment_method_types: null,
    amount: f.amount,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: "automatic_async",
    client_secret: `${id}_secret_${randomChars(25)}`,
    confirmation_method: "automatic",
    created: f.created,
    currency: f.currency,
    customer: null,
    customer_account: null,
    description: f.description,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata: f.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: f.paymentMethod,
    payment_method_configuration_details: null,
    payment_method_options: {
      card: { installments: null, mandate_options: null, network: null, request_three_d_secure: "automatic" },
    },
    payment_method_types: ["card"],
    payment_record: null,
    processing: null,
    receipt_email: f.receiptEmail,
    review: null,
    setup_future_usage: null,
    shipping: null,
    statement_descriptor: f.statementDescriptor,
    statement_descriptor_suffix: f.statementDescriptorSuffix,
    status: "requires_payment_method",
    transfer_data: null,
    transfer_group: null,
  });
}

export interface Card {
  last4: string;
  expMonth: number;
  expYear: number;
  name: string | null;
  email: string | null;
}

export function newCharge(pi: Obj, card: Card, created: number): Obj {
  const amount = pi.amount as number;
  return ordered({
    id: randomId("ch"),
    object: "charge",
    amount,
    amount_captured: amount,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: randomId("txn"),
    billing_details: {
      address: { city: null, country: "JP", line1: null, line2: null, postal_code: null, state: null },
      email: card.email,
      name: card.name,
      phone: null,
      tax_id: null,
    },
    calculated_statement_descriptor: "VILLAGE OFFERING",
    captured: true,
    created,
    currency: pi.currency,
    customer: null,
    description: pi.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    fraud_details: {},
    livemode: false,
    metadata: clone(pi.metadata),
    on_behalf_of: null,
    outcome: {
      advice_code: null,
      network_advice_code: null,
      network_decline_code: null,
      network_status: "approved_by_network",
      reason: null,
      risk_level: "normal",
      risk_score: 20,
      seller_message: "Payment complete.",
      type: "authorized",
    },
    paid: true,
    payment_intent: pi.id,
    payment_method: pi.payment_method,
    payment_method_details: {
      card: {
        amount_authorized: amount,
        brand: "visa",
        checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: "pass" },
        country: "US",
        exp_month: card.expMonth,
        exp_year: card.expYear,
        fingerprint: createHash("sha256").update(card.last4).digest("hex").slice(0, 16),
        funding: "credit",
        installments: null,
        last4: card.last4,
        mandate: null,
        network: "visa",
        three_d_secure: null,
        wallet: null,
      },
      type: "card",
    },
    receipt_email: pi.receipt_email,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    review: null,
    shipping: null,
    source_transfer: null,
    statement_descriptor: pi.statement_descriptor,
    statement_descriptor_suffix: pi.statement_descriptor_suffix,
    status: "succeeded",
    transfer_data: null,
    transfer_group: null,
  });
}

export function newRefund(charge: Obj, amount: number, reason: string | null, metadata: Record<string, string>, created: number): Obj {
  return ordered({
    id: randomId("re"),
    object: "refund",
    amount,
    balance_transaction: randomId("txn"),
    charge: charge.id,
    created,
    currency: charge.currency,
    customer: null,
    customer_account: null,
    destination_details: {
      card: { reference: randomChars(23).replace(/[^0-9]/g, "7"), reference_status: "pending", reference_type: "acquirer_reference_number", type: "refund" },
      type: "card",
    },
    metadata,
    payment_intent: charge.payment_intent,
    payment_method: charge.payment_method,
    reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: "succeeded",
    transfer_reversal: null,
  });
}

const DISPUTE_FEE_JPY = 1500;
const EVIDENCE_FIELDS = [
  "access_activity_log",
  "billing_address",
  "cancellation_policy",
  "cancellation_policy_disclosure",
  "cancellation_rebuttal",
  "customer_communication",
  "customer_email_address",
  "customer_name",
  "customer_purchase_ip",
  "customer_signature",
  "duplicate_charge_documentation",
  "duplicate_charge_explanation",
  "duplicate_charge_id",
  "product_description",
  "receipt",
  "refund_policy",
  "refund_policy_disclosure",
  "refund_refusal_explanation",
  "service_date",
  "service_documentation",
  "shipping_address",
  "shipping_carrier",
  "shipping_date",
  "shipping_documentation",
  "shipping_tracking_number",
  "uncategorized_file",
  "uncategorized_text",
];

export function newDispute(charge: Obj, created: number): Obj {
  const id = randomId("dp");
  const amount = charge.amount as number;
  const evidence: Obj = Object.fromEntries(EVIDENCE_FIELDS.map((k) => [k, null]));
  evidence.enhanced_evidence = {};
  return ordered({
    id,
    object: "dispute",
    amount,
    balance_transactions: [
      ordered({
        id: randomId("txn"),
        object: "balance_transaction",
        amount: -amount,
        available_on: created,
        created,
        currency: charge.currency,
        description: `Chargeback withdrawal for ${charge.id as string}`,
        exchange_rate: null,
        fee: DISPUTE_FEE_JPY,
        fee_details: [{ amount: DISPUTE_FEE_JPY, application: null, currency: charge.currency, description: "Dispute fee", type: "stripe_fee" }],
        net: -amount - DISPUTE_FEE_JPY,
        reporting_category: "dispute",
        source: id,
        status: "available",
        type: "adjustment",
      }),
    ],
    charge: charge.id,
    created,
    currency: charge.currency,
    enhanced_eligibility_types: [],
    evidence: ordered(evidence),
    evidence_details: {
      due_by: created + 7 * 86_400,
      enhanced_eligibility: {},
      has_evidence: false,
      past_due: false,
      submission_count: 0,
    },
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    payment_intent: charge.payment_intent,
    payment_method_details: { card: { brand: "visa", case_type: "chargeback", network_reason_code: "10.4" }, type: "card" },
    reason: "fraudulent",
    status: "needs_response",
  });
}

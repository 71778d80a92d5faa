/**
 * Builders for the konbini and bank-transfer parts of PaymentIntents and their charges, in the shapes
 * of reference/schemas.json (payment_intent_next_action_konbini, payment_intent_next_action_display_bank_transfer_instructions,
 * funding_instructions_bank_transfer_zengin_record) and the stripe package's types.
 */
import { randomInt } from "node:crypto";
import { ordered, randomChars, type Obj } from "./objects";
import { newCharge } from "./payment-objects";

export type DeferredKind = "konbini" | "customer_balance";

export const KONBINI_STORES = ["familymart", "lawson", "ministop", "seicomart"] as const;
export type KonbiniStore = (typeof KONBINI_STORES)[number];

const TOKYO_OFFSET_S = 9 * 3600;

function digits(count: number): string {
  let out = "";
  for (let i = 0; i < count; i++) out += String(randomInt(10));
  return out;
}

/** 23:59:59 Tokyo time, `days` calendar days after the Tokyo date of `fromSeconds` (Stripe's expires_after_days). */
export function konbiniExpiresAt(fromSeconds: number, days: number): number {
  const tokyo = new Date((fromSeconds + TOKYO_OFFSET_S) * 1000);
  const endUtcAsTokyo = Date.UTC(tokyo.getUTCFullYear(), tokyo.getUTCMonth(), tokyo.getUTCDate() + days, 23, 59, 59) / 1000;
  return endUtcAsTokyo - TOKYO_OFFSET_S;
}

/** One confirmation number (11 digits) for the voucher and a payment code per store chain. */
export function konbiniNextAction(expiresAt: number, voucherUrl: string): Obj {
  const confirmation = digits(11);
  const stores = Object.fromEntries(KONBINI_STORES.map((store) => [store, { confirmation_number: confirmation, payment_code: digits(store === "seicomart" ? 6 : 12) }]));
  return {
    type: "konbini_display_details",
    konbini_display_details: { expires_at: expiresAt, hosted_voucher_url: voucherUrl, stores },
  };
}

const BRANCHES = ["サクラ", "ツバキ", "カエデ", "スミレ", "キキョウ", "アジサイ", "ヒマワリ", "モミジ"];

function jpAddress(): Obj {
  return { city: null, country: "JP", line1: null, line2: null, postal_code: null, state: null };
}

/** A customer's virtual account at the test bank (a zengin record); Stripe gives each customer one for all its transfers. */
export function newZenginAccount(): Obj {
  const branch = BRANCHES[randomInt(BRANCHES.length)] as string;
  return ordered({
    account_holder_address: jpAddress(),
    account_holder_name: "ストライプジャパン（カ",
    account_number: digits(7),
    account_type: "futsu",
    bank_address: jpAddress(),
    bank_code: "0999",
    bank_name: "テスト銀行",
    branch_code: digits(3),
    branch_name: `${branch}支店`,
  });
}

/** A reference for the transfer's memo field, unique per PaymentIntent. */
export function newTransferReference(): string {
  return randomChars(8)
    .toUpperCase()
    .replace(/[^0-9A-Z]/g, "7");
}

export function bankTransferNextAction(amountRemaining: number, account: Obj, instructionsUrl: string, reference: string): Obj {
  return {
    type: "display_bank_transfer_instructions",
    display_bank_transfer_instructions: {
      amount_remaining: amountRemaining,
      currency: "jpy",
      financial_addresses: [{ supported_networks: ["zengin"], type: "zengin", zengin: account }],
      hosted_instructions_url: instructionsUrl,
      reference,
      type: "jp_bank_transfer",
    },
  };
}

export function konbiniOptions(expiresAfterDays: number | null, expiresAt: number | null, productDescription: string | null): Obj {
  return { konbini: { confirmation_number: null, expires_after_days: expiresAfterDays, expires_at: expiresAt, product_description: productDescription } };
}

export function customerBalanceOptions(): Obj {
  return { customer_balance: { bank_transfer: { requested_address_types: ["zengin"], type: "jp_bank_transfer" }, funding_type: "bank_transfer" } };
}

export interface BillingDetails {
  email: string | null;
  name: string | null;
}

/** The successful charge of a paid konbini or bank-transfer PaymentIntent (no card, no risk assessment). */
export function newDeferredCharge(pi: Obj, kind: DeferredKind, billing: BillingDetails, created: number, store?: KonbiniStore): Obj {
  const charge = newCharge(pi, { last4: "0000", expMonth: 1, expYear: 2000, name: billing.name, email: billing.email }, created);
  return ordered({
    ...charge,
    calculated_statement_descriptor: null,
    customer: pi.customer ?? null,
    outcome: {
      advice_code: null,
      network_advice_code: null,
      network_decline_code: null,
      network_status: "approved_by_network",
      reason: null,
      risk_level: "not_assessed",
      seller_message: "Payment complete.",
      type: "authorized",
    },
    payment_method_details: kind === "konbini" ? { konbini: { store: { chain: store ?? null } }, type: "konbini" } : { customer_balance: {}, type: "customer_balance" },
  });
}

/** Card refunds go back to the card; konbini and bank-transfer refunds go out by bank transfer. */
export function refundDestination(charge: Obj): Obj | undefined {
  const type = (charge.payment_method_details as { type?: string } | null)?.type;
  if (type !== "konbini" && type !== "customer_balance") return undefined;
  return { jp_bank_transfer: { reference: null, reference_status: "pending" }, type: "jp_bank_transfer" };
}

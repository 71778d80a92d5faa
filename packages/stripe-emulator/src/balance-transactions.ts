/** Balance transactions of charges and refunds: the amount, Stripe's card fee and the net, derived from their source. */
import { ordered, type Obj } from "./objects";

/**
 * Stripe Japan's card rate, 3.6% of the amount with no fixed part, rounded to the nearest yen
 * (half up, as Stripe rounds its fees); a refund does not give the fee back.
 */
const CARD_FEE_PER_MILLE = 36;

export function cardFee(amount: number): number {
  return Math.floor((amount * CARD_FEE_PER_MILLE + 500) / 1000);
}

interface BalanceTransactionFields {
  id: string;
  amount: number;
  fee: number;
  feeDescription: string;
  created: number;
  currency: unknown;
  description: unknown;
  reportingCategory: "charge" | "refund";
  source: unknown;
}

function newBalanceTransaction(f: BalanceTransactionFields): Obj {
  return ordered({
    id: f.id,
    object: "balance_transaction",
    amount: f.amount,
    available_on: f.created,
    balance_type: "payments",
    created: f.created,
    currency: f.currency,
    description: f.description ?? null,
    exchange_rate: null,
    fee: f.fee,
    fee_details: f.fee ? [{ amount: f.fee, application: null, currency: f.currency, description: f.feeDescription, type: "stripe_fee" }] : [],
    net: f.amount - f.fee,
    reporting_category: f.reportingCategory,
    source: f.source,
    status: "available",
    type: f.reportingCategory,
  });
}

/** A charge's balance transaction: the amount in, the card fee out. Derived, so it never disagrees with its charge. */
export function chargeBalanceTransaction(charge: Obj): Obj {
  const amount = charge.amount as number;
  return newBalanceTransaction({
    id: charge.balance_transaction as string,
    amount,
    fee: cardFee(amount),
    feeDescription: "Stripe processing fees",
    created: charge.created as number,
    currency: charge.currency,
    description: charge.description,
    reportingCategory: "charge",
    source: charge.id,
  });
}

/** A refund's balance transaction: the amount back out, and no fee either way. */
export function refundBalanceTransaction(refund: Obj): Obj {
  return newBalanceTransaction({
    id: refund.balance_transaction as string,
    amount: -(refund.amount as number),
    fee: 0,
    feeDescription: "",
    created: refund.created as number,
    currency: refund.currency,
    description: `REFUND FOR CHARGE (${String(refund.charge)})`,
    reportingCategory: "refund",
    source: refund.id,
  });
}

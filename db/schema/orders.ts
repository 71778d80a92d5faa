import { sql } from "drizzle-orm";
import { bigserial, check, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { legalDocuments } from "./investors";
import { offerings } from "./offerings";

export const PAYMENT_METHODS = ["card", "stablecoin", "konbini", "bank_transfer"] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
/** The methods paid later, through a PaymentIntent with instructions (voucher or bank account). */
export const DEFERRED_METHODS = ["konbini", "bank_transfer"] as const;
export type DeferredMethod = (typeof DEFERRED_METHODS)[number];

/** What the buyer needs to pay a deferred payment, normalised from the processor's next_action. */
export type PaymentInstructions =
  | {
      method: "konbini";
      /** ISO time the voucher stops being payable. */
      expiresAt: string;
      /** The processor's printable voucher page. */
      voucherUrl: string | null;
      /** Per store chain: the number(s) the clerk or the store terminal asks for. */
      stores: { chain: "familymart" | "lawson" | "ministop" | "seicomart"; paymentCode: string | null; confirmationNumber: string | null }[];
    }
  | {
      method: "bank_transfer";
      /** ISO time the portal stops waiting for the transfer (the processor's transfer has no end of its own). */
      expiresAt: string;
      instructionsUrl: string | null;
      bankName: string;
      bankCode: string;
      branchName: string;
      branchCode: string;
      accountType: string;
      accountNumber: string;
      accountHolderName: string;
      /** Yen still to pay. */
      amountRemainingYen: number;
      reference: string | null;
    };

export const orderStatus = pgEnum("order_status", ["reserved", "awaiting_payment", "paid", "allocating", "allocated", "expired", "cancelled", "refunded", "disputed"]);

export const orders = pgTable(
  "orders",
  {
    id: uuid().primaryKey().defaultRandom(),
    /** Dense sequence number: the on-chain replay bitmap is keyed by it. */
    seq: bigserial({ mode: "number" }).notNull().unique(),
    userId: text()
      .notNull()
      .references(() => users.id),
    offeringId: uuid()
      .notNull()
      .references(() => offerings.id),
    units: integer().notNull(),
    amountYen: integer().notNull(),
    status: orderStatus().notNull().default("reserved"),
    disclosureDocumentId: uuid().references(() => legalDocuments.id),
    stripeCheckoutSessionId: text().unique(),
    /** Hosted checkout page, so an investor can return to an unpaid order. */
    checkoutUrl: text(),
    stripePaymentIntentId: text(),
    stripeChargeId: text(),
    reservationExpiresAt: timestamp({ withTimezone: true }).notNull(),
    /**
     * How the buyer pays: card (Stripe Checkout), a yen stablecoin settled on chain with the
     * allocation, or at a convenience store / by bank transfer (a Stripe PaymentIntent paid later).
     */
    paymentMethod: text({ enum: PAYMENT_METHODS }).notNull().default("card"),
    /** Konbini voucher or bank account to pay to, as the processor gave it (shown on the order page). */
    paymentInstructions: jsonb().$type<PaymentInstructions>(),
    /** Yen a bank transfer has brought to this order's payment so far (less than amountYen while underpaid). */
    receivedYen: integer().notNull().default(0),
    /** When the "payment due tomorrow" notice was sent (once). */
    paymentReminderSentAt: timestamp({ withTimezone: true }),
    /** The end of the cooling-off right (start of the Tokyo day after its last day); null: none. */
    coolingOffEndsAt: timestamp({ withTimezone: true }),
    /** When the investor cancelled within the cooling-off period; the refund and clawback follow. */
    cancelRequestedAt: timestamp({ withTimezone: true }),
    /** Units of this order taken from the offering's residents' tranche (given back with it). */
    residentUnits: integer().notNull().default(0),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index().on(table.userId, table.createdAt),
    index().on(table.offeringId, table.status),
    // The staff orders page pages through an issuer's orders, newest first.
    index().on(table.offeringId, table.createdAt),
    index().on(table.status, table.reservationExpiresAt),
    // Refunds and disputes find their order by the payment.
    index().on(table.stripePaymentIntentId),
    check("orders_units_positive", sql`${table.units} > 0`),
    check("orders_amount_positive", sql`${table.amountYen} > 0`),
    check("orders_resident_units_within", sql`${table.residentUnits} >= 0 and ${table.residentUnits} <= ${table.units}`),
    check("orders_received_yen_nonnegative", sql`${table.receivedYen} >= 0`),
  ],
);

export type Order = typeof orders.$inferSelect;
export type NewOrder = typeof orders.$inferInsert;

/** The journey of an order: one row per transition, with its time. */
export const orderEvents = pgTable(
  "order_events",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    orderId: uuid()
      .notNull()
      .references(() => orders.id),
    fromStatus: orderStatus(),
    toStatus: orderStatus().notNull(),
    detail: jsonb().$type<Record<string, unknown>>(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index().on(table.orderId, table.at)],
);

/** Every Stripe event applied, keyed by its id so a redelivery changes nothing. */
export const stripeEvents = pgTable("stripe_events", {
  id: text().primaryKey(),
  type: text().notNull(),
  /** What applying it did: applied, ignored, or an exception kept for staff. */
  outcome: text(),
  receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** The processor's customer of an investor (a bank transfer needs one: its virtual account is theirs). */
export const paymentCustomers = pgTable(
  "payment_customers",
  {
    userId: text()
      .notNull()
      .references(() => users.id),
    provider: text().notNull().default("stripe"),
    customerId: text().notNull().unique(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.provider] })],
);

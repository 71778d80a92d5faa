import { sql } from "drizzle-orm";
import { bigserial, check, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { legalDocuments } from "./investors";
import { offerings } from "./offerings";

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
    /** How the buyer pays: card (Stripe Checkout) or a yen stablecoin settled on chain with the allocation. */
    paymentMethod: text({ enum: ["card", "stablecoin"] })
      .notNull()
      .default("card"),
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

import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { offerings, villages } from "./offerings";
import { orders } from "./orders";

/**
 * Yen an investor has committed to one issuer in one Tokyo calendar year (orders in a committed
 * status). Kept by a trigger on orders, which also refuses any change that would pass the cap.
 */
export const investorCommitments = pgTable(
  "investor_commitments",
  {
    userId: text()
      .notNull()
      .references(() => users.id),
    villageId: uuid()
      .notNull()
      .references(() => villages.id),
    tokyoYear: integer().notNull(),
    committedYen: integer().notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.userId, table.villageId, table.tokyoYear] }), check("investor_commitments_nonnegative", sql`${table.committedYen} >= 0`)],
);

export const paymentExceptionKind = pgEnum("payment_exception_kind", [
  "unmatched_event",
  "amount_mismatch",
  "duplicate_payment",
  "late_payment_sold_out",
  "late_payment_over_cap",
  "underpaid_transfer",
  "unapplied_transfer",
  "late_payment_cancelled",
]);

export const paymentExceptionStatus = pgEnum("payment_exception_status", ["open", "topup_requested", "refund_queued", "refunded", "dismissed"]);

/**
 * A payment or signed event the portal could not apply to an order as it is: kept for staff, with
 * the money it holds, until it is refunded or dismissed with a note.
 */
export const paymentExceptions = pgTable(
  "payment_exceptions",
  {
    id: uuid().primaryKey().defaultRandom(),
    kind: paymentExceptionKind().notNull(),
    status: paymentExceptionStatus().notNull().default("open"),
    stripeEventId: text().notNull().unique(),
    eventType: text().notNull(),
    orderId: uuid().references(() => orders.id),
    offeringId: uuid().references(() => offerings.id),
    paymentIntentId: text(),
    /** The processor's customer whose cash balance holds the money (bank transfers): refunds come from there. */
    stripeCustomerId: text(),
    /** Set while a case that later events update is open (`unapplied:<customer>`, `underpaid:<order>`), null once it ends: one open case each. */
    openCaseKey: text().unique(),
    /** Yen received by this payment and not applied to an order (0 when no money is involved). */
    amountYen: integer().notNull().default(0),
    currency: text(),
    detail: jsonb().$type<Record<string, unknown>>(),
    refundId: text(),
    resolvedBy: text().references(() => users.id),
    resolutionNote: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp({ withTimezone: true }),
  },
  (table) => [index().on(table.status, table.createdAt), index().on(table.paymentIntentId), index().on(table.orderId)],
);

export type PaymentException = typeof paymentExceptions.$inferSelect;
export type NewPaymentException = typeof paymentExceptions.$inferInsert;

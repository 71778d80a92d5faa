import { bigserial, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { offerings } from "./offerings";
import { orders } from "./orders";

export const ledgerKind = pgEnum("ledger_kind", [
  "yen_received",
  "yen_refunded",
  "tokens_allocated",
  "tokens_clawed_back",
  "tokens_frozen",
  "tokens_unfrozen",
  "tokens_transferred",
  "tokens_redeemed",
  "coupon_paid",
  "principal_paid",
  "tax_withheld",
  "payout_carried_over",
]);

/** The kinds that are money the investor paid the issuer (or got back): what "raised" sums. */
export const SALE_YEN_KINDS = ["yen_received", "yen_refunded"] as const;

/** Append-only: corrections are new entries, never updates (enforced by a trigger in the migration). */
export const ledgerEntries = pgTable(
  "ledger_entries",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    kind: ledgerKind().notNull(),
    offeringId: uuid()
      .notNull()
      .references(() => offerings.id),
    orderId: uuid().references(() => orders.id),
    userId: text().references(() => users.id),
    /**
     * Integer yen. Sale money is signed (positive received, negative refunded); bond payouts
     * (coupon_paid net, principal_paid, tax_withheld with detail.tax national|local,
     * payout_carried_over) are the positive amount of that kind.
     */
    yen: integer().notNull().default(0),
    /** Signed units: positive issued, negative clawed back or redeemed. */
    units: integer().notNull().default(0),
    detail: jsonb().$type<Record<string, unknown>>(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index().on(table.offeringId, table.kind), index().on(table.orderId), index().on(table.userId)],
);

export type LedgerEntry = typeof ledgerEntries.$inferSelect;

import { bigserial, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { offerings } from "./offerings";
import { orders } from "./orders";

export const ledgerKind = pgEnum("ledger_kind", ["yen_received", "yen_refunded", "tokens_allocated", "tokens_clawed_back", "tokens_frozen", "tokens_unfrozen", "tokens_transferred"]);

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
    /** Signed integer yen: positive received, negative refunded. */
    yen: integer().notNull().default(0),
    /** Signed units: positive issued, negative clawed back. */
    units: integer().notNull().default(0),
    detail: jsonb().$type<Record<string, unknown>>(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index().on(table.offeringId, table.kind), index().on(table.orderId), index().on(table.userId)],
);

export type LedgerEntry = typeof ledgerEntries.$inferSelect;

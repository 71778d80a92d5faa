import { sql } from "drizzle-orm";
import { bigint, check, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { orders } from "./orders";

export const chainTxStatus = pgEnum("chain_tx_status", ["pending", "sent", "confirmed", "failed"]);

/** The durable signer queue: one row per transaction, nonce assigned in PostgreSQL. */
export const chainTransactions = pgTable(
  "chain_transactions",
  {
    id: uuid().primaryKey().defaultRandom(),
    signer: text().notNull(),
    chainId: integer().notNull(),
    nonce: integer(),
    kind: text().notNull(),
    rawTransaction: text(),
    txHash: text(),
    status: chainTxStatus().notNull().default("pending"),
    blockNumber: bigint({ mode: "number" }),
    error: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex().on(table.signer, table.chainId, table.nonce),
    index().on(table.status, table.createdAt),
  ],
);

export const allocations = pgTable(
  "allocations",
  {
    orderId: uuid()
      .primaryKey()
      .references(() => orders.id),
    units: integer().notNull(),
    toAddress: text().notNull(),
    chainTransactionId: uuid().references(() => chainTransactions.id),
    allocatedAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    index().on(table.chainTransactionId),
    check("allocations_units_positive", sql`${table.units} > 0`),
  ],
);

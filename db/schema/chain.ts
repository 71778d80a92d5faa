import { sql } from "drizzle-orm";
import { bigint, check, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { offerings } from "./offerings";
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
    /** What the transaction does (contract, function, arguments), to rebuild it on a fee bump. */
    payload: jsonb(),
    rawTransaction: text(),
    txHash: text(),
    status: chainTxStatus().notNull().default("pending"),
    blockNumber: bigint({ mode: "number" }),
    error: text(),
    attempts: integer().notNull().default(0),
    maxFeePerGas: text(),
    maxPriorityFeePerGas: text(),
    sentAt: timestamp({ withTimezone: true }),
    confirmedAt: timestamp({ withTimezone: true }),
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

/** Each comparison of the chain with the database, newest shown on the transparency page. */
export const reconciliations = pgTable(
  "reconciliations",
  {
    id: uuid().primaryKey().defaultRandom(),
    offeringId: uuid().references(() => offerings.id),
    status: text({ enum: ["ok", "mismatch", "error"] }).notNull(),
    supplyChain: bigint({ mode: "number" }),
    supplyDb: bigint({ mode: "number" }),
    holdersChecked: integer().notNull().default(0),
    mismatches: jsonb().notNull().default([]),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index().on(table.at)],
);

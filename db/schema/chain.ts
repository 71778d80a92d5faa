import { sql } from "drizzle-orm";
import { bigint, check, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { Address, Hex } from "viem";
import { users } from "./auth";
import { offerings } from "./offerings";
import { orders } from "./orders";

export const chainTxStatus = pgEnum("chain_tx_status", ["pending", "sent", "confirmed", "failed"]);

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * chain_transactions.payload: what the transaction does, readable by staff (contract, function,
 * arguments), the exact calldata, and what it is for (`ref`). Earlier signed versions of a
 * re-sent transaction are kept in `replaced`, since any one of them may be the one that is mined.
 */
export type TxPayload = {
  contract: "VillageToken" | "YenStablecoin" | "VillageSettlement" | "none";
  functionName: string;
  args: Json[];
  to: Address | null;
  data: Hex;
  ref: { [key: string]: Json };
  /** Wei sent with the call (decimal string): only a gas top-up of a custodial wallet sends any. */
  value?: string;
  replaced?: { hash: Hex; raw: Hex }[];
  createdAddress?: Address;
  /** A failed transaction staff dealt with: retried (as a new row or job) or given up. */
  resolution?: { action: "retried" | "given_up"; by: string; at: string; reason?: string };
};

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
    payload: jsonb().$type<TxPayload>(),
    rawTransaction: text(),
    txHash: text(),
    status: chainTxStatus().notNull().default("pending"),
    blockNumber: bigint({ mode: "number" }),
    /** The mined block's timestamp, so a replay into a fresh dev chain can keep the chain's dates. */
    blockTime: timestamp({ withTimezone: true }),
    error: text(),
    attempts: integer().notNull().default(0),
    maxFeePerGas: text(),
    maxPriorityFeePerGas: text(),
    sentAt: timestamp({ withTimezone: true }),
    confirmedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex().on(table.signer, table.chainId, table.nonce), index().on(table.status, table.createdAt)],
);

export type ChainTransaction = typeof chainTransactions.$inferSelect;

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
  (table) => [index().on(table.chainTransactionId), check("allocations_units_positive", sql`${table.units} > 0`)],
);

export type Allocation = typeof allocations.$inferSelect;

/** A holder whose balance on chain differs from the database. */
export type HolderMismatch = { offering: string; address: string; chain: number; db: number };
/** reconciliations.mismatches: the holders that differ, or why the offering could not be compared. */
export type ReconciliationMismatch = HolderMismatch | { error: string };

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
    mismatches: jsonb().$type<ReconciliationMismatch[]>().notNull().default([]),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index().on(table.at)],
);

export type Reconciliation = typeof reconciliations.$inferSelect;

/**
 * A forced transfer (recovery of a lost wallet to the investor's new wallet): asked by one staff
 * member with a reason, approved by a second before it is queued on chain.
 */
export const forcedTransferRequests = pgTable(
  "forced_transfer_requests",
  {
    id: uuid().primaryKey().defaultRandom(),
    offeringId: uuid()
      .notNull()
      .references(() => offerings.id),
    /** The holder whose wallet is recovered, when it is an investor of the portal. */
    holderId: text().references(() => users.id),
    fromAddress: text().notNull(),
    /** Null until approval when the holder's lost wallet is replaced then (lib/chain/forced-transfer.ts). */
    toAddress: text(),
    units: integer().notNull(),
    reason: text().notNull(),
    status: text({ enum: ["pending", "queued", "done", "failed", "rejected"] })
      .notNull()
      .default("pending"),
    requestedBy: text()
      .notNull()
      .references(() => users.id),
    requestedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    decidedBy: text().references(() => users.id),
    decidedAt: timestamp({ withTimezone: true }),
    chainTransactionId: uuid().references(() => chainTransactions.id),
  },
  (table) => [
    index().on(table.offeringId, table.status),
    check("forced_transfer_units_positive", sql`${table.units} > 0`),
    // Four eyes: whoever decides is not who asked.
    check("forced_transfer_four_eyes", sql`${table.decidedBy} IS NULL OR ${table.decidedBy} <> ${table.requestedBy}`),
  ],
);

export type ForcedTransferRequest = typeof forcedTransferRequests.$inferSelect;

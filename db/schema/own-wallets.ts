import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { chainTransactions } from "./chain";
import { offerings } from "./offerings";
import { orders } from "./orders";

/**
 * An investor's own wallets (linked by a Sign-In-with-Ethereum signature), their approval per
 * offering for that token's allowlist, withdrawals from the custodial wallet to them, and
 * payments in a yen stablecoin settled against the order's tokens in one transaction.
 */

/** One-time SIWE nonces: issued to a signed-in investor, used at most once, expiring. */
export const siweNonces = pgTable(
  "siwe_nonces",
  {
    nonce: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    issuedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
  },
  (table) => [index().on(table.userId, table.issuedAt)],
);

/** An address the investor proved is theirs. An active address belongs to one investor only. */
export const linkedWallets = pgTable(
  "linked_wallets",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: text()
      .notNull()
      .references(() => users.id),
    /** EIP-55 checksummed. */
    address: text().notNull(),
    status: text({ enum: ["active", "unlinked"] })
      .notNull()
      .default("active"),
    /** The signed EIP-4361 message and its signature: the proof, kept. */
    siweMessage: text().notNull(),
    signature: text().notNull(),
    linkedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    unlinkedAt: timestamp({ withTimezone: true }),
  },
  (table) => [uniqueIndex("linked_wallets_active_address").on(sql`lower(${table.address})`).where(sql`${table.status} = 'active'`), index().on(table.userId, table.status)],
);

export type LinkedWallet = typeof linkedWallets.$inferSelect;

/**
 * Staff of the offering's issuer approve a linked wallet for that token's allowlist (the same
 * compliance step as a custodial wallet); the allowlisting and, after an unlink, the removal are
 * queued on chain once each (the transaction ids are set once, in the transaction that queues them).
 */
export const linkedWalletApprovals = pgTable(
  "linked_wallet_approvals",
  {
    id: uuid().primaryKey().defaultRandom(),
    linkedWalletId: uuid()
      .notNull()
      .references(() => linkedWallets.id),
    offeringId: uuid()
      .notNull()
      .references(() => offerings.id),
    status: text({ enum: ["requested", "approved", "rejected", "removed"] })
      .notNull()
      .default("requested"),
    requestedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    decidedBy: text().references(() => users.id),
    decidedAt: timestamp({ withTimezone: true }),
    reason: text(),
    allowlistTxId: uuid().references(() => chainTransactions.id),
    allowlistedAt: timestamp({ withTimezone: true }),
    delistTxId: uuid().references(() => chainTransactions.id),
    delistedAt: timestamp({ withTimezone: true }),
  },
  (table) => [uniqueIndex().on(table.linkedWalletId, table.offeringId), index().on(table.offeringId, table.status)],
);

export type LinkedWalletApproval = typeof linkedWalletApprovals.$inferSelect;

/**
 * Tokens moved from the custodial wallet to a linked, allowlisted address: requested (units
 * counted against the daily limit), submitted (the custodial key's transfer is in the signer
 * queue, set once), confirmed or failed. `requestKey` makes a form sent twice one withdrawal.
 */
export const withdrawals = pgTable(
  "withdrawals",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: text()
      .notNull()
      .references(() => users.id),
    offeringId: uuid()
      .notNull()
      .references(() => offerings.id),
    linkedWalletId: uuid()
      .notNull()
      .references(() => linkedWallets.id),
    fromAddress: text().notNull(),
    toAddress: text().notNull(),
    units: integer().notNull(),
    status: text({ enum: ["requested", "submitted", "confirmed", "failed"] })
      .notNull()
      .default("requested"),
    requestKey: text().notNull().unique(),
    gasTopupTxId: uuid().references(() => chainTransactions.id),
    chainTransactionId: uuid().references(() => chainTransactions.id),
    error: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    confirmedAt: timestamp({ withTimezone: true }),
  },
  (table) => [index().on(table.userId, table.offeringId, table.createdAt), index().on(table.status), check("withdrawals_units_positive", sql`${table.units} > 0`)],
);

export type Withdrawal = typeof withdrawals.$inferSelect;

/** The buyer's signed stablecoin authorisation (EIP-3009 or EIP-2612), as submitted. */
export type StablecoinAuthorization = {
  kind: "eip3009" | "eip2612";
  from: string;
  to: string;
  /** Base units of the stablecoin (decimal string). */
  value: string;
  validAfter: string;
  /** EIP-3009 validBefore, or the permit's deadline. */
  validBefore: string;
  /** EIP-3009 nonce (bytes32), or the permit nonce as a decimal string. */
  nonce: string;
  signature: string;
};

/**
 * A stablecoin payment of an order, settled with its allocation in one transaction. At most one
 * is submitted (in flight) per order; a failed one leaves the order reserved until it expires.
 */
export const stablecoinPayments = pgTable(
  "stablecoin_payments",
  {
    id: uuid().primaryKey().defaultRandom(),
    orderId: uuid()
      .notNull()
      .references(() => orders.id),
    payer: text().notNull(),
    stablecoin: text().notNull(),
    /** Base units (decimal string): the order's yen × 10^decimals. */
    amount: text().notNull(),
    authorization: jsonb().$type<StablecoinAuthorization>().notNull(),
    status: text({ enum: ["submitted", "confirmed", "failed"] })
      .notNull()
      .default("submitted"),
    chainTransactionId: uuid().references(() => chainTransactions.id),
    error: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    decidedAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    uniqueIndex("stablecoin_payments_one_in_flight").on(table.orderId).where(sql`${table.status} = 'submitted'`),
    uniqueIndex("stablecoin_payments_one_confirmed").on(table.orderId).where(sql`${table.status} = 'confirmed'`),
    index().on(table.status),
  ],
);

export type StablecoinPayment = typeof stablecoinPayments.$inferSelect;

/** Contracts the portal deploys once per chain (the dev chain's stablecoin and settlement contract). */
export const platformContracts = pgTable(
  "platform_contracts",
  {
    chainId: integer().notNull(),
    name: text({ enum: ["stablecoin", "settlement"] }).notNull(),
    address: text().notNull(),
    detail: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.chainId, table.name] })],
);

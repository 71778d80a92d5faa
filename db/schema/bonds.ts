import { sql } from "drizzle-orm";
import { type AnyPgColumn, bigint, bigserial, check, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { chainTransactions } from "./chain";
import { offerings, villages } from "./offerings";

/**
 * The terms a municipal bond offering has besides every offering's (住民参加型市場公募地方債):
 * face value and issue price per unit, the coupon, its dates and the record-date rule. Dates are
 * calendar dates in Tokyo; the payment schedule is generated from them (lib/bonds).
 */
export const bondTerms = pgTable(
  "bond_terms",
  {
    offeringId: uuid()
      .primaryKey()
      .references(() => offerings.id),
    faceValueYen: integer().notNull().default(10_000),
    issuePriceYen: integer().notNull(),
    /** Annual coupon rate in basis points (0.45% = 45). */
    couponRateBp: integer().notNull(),
    couponsPerYear: integer().notNull().default(2),
    /** Interest accrues from this date (the issue date). */
    interestFrom: date({ mode: "string" }).notNull(),
    /** The first coupon date before any business-day move; the rest follow by the frequency. */
    firstCouponDate: date({ mode: "string" }).notNull(),
    maturityDate: date({ mode: "string" }).notNull(),
    /** The record date is this many bank business days before each payment date. */
    recordDateBusinessDays: integer().notNull().default(1),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check("bond_terms_face_positive", sql`${table.faceValueYen} > 0`),
    check("bond_terms_issue_at_or_below_par", sql`${table.issuePriceYen} > 0 AND ${table.issuePriceYen} <= ${table.faceValueYen}`),
    check("bond_terms_rate", sql`${table.couponRateBp} >= 0 AND ${table.couponRateBp} <= 2000`),
    check("bond_terms_frequency", sql`${table.couponsPerYear} IN (1, 2, 4, 12)`),
    check("bond_terms_dates", sql`${table.interestFrom} < ${table.firstCouponDate} AND ${table.firstCouponDate} <= ${table.maturityDate}`),
    check("bond_terms_record_days", sql`${table.recordDateBusinessDays} BETWEEN 0 AND 10`),
  ],
);

export type BondTerms = typeof bondTerms.$inferSelect;
export type NewBondTerms = typeof bondTerms.$inferInsert;

/**
 * The bank account an investor has registered for payouts (coupons, redemptions). A change adds a
 * row and ends the previous one, so a past payout still shows where it went.
 */
export const payoutBankAccounts = pgTable(
  "payout_bank_accounts",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** Zengin bank code (4 digits) and branch code (3 digits), from the zengin-code list. */
    bankCode: text().notNull(),
    branchCode: text().notNull(),
    accountType: text({ enum: ["ordinary", "current", "savings"] }).notNull(),
    accountNumber: text().notNull(),
    /** Holder name in full-width katakana, as the bank has it. */
    holderNameKana: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    uniqueIndex("payout_bank_accounts_current").on(table.userId).where(sql`${table.endedAt} IS NULL`),
    index().on(table.userId, table.createdAt),
    check("payout_bank_accounts_codes", sql`${table.bankCode} ~ '^[0-9]{4}$' AND ${table.branchCode} ~ '^[0-9]{3}$' AND ${table.accountNumber} ~ '^[0-9]{7}$'`),
  ],
);

export type PayoutBankAccount = typeof payoutBankAccounts.$inferSelect;

/**
 * The issuer's own bank account that coupon transfers are paid from, and its requester code at
 * that bank: the header record of a Zengin general-transfer file (総合振込) names them.
 */
export const issuerPayoutSettings = pgTable(
  "issuer_payout_settings",
  {
    villageId: uuid()
      .primaryKey()
      .references(() => villages.id),
    /** 委託者コード: the 10-digit code the bank gave the issuer for general transfers. */
    requesterCode: text().notNull(),
    /** 委託者名 in half-width-convertible katakana (at most 40 characters once converted). */
    requesterNameKana: text().notNull(),
    bankCode: text().notNull(),
    branchCode: text().notNull(),
    accountType: text({ enum: ["ordinary", "current"] }).notNull(),
    accountNumber: text().notNull(),
    updatedBy: text().references(() => users.id),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check(
      "issuer_payout_settings_codes",
      sql`${table.requesterCode} ~ '^[0-9]{10}$' AND ${table.bankCode} ~ '^[0-9]{4}$' AND ${table.branchCode} ~ '^[0-9]{3}$' AND ${table.accountNumber} ~ '^[0-9]{7}$'`,
    ),
  ],
);

export type IssuerPayoutSettings = typeof issuerPayoutSettings.$inferSelect;

/** A holder whose units at the record date differ between the chain and the ledger. */
export type SnapshotMismatch = { address: string; userId: string | null; chain: number; ledger: number };

/**
 * Who held the bond at the end of a record date (Tokyo), read from the chain at the last block
 * mined before that moment and checked against the ledger. Only a `frozen` snapshot can be paid
 * from; a `mismatch` names the holders that differ and stops the coupon run until retaken.
 */
export const recordSnapshots = pgTable(
  "record_snapshots",
  {
    id: uuid().primaryKey().defaultRandom(),
    offeringId: uuid()
      .notNull()
      .references(() => offerings.id),
    /**
     * The bond payment (after the business-day move) this snapshot decides who is owed; null for a
     * holders' snapshot of a village token (votes, perks), which is keyed by its record date alone.
     */
    paymentDate: date({ mode: "string" }),
    recordDate: date({ mode: "string" }).notNull(),
    /** The end of the record date in Tokyo: the snapshot is of the last block before it. */
    cutoffAt: timestamp({ withTimezone: true }).notNull(),
    blockNumber: bigint({ mode: "number" }),
    status: text({ enum: ["frozen", "mismatch", "error"] }).notNull(),
    supplyChain: bigint({ mode: "number" }),
    supplyLedger: bigint({ mode: "number" }),
    holders: integer().notNull().default(0),
    mismatches: jsonb().$type<SnapshotMismatch[]>().notNull().default([]),
    error: text(),
    takenBy: text().references(() => users.id),
    takenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index().on(table.offeringId, table.paymentDate),
    // One frozen snapshot per payment: a mismatch may be retaken, a frozen one is final.
    uniqueIndex("record_snapshots_frozen_once").on(table.offeringId, table.paymentDate).where(sql`${table.status} = 'frozen'`),
    uniqueIndex("record_snapshots_frozen_record_date_once").on(table.offeringId, table.recordDate).where(sql`${table.status} = 'frozen' AND ${table.paymentDate} IS NULL`),
  ],
);

export type RecordSnapshot = typeof recordSnapshots.$inferSelect;

/** The holdings of a frozen snapshot, one row per wallet that held units at the cutoff. */
export const snapshotHoldings = pgTable(
  "snapshot_holdings",
  {
    snapshotId: uuid()
      .notNull()
      .references(() => recordSnapshots.id),
    address: text().notNull(),
    userId: text().references(() => users.id),
    units: integer().notNull(),
  },
  (table) => [primaryKey({ columns: [table.snapshotId, table.address] }), index().on(table.userId), check("snapshot_holdings_units_positive", sql`${table.units} > 0`)],
);

export type SnapshotHolding = typeof snapshotHoldings.$inferSelect;

/**
 * One payment date of a bond: prepared by one staff member from a frozen snapshot, approved by a
 * second (four eyes), then paid by bank transfer. `final` is the maturity payment: the last
 * coupon, the principal, and the burn of every holder's units.
 */
export const couponRuns = pgTable(
  "coupon_runs",
  {
    id: uuid().primaryKey().defaultRandom(),
    offeringId: uuid()
      .notNull()
      .references(() => offerings.id),
    snapshotId: uuid()
      .notNull()
      .references(() => recordSnapshots.id),
    /** 1-based position of the payment in the bond's schedule. */
    paymentNumber: integer().notNull(),
    paymentDate: date({ mode: "string" }).notNull(),
    kind: text({ enum: ["coupon", "final"] }).notNull(),
    status: text({ enum: ["prepared", "approved", "paid", "cancelled"] })
      .notNull()
      .default("prepared"),
    holders: integer().notNull().default(0),
    grossYen: bigint({ mode: "number" }).notNull().default(0),
    nationalTaxYen: bigint({ mode: "number" }).notNull().default(0),
    localTaxYen: bigint({ mode: "number" }).notNull().default(0),
    netYen: bigint({ mode: "number" }).notNull().default(0),
    principalYen: bigint({ mode: "number" }).notNull().default(0),
    /** Net yen of earlier unpaid payments this run pays again (carry-over). */
    carriedInYen: bigint({ mode: "number" }).notNull().default(0),
    preparedBy: text()
      .notNull()
      .references(() => users.id),
    preparedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    approvedBy: text().references(() => users.id),
    approvedAt: timestamp({ withTimezone: true }),
    /** When the transfer file was first downloaded (the transfer date in it is the payment date). */
    fileCreatedAt: timestamp({ withTimezone: true }),
    closedAt: timestamp({ withTimezone: true }),
    cancelledBy: text().references(() => users.id),
    cancelReason: text(),
  },
  (table) => [
    index().on(table.offeringId, table.paymentDate),
    uniqueIndex("coupon_runs_one_per_payment").on(table.offeringId, table.paymentNumber).where(sql`${table.status} <> 'cancelled'`),
    check("coupon_runs_four_eyes", sql`${table.approvedBy} IS NULL OR ${table.approvedBy} <> ${table.preparedBy}`),
    check("coupon_runs_totals", sql`${table.grossYen} = ${table.netYen} + ${table.nationalTaxYen} + ${table.localTaxYen}`),
  ],
);

export type CouponRun = typeof couponRuns.$inferSelect;

/**
 * What one holder is owed by one run. `waiting_account`: no payout bank account yet (it waits,
 * never disappears); `in_file`: in the run's transfer file; `failed`: the transfer bounced and the
 * next run carries it (`carriedFromId` on the new row, `carried` on this one).
 */
export const couponPayments = pgTable(
  "coupon_payments",
  {
    id: uuid().primaryKey().defaultRandom(),
    runId: uuid()
      .notNull()
      .references(() => couponRuns.id),
    userId: text()
      .notNull()
      .references(() => users.id),
    units: integer().notNull(),
    grossYen: integer().notNull(),
    nationalTaxYen: integer().notNull(),
    localTaxYen: integer().notNull(),
    netYen: integer().notNull(),
    principalYen: bigint({ mode: "number" }).notNull().default(0),
    /** An unpaid payment of an earlier run that this row pays again. */
    carriedFromId: uuid().references((): AnyPgColumn => couponPayments.id),
    status: text({ enum: ["waiting_account", "in_file", "paid", "failed", "carried"] }).notNull(),
    bankAccountId: uuid().references(() => payoutBankAccounts.id),
    markedBy: text().references(() => users.id),
    markedAt: timestamp({ withTimezone: true }),
    failureReason: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index().on(table.runId, table.status),
    index().on(table.userId, table.createdAt),
    uniqueIndex("coupon_payments_carried_once").on(table.carriedFromId),
    check("coupon_payments_totals", sql`${table.grossYen} = ${table.netYen} + ${table.nationalTaxYen} + ${table.localTaxYen}`),
    check("coupon_payments_non_negative", sql`${table.grossYen} >= 0 AND ${table.nationalTaxYen} >= 0 AND ${table.localTaxYen} >= 0 AND ${table.netYen} >= 0 AND ${table.principalYen} >= 0`),
  ],
);

export type CouponPayment = typeof couponPayments.$inferSelect;

/**
 * The burn of one holder's units at redemption, keyed on chain by `seq` in the contract's
 * redeem-once bitmap (as orders key allocations), so a job that runs twice burns once.
 */
export const redemptionBurns = pgTable(
  "redemption_burns",
  {
    id: uuid().primaryKey().defaultRandom(),
    seq: bigserial({ mode: "number" }).notNull().unique(),
    runId: uuid()
      .notNull()
      .references(() => couponRuns.id),
    offeringId: uuid()
      .notNull()
      .references(() => offerings.id),
    userId: text().references(() => users.id),
    address: text().notNull(),
    units: integer().notNull(),
    chainTransactionId: uuid().references(() => chainTransactions.id),
    burnedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex().on(table.runId, table.address), index().on(table.chainTransactionId), check("redemption_burns_units_positive", sql`${table.units} > 0`)],
);

export type RedemptionBurn = typeof redemptionBurns.$inferSelect;

import { sql } from "drizzle-orm";
import { check, date, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { offerings } from "./offerings";

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

import { boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { users } from "./auth";
import { orders } from "./orders";
import { projectUpdates } from "./projects";

/** What a notice is about: a published project update, or something that happened to the investor's money or identity check. */
export const NOTICE_KINDS = [
  "update",
  "payment_received",
  "tokens_allocated",
  "order_refunded",
  "order_expired",
  "identity_approved",
  "identity_rejected",
  "coupon_scheduled",
  "coupon_waiting_account",
  "coupon_paid",
  "coupon_failed",
  "perk_claimed",
  "perk_tokens_burned",
  "perk_shipped",
  "perk_cancelled",
  "perk_tokens_restored",
  "vote_opened",
  "wallet_link_approved",
  "wallet_link_rejected",
  "withdrawal_sent",
  "withdrawal_failed",
  "stablecoin_payment_failed",
  "payment_instructions",
  "payment_due_soon",
  "payment_underpaid",
  "payment_topup_requested",
  "order_cancelled_cooling_off",
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];
/** What a notice shows besides its kind: the transaction of allocated tokens, the reason of a rejection, a coupon's amounts (amountYen is the net). */
export type NoticeDetail = {
  txHash?: string;
  explorerUrl?: string;
  reason?: string;
  units?: number;
  amountYen?: number;
  offeringNameJa?: string;
  offeringNameEn?: string;
  runId?: string;
  paymentDate?: string;
  nationalTaxYen?: number;
  localTaxYen?: number;
  principalYen?: number;
  /** The payout account, bank and branch named and the number masked. */
  bankAccount?: string;
  perkId?: string;
  perkClaimId?: string;
  perkTitleJa?: string;
  perkTitleEn?: string;
  trackingNumber?: string;
  voteId?: string;
  questionJa?: string;
  questionEn?: string;
  endsAt?: string;
  address?: string;
  withdrawalId?: string;
  orderId?: string;
  /** Deferred payments: konbini or bank_transfer, what arrived and what is still to pay. */
  paymentMethod?: string;
  receivedYen?: number;
  remainingYen?: number;
  linkedWalletId?: string;
};

/** One per holder and published update, or per investor and event of theirs; also the outbox of its email. */
export const notifications = pgTable(
  "notifications",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text({ enum: NOTICE_KINDS }).notNull().default("update"),
    updateId: uuid().references(() => projectUpdates.id),
    orderId: uuid().references(() => orders.id),
    detail: jsonb().$type<NoticeDetail>().notNull().default({}),
    emailStatus: text({ enum: ["pending", "sent", "skipped", "failed"] }).notNull(),
    emailAttempts: integer().notNull().default(0),
    emailedAt: timestamp({ withTimezone: true }),
    readAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex().on(table.userId, table.updateId),
    // An order's notice of each kind is given once, however often its event is delivered.
    uniqueIndex("notifications_order_notice").on(table.userId, table.kind, table.orderId),
    index().on(table.userId, table.createdAt),
    check("notifications_update_kind", sql`(${table.kind} = 'update') = (${table.updateId} IS NOT NULL)`),
    index("notifications_email_pending").on(table.createdAt).where(sql`${table.emailStatus} = 'pending'`),
  ],
);

/** A holder's choice about notification email; no row means email is on. */
export const notificationPreferences = pgTable("notification_preferences", {
  userId: text()
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  emailUpdates: boolean().notNull().default(true),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

import { sql } from "drizzle-orm";
import { bigint, boolean, check, date, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { recordSnapshots } from "./bonds";
import { chainTransactions } from "./chain";
import { images } from "./media";
import { offerings } from "./offerings";
import { projects } from "./projects";

/**
 * Holders' village (village tokens): perks a holder earns by holding at a record date or by giving
 * up tokens, and votes of the holders at a record date. Record dates are Tokyo calendar dates; who
 * held what then is a frozen record_snapshots row (payment_date null) taken from the chain.
 */

export const PERK_KINDS = ["holding", "redeeming"] as const;
export type PerkKind = (typeof PERK_KINDS)[number];

/** One perk for one period: a holding perk repeats by a new perk with the next record date. */
export const perks = pgTable(
  "perks",
  {
    id: uuid().primaryKey().defaultRandom(),
    offeringId: uuid()
      .notNull()
      .references(() => offerings.id),
    kind: text({ enum: PERK_KINDS }).notNull(),
    titleJa: text().notNull(),
    titleEn: text().notNull(),
    descriptionJa: text().notNull(),
    descriptionEn: text().notNull(),
    photoImageId: uuid().references(() => images.id),
    /** Holding: at least this many units at the end of the record date. */
    minUnits: integer(),
    recordDate: date({ mode: "string" }),
    /** Redeeming: units given up (burned) per claim. */
    costUnits: integer(),
    stock: integer().notNull(),
    /** Claims not cancelled; never above stock (the same conditional update as the sale cap). */
    claimed: integer().notNull().default(0),
    claimOpensAt: timestamp({ withTimezone: true }).notNull(),
    claimClosesAt: timestamp({ withTimezone: true }).notNull(),
    needsAddress: boolean().notNull().default(true),
    /** Withdrawn: no new claims; existing claims stay and are shipped or cancelled. */
    status: text({ enum: ["open", "withdrawn"] })
      .notNull()
      .default("open"),
    createdBy: text().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index().on(table.offeringId),
    check("perks_stock_bounds", sql`${table.stock} >= 0 AND ${table.claimed} >= 0 AND ${table.claimed} <= ${table.stock}`),
    check("perks_window", sql`${table.claimClosesAt} > ${table.claimOpensAt}`),
    check(
      "perks_kind_terms",
      sql`(${table.kind} = 'holding' AND ${table.minUnits} > 0 AND ${table.recordDate} IS NOT NULL AND ${table.costUnits} IS NULL)
       OR (${table.kind} = 'redeeming' AND ${table.costUnits} > 0 AND ${table.minUnits} IS NULL AND ${table.recordDate} IS NULL)`,
    ),
  ],
);

export type Perk = typeof perks.$inferSelect;

export const PERK_CLAIM_STATUSES = ["claimed", "shipped", "cancelled"] as const;
export type PerkClaimStatus = (typeof PERK_CLAIM_STATUSES)[number];

/**
 * A holder's claim of a perk, with the delivery address given for it. A redeeming claim burns
 * `units` from `fromAddress` keyed by `burnSeq` in the contract's redeem-once bitmap (the same
 * sequence as bond redemptions, so keys never collide); cancelled after the burn, the units come
 * back by an allocation keyed by `restoreSeq`, drawn from the orders' sequence for the same reason.
 */
export const perkClaims = pgTable(
  "perk_claims",
  {
    id: uuid().primaryKey().defaultRandom(),
    perkId: uuid()
      .notNull()
      .references(() => perks.id),
    userId: text()
      .notNull()
      .references(() => users.id),
    status: text({ enum: PERK_CLAIM_STATUSES }).notNull().default("claimed"),
    /** Holding: units at the record date; redeeming: units given up. */
    units: integer().notNull(),
    recipientName: text(),
    recipientKana: text(),
    postalCode: text(),
    address: text(),
    phone: text(),
    burnSeq: bigint({ mode: "number" }).unique(),
    fromAddress: text(),
    burnChainTransactionId: uuid().references(() => chainTransactions.id),
    burnedAt: timestamp({ withTimezone: true }),
    restoreSeq: bigint({ mode: "number" }).unique(),
    restoreChainTransactionId: uuid().references(() => chainTransactions.id),
    restoredAt: timestamp({ withTimezone: true }),
    trackingNumber: text(),
    shippedAt: timestamp({ withTimezone: true }),
    shippedBy: text().references(() => users.id),
    cancelReason: text(),
    cancelledAt: timestamp({ withTimezone: true }),
    cancelledBy: text().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // One live claim per holder and perk, however many tabs ask at once.
    uniqueIndex("perk_claims_one_live").on(table.perkId, table.userId).where(sql`${table.status} <> 'cancelled'`),
    index().on(table.userId),
    index().on(table.perkId, table.status),
    check("perk_claims_units_positive", sql`${table.units} > 0`),
    check("perk_claims_burn_key", sql`(${table.burnSeq} IS NULL) = (${table.fromAddress} IS NULL)`),
    check("perk_claims_restore_after_burn", sql`${table.restoreSeq} IS NULL OR ${table.burnSeq} IS NOT NULL`),
  ],
);

export type PerkClaim = typeof perkClaims.$inferSelect;

export const VOTE_COUNTINGS = ["per_holder", "by_units"] as const;
export type VoteCounting = (typeof VOTE_COUNTINGS)[number];

/** A question put to the holders of an offering at a record date; open from the snapshot until `endsAt`. */
export const votes = pgTable(
  "votes",
  {
    id: uuid().primaryKey().defaultRandom(),
    offeringId: uuid()
      .notNull()
      .references(() => offerings.id),
    questionJa: text().notNull(),
    questionEn: text().notNull(),
    descriptionJa: text().notNull().default(""),
    descriptionEn: text().notNull().default(""),
    recordDate: date({ mode: "string" }).notNull(),
    /** The frozen holders' snapshot of the record date, once taken: who may vote and with what weight. */
    snapshotId: uuid().references(() => recordSnapshots.id),
    endsAt: timestamp({ withTimezone: true }).notNull(),
    counting: text({ enum: VOTE_COUNTINGS }).notNull(),
    createdBy: text().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index().on(table.offeringId), index().on(table.endsAt)],
);

export type Vote = typeof votes.$inferSelect;

export const voteOptions = pgTable(
  "vote_options",
  {
    id: uuid().primaryKey().defaultRandom(),
    voteId: uuid()
      .notNull()
      .references(() => votes.id),
    position: integer().notNull(),
    labelJa: text().notNull(),
    labelEn: text().notNull(),
    /** The project the option would fund, shown as a link; the project page links back to the vote. */
    projectId: uuid().references(() => projects.id),
  },
  (table) => [uniqueIndex().on(table.voteId, table.position), index().on(table.projectId)],
);

export type VoteOption = typeof voteOptions.$inferSelect;

/**
 * One ballot per holder and vote, changed in place until the end. Staff never see whose ballot
 * is whose: no page or export reads userId with optionId, and casting is not audited by person.
 */
export const ballots = pgTable(
  "ballots",
  {
    voteId: uuid()
      .notNull()
      .references(() => votes.id),
    userId: text()
      .notNull()
      .references(() => users.id),
    optionId: uuid()
      .notNull()
      .references(() => voteOptions.id),
    /** Units at the record date (the weight when counted by units). */
    units: integer().notNull(),
    changes: integer().notNull().default(0),
    castAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.voteId, table.userId] }), index().on(table.optionId), check("ballots_units_positive", sql`${table.units} > 0`)],
);

export type Ballot = typeof ballots.$inferSelect;

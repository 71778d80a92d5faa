import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { images } from "./media";

export const offeringKind = pgEnum("offering_kind", ["village_token", "municipal_bond"]);
export const offeringStatus = pgEnum("offering_status", ["draft", "open", "paused", "closed"]);

/** An issuer: a village or a municipality that runs offerings (the table keeps its first name). */
export const villages = pgTable("villages", {
  id: uuid().primaryKey().defaultRandom(),
  slug: text().notNull().unique(),
  kind: text({ enum: ["village", "municipality"] })
    .notNull()
    .default("village"),
  nameJa: text().notNull(),
  nameEn: text().notNull(),
  prefectureJa: text().notNull(),
  prefectureEn: text().notNull(),
  descriptionJa: text().notNull(),
  descriptionEn: text().notNull(),
  population: integer(),
  logoImageId: uuid().references(() => images.id),
  /** Where stablecoin payments for this issuer's offerings go; none: stablecoin payment is not offered. */
  stablecoinPayee: text(),
  /** The municipality whose residents may buy first (prefecture code "01".."47" and city as on profiles); null: none. */
  residentPrefecture: text(),
  residentCity: text(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export type Village = typeof villages.$inferSelect;
export type Issuer = Village;

/** Staff members of an issuer: they see and act only on the issuers they belong to. */
export const issuerStaff = pgTable(
  "issuer_staff",
  {
    issuerId: uuid()
      .notNull()
      .references(() => villages.id),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    grantedBy: text().references(() => users.id),
    grantedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.issuerId, table.userId] }), index().on(table.userId)],
);

export type IssuerStaff = typeof issuerStaff.$inferSelect;

/** A frozen copy of what the public reads of an offering, dates as ISO strings; `bond` only for a bond. */
export type ApprovedTerms = {
  revision: number;
  kind: (typeof offeringKind.enumValues)[number];
  nameJa: string;
  nameEn: string;
  descriptionJa: string;
  descriptionEn: string;
  tokenSymbol: string;
  priceYen: number;
  capUnits: number;
  minUnitsPerOrder: number;
  maxUnitsPerOrder: number;
  yearlyCapYenPerInvestor: number;
  opensAt: string;
  closesAt: string;
  /** Absent in copies frozen before cooling-off and residents' terms existed (then: 8, 0, none). */
  coolingOffDays?: number;
  residentUnits?: number;
  residentsUntil?: string | null;
  bond: Record<string, unknown> | null;
};

export const offerings = pgTable(
  "offerings",
  {
    id: uuid().primaryKey().defaultRandom(),
    villageId: uuid()
      .notNull()
      .references(() => villages.id),
    slug: text().notNull().unique(),
    kind: offeringKind().notNull(),
    nameJa: text().notNull(),
    nameEn: text().notNull(),
    descriptionJa: text().notNull(),
    descriptionEn: text().notNull(),
    tokenSymbol: text().notNull(),
    /** Integer yen per unit; one token is one unit. */
    priceYen: integer().notNull(),
    capUnits: integer().notNull(),
    /** Units held by open reservations (awaiting payment). */
    reservedUnits: integer().notNull().default(0),
    /** Units of paid orders. */
    soldUnits: integer().notNull().default(0),
    minUnitsPerOrder: integer().notNull().default(1),
    maxUnitsPerOrder: integer().notNull(),
    yearlyCapYenPerInvestor: integer().notNull().default(500_000),
    /** Units one investor may withdraw to own wallets per Tokyo day. */
    withdrawalDailyLimitUnits: integer().notNull().default(100),
    /** Payment at a convenience store / by bank transfer offered besides card. */
    konbiniEnabled: boolean().notNull().default(false),
    bankTransferEnabled: boolean().notNull().default(false),
    /** Days (counted from the application day, which is day 1) an investor may cancel; 0: no cooling-off. */
    coolingOffDays: integer().notNull().default(8),
    /** Units kept for residents of the issuer's municipality until residentsUntil; 0 with residentsUntil set: residents-only window. */
    residentUnits: integer().notNull().default(0),
    /** Tranche units reserved or sold to residents (kept by the reservation's conditional update). */
    residentTakenUnits: integer().notNull().default(0),
    residentsUntil: timestamp({ withTimezone: true }),
    opensAt: timestamp({ withTimezone: true }).notNull(),
    closesAt: timestamp({ withTimezone: true }).notNull(),
    status: offeringStatus().notNull().default("draft"),
    chainId: integer(),
    tokenAddress: text(),
    /** Who wrote the current revision of the terms (null: demo data); the approver must be someone else. */
    termsAuthorId: text().references(() => users.id),
    /** Bumped by every change of terms; approval is of one revision, so a change needs a new approval. */
    termsRevision: integer().notNull().default(1),
    approvedRevision: integer(),
    approvedBy: text().references(() => users.id),
    approvedAt: timestamp({ withTimezone: true }),
    /** The public terms as last approved (lib/offerings/public-view.ts), shown while a later revision awaits approval. */
    approvedTerms: jsonb().$type<ApprovedTerms>(),
    closedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index().on(table.villageId, table.status),
    index().on(table.status, table.closesAt),
    check("offerings_price_positive", sql`${table.priceYen} > 0`),
    check("offerings_units_nonnegative", sql`${table.reservedUnits} >= 0 AND ${table.soldUnits} >= 0`),
    // Backstop for the conditional reservation update: never sell past the cap.
    check("offerings_within_cap", sql`${table.reservedUnits} + ${table.soldUnits} <= ${table.capUnits}`),
    check("offerings_order_limits", sql`${table.minUnitsPerOrder} >= 1 AND ${table.maxUnitsPerOrder} >= ${table.minUnitsPerOrder}`),
    check("offerings_window", sql`${table.closesAt} > ${table.opensAt}`),
    check("offerings_cooling_off_days", sql`${table.coolingOffDays} >= 0 AND ${table.coolingOffDays} <= 30`),
    // Backstop for the residents' tranche: never more taken than kept, never more kept than the cap.
    check("offerings_resident_tranche", sql`${table.residentTakenUnits} >= 0 AND ${table.residentTakenUnits} <= ${table.residentUnits} AND ${table.residentUnits} <= ${table.capUnits}`),
  ],
);

export type Offering = typeof offerings.$inferSelect;

/** The frozen figures of a settlement report (lib/settlement); kept as made, never recomputed. */
export type SettlementFigures = { [key: string]: unknown };

/** Settlement reports of an offering: each is frozen when made; a later version supersedes, never overwrites. */
export const settlementReports = pgTable(
  "settlement_reports",
  {
    id: uuid().primaryKey().defaultRandom(),
    offeringId: uuid()
      .notNull()
      .references(() => offerings.id),
    version: integer().notNull(),
    figures: jsonb().$type<SettlementFigures>().notNull(),
    /** Null when made by the closing job. */
    createdBy: text().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex().on(table.offeringId, table.version), check("settlement_reports_version_positive", sql`${table.version} >= 1`)],
);

export type SettlementReport = typeof settlementReports.$inferSelect;

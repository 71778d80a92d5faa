import { sql } from "drizzle-orm";
import { check, index, integer, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const offeringKind = pgEnum("offering_kind", ["village_token", "municipal_bond"]);
export const offeringStatus = pgEnum("offering_status", ["draft", "open", "paused", "closed"]);

export const villages = pgTable("villages", {
  id: uuid().primaryKey().defaultRandom(),
  slug: text().notNull().unique(),
  nameJa: text().notNull(),
  nameEn: text().notNull(),
  prefectureJa: text().notNull(),
  prefectureEn: text().notNull(),
  descriptionJa: text().notNull(),
  descriptionEn: text().notNull(),
  population: integer(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export type Village = typeof villages.$inferSelect;

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
    opensAt: timestamp({ withTimezone: true }).notNull(),
    closesAt: timestamp({ withTimezone: true }).notNull(),
    status: offeringStatus().notNull().default("draft"),
    chainId: integer(),
    tokenAddress: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index().on(table.villageId, table.status),
    check("offerings_price_positive", sql`${table.priceYen} > 0`),
    check("offerings_units_nonnegative", sql`${table.reservedUnits} >= 0 AND ${table.soldUnits} >= 0`),
    // Backstop for the conditional reservation update: never sell past the cap.
    check("offerings_within_cap", sql`${table.reservedUnits} + ${table.soldUnits} <= ${table.capUnits}`),
    check("offerings_order_limits", sql`${table.minUnitsPerOrder} >= 1 AND ${table.maxUnitsPerOrder} >= ${table.minUnitsPerOrder}`),
    check("offerings_window", sql`${table.closesAt} > ${table.opensAt}`),
  ],
);

export type Offering = typeof offerings.$inferSelect;

import { sql } from "drizzle-orm";
import { boolean, check, date, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";

export const identityStatus = pgEnum("identity_status", ["not_submitted", "in_review", "approved", "rejected"]);

export const investorProfiles = pgTable("investor_profiles", {
  userId: text()
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  familyNameKanji: text(),
  givenNameKanji: text(),
  familyNameKana: text(),
  givenNameKana: text(),
  birthDate: date(),
  postalCode: text(),
  prefecture: text(),
  city: text(),
  street: text(),
  phone: text(),
  countryOfResidence: text(),
  /** When staff confirmed the prefecture and city above against the identity document (cleared when they change). */
  addressVerifiedAt: timestamp({ withTimezone: true }),
  addressVerifiedBy: text().references(() => users.id),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export type InvestorProfile = typeof investorProfiles.$inferSelect;
export type NewInvestorProfile = typeof investorProfiles.$inferInsert;

export const suitabilityAnswers = pgTable(
  "suitability_answers",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The answers as validated by the suitability form: question to chosen option. */
    answers: jsonb().$type<Record<string, string>>().notNull(),
    suitable: text({ enum: ["yes", "no"] }).notNull(),
    answeredAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index().on(table.userId, table.answeredAt)],
);

/** Versioned documents an investor must accept: risk disclosure, terms, pre-contract disclosure. */
export const legalDocuments = pgTable("legal_documents", {
  id: uuid().primaryKey().defaultRandom(),
  kind: text({ enum: ["risk_disclosure", "terms", "pre_contract"] }).notNull(),
  /** Set for an offering's own pre-contract disclosure; null for portal-wide documents. */
  offeringId: uuid(),
  version: text().notNull(),
  titleJa: text().notNull(),
  titleEn: text().notNull(),
  bodyJa: text().notNull(),
  bodyEn: text().notNull(),
  publishedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export type LegalDocument = typeof legalDocuments.$inferSelect;

export const documentAcceptances = pgTable(
  "document_acceptances",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    documentId: uuid()
      .notNull()
      .references(() => legalDocuments.id),
    acceptedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index().on(table.userId)],
);

export const identityDocuments = pgTable(
  "identity_documents",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    storageKey: text().notNull(),
    contentType: text().notNull(),
    sizeBytes: integer().notNull(),
    status: identityStatus().notNull().default("in_review"),
    reviewerId: text().references(() => users.id),
    reviewedAt: timestamp({ withTimezone: true }),
    rejectionReason: text(),
    /** The reviewer confirmed the document's address is the profile's (true), or saw it differ (false). */
    addressMatches: boolean(),
    submittedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index().on(table.userId),
    index().on(table.status, table.submittedAt),
    // One live submission per investor: a second upload while one is in review or approved is refused.
    uniqueIndex("identity_documents_one_live_per_user").on(table.userId).where(sql`${table.status} in ('in_review', 'approved')`),
    check("identity_documents_size_positive", sql`${table.sizeBytes} > 0`),
  ],
);

export type IdentityDocument = typeof identityDocuments.$inferSelect;

export const profileChangeStatus = pgEnum("profile_change_status", ["pending", "approved", "rejected", "withdrawn"]);

/**
 * A change to identity fields after identity approval. investor_profiles keeps the verified values
 * until staff approve; the values (personal data) live here, the audit log names only the fields.
 */
export const profileChangeRequests = pgTable(
  "profile_change_requests",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The changed fields only: verified values at request time, and the requested ones. */
    oldValues: jsonb().$type<Record<string, string | null>>().notNull(),
    newValues: jsonb().$type<Record<string, string>>().notNull(),
    status: profileChangeStatus().notNull().default("pending"),
    reviewerId: text().references(() => users.id),
    reviewedAt: timestamp({ withTimezone: true }),
    rejectionReason: text(),
    requestedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index().on(table.userId, table.requestedAt),
    index().on(table.status, table.requestedAt),
    uniqueIndex("profile_change_requests_one_pending_per_user").on(table.userId).where(sql`${table.status} = 'pending'`),
    check("profile_change_requests_not_own_review", sql`${table.reviewerId} is distinct from ${table.userId}`),
  ],
);

export type ProfileChangeRequest = typeof profileChangeRequests.$inferSelect;

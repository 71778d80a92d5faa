import { sql } from "drizzle-orm";
import { bigserial, check, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { images } from "./media";
import { offerings } from "./offerings";

export const projectStatus = pgEnum("project_status", ["planned", "in_progress", "done"]);

/** A measured result reported with an update, e.g. 18.5 hectares thinned. */
export type UpdateFigure = { kind: string; value: number };

export const projects = pgTable(
  "projects",
  {
    id: uuid().primaryKey().defaultRandom(),
    offeringId: uuid()
      .notNull()
      .references(() => offerings.id),
    slug: text().notNull().unique(),
    titleJa: text().notNull(),
    titleEn: text().notNull(),
    summaryJa: text().notNull(),
    summaryEn: text().notNull(),
    /** Markdown. */
    bodyJa: text().notNull(),
    bodyEn: text().notNull(),
    budgetYen: integer().notNull(),
    status: projectStatus().notNull().default("planned"),
    coverImageId: uuid().references(() => images.id),
    /** Null while a draft. */
    publishedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index().on(table.offeringId), check("projects_budget_nonnegative", sql`${table.budgetYen} >= 0`)],
);

export type Project = typeof projects.$inferSelect;

export const projectUpdates = pgTable(
  "project_updates",
  {
    id: uuid().primaryKey().defaultRandom(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id),
    authorId: text().references(() => users.id),
    titleJa: text().notNull(),
    titleEn: text().notNull(),
    /** Markdown, rendered safely (lib/markdown). */
    bodyJa: text().notNull(),
    bodyEn: text().notNull(),
    figures: jsonb().$type<UpdateFigure[]>().notNull().default([]),
    /** Counts edits made after the first publication; each earlier version is in project_update_revisions. */
    revision: integer().notNull().default(1),
    publishedAt: timestamp({ withTimezone: true }),
    editedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index().on(table.projectId, table.publishedAt)],
);

export type ProjectUpdate = typeof projectUpdates.$inferSelect;

export const projectUpdateImages = pgTable(
  "project_update_images",
  {
    updateId: uuid()
      .notNull()
      .references(() => projectUpdates.id),
    imageId: uuid()
      .notNull()
      .references(() => images.id),
    position: integer().notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.updateId, table.imageId] }), index().on(table.imageId)],
);

/** Earlier versions of a published update, written when it is edited (append-only, by trigger). */
export const projectUpdateRevisions = pgTable(
  "project_update_revisions",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    updateId: uuid()
      .notNull()
      .references(() => projectUpdates.id),
    revision: integer().notNull(),
    titleJa: text().notNull(),
    titleEn: text().notNull(),
    bodyJa: text().notNull(),
    bodyEn: text().notNull(),
    figures: jsonb().$type<UpdateFigure[]>().notNull(),
    imageIds: jsonb().$type<string[]>().notNull(),
    /** Who replaced this version, and when. */
    supersededBy: text().references(() => users.id),
    supersededAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex().on(table.updateId, table.revision)],
);

export const projectSpending = pgTable(
  "project_spending",
  {
    id: uuid().primaryKey().defaultRandom(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id),
    /** The calendar day of the payment, stored as midnight in Asia/Tokyo. */
    spentOn: timestamp({ withTimezone: true }).notNull(),
    amountYen: integer().notNull(),
    descriptionJa: text().notNull(),
    descriptionEn: text().notNull(),
    receiptImageId: uuid().references(() => images.id),
    recordedBy: text().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index().on(table.projectId, table.spentOn), check("project_spending_amount_positive", sql`${table.amountYen} > 0`)],
);

export type ProjectSpending = typeof projectSpending.$inferSelect;

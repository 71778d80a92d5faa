import { index, integer, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { offerings } from "./offerings";

export const projectStatus = pgEnum("project_status", ["planned", "in_progress", "done"]);

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
    bodyJa: text().notNull(),
    bodyEn: text().notNull(),
    budgetYen: integer().notNull(),
    status: projectStatus().notNull().default("planned"),
    publishedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index().on(table.offeringId)],
);

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
    bodyJa: text().notNull(),
    bodyEn: text().notNull(),
    publishedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index().on(table.projectId, table.publishedAt)],
);

export const projectSpending = pgTable(
  "project_spending",
  {
    id: uuid().primaryKey().defaultRandom(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id),
    spentOn: timestamp({ withTimezone: true }).notNull(),
    amountYen: integer().notNull(),
    descriptionJa: text().notNull(),
    descriptionEn: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index().on(table.projectId, table.spentOn)],
);

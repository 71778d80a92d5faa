import { boolean, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { users } from "./auth";
import { projectUpdates } from "./projects";

/** One per holder and published update; also the outbox of the notification email. */
export const notifications = pgTable(
  "notifications",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    updateId: uuid()
      .notNull()
      .references(() => projectUpdates.id),
    emailStatus: text({ enum: ["pending", "sent", "skipped", "failed"] }).notNull(),
    emailAttempts: integer().notNull().default(0),
    emailedAt: timestamp({ withTimezone: true }),
    readAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex().on(table.userId, table.updateId),
    index().on(table.userId, table.createdAt),
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

import { bigserial, index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { users } from "./auth";

/** Append-only record of who did what (enforced by a trigger in the migration). */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    actorId: text().references(() => users.id),
    action: text().notNull(),
    targetType: text(),
    targetId: text(),
    detail: jsonb().$type<Record<string, unknown>>(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index().on(table.actorId, table.at), index().on(table.action, table.at)],
);

export type AuditLogEntry = typeof auditLog.$inferSelect;

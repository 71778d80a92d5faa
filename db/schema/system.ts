import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** Last sign of life from each background process, for the health check. */
export const serviceHeartbeats = pgTable("service_heartbeats", {
  service: text().primaryKey(),
  beatAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

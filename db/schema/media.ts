import { sql } from "drizzle-orm";
import { check, index, integer, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";

/** What an image is for: covers, update photos, issuer logos and perk photos are public once published; receipts are staff-only. */
export const imagePurpose = pgEnum("image_purpose", ["cover", "update", "receipt", "logo", "perk"]);

/** Uploaded images, checked by content and stripped of metadata; the file lives in the upload storage (lib/uploads/storage.ts). */
export const images = pgTable(
  "images",
  {
    id: uuid().primaryKey().defaultRandom(),
    storageKey: text().notNull().unique(),
    contentType: text({ enum: ["image/jpeg", "image/png", "image/webp"] }).notNull(),
    width: integer().notNull(),
    height: integer().notNull(),
    sizeBytes: integer().notNull(),
    purpose: imagePurpose().notNull(),
    uploadedBy: text().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index().on(table.purpose), check("images_dimensions_positive", sql`${table.width} > 0 AND ${table.height} > 0 AND ${table.sizeBytes} > 0`)],
);

export type Image = typeof images.$inferSelect;

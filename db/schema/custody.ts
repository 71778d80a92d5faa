import { index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth";

/**
 * Custodial wallets. The private key is stored only as AES-256-GCM ciphertext under a per-record
 * data key, and the data key only wrapped by a versioned master key that never reaches the database.
 */
export const wallets = pgTable(
  "wallets",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: text()
      .notNull()
      .unique()
      .references(() => users.id, { onDelete: "restrict" }),
    address: text().notNull().unique(),
    encryptedKey: text().notNull(),
    wrappedDataKey: text().notNull(),
    masterKeyVersion: integer().notNull(),
    allowlistedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index().on(table.masterKeyVersion)],
);

export type Wallet = typeof wallets.$inferSelect;

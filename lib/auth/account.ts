import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import type { Locale } from "@/lib/i18n/catalog";

/** The language portal mail is written in for this user. */
export async function setUserLocale(userId: string, locale: Locale): Promise<void> {
  await getDb().update(users).set({ locale }).where(eq(users.id, userId));
}

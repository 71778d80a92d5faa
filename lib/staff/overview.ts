import "server-only";
import { count, eq, inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { orders, paymentExceptions, users } from "@/db/schema";
import { IN_PROGRESS } from "@/lib/orders/status";

/** Headline figures for the staff dashboard. */
export async function getStaffOverview() {
  const db = getDb();
  const [investors] = await db.select({ n: count() }).from(users).where(eq(users.role, "investor"));
  const [open] = await db
    .select({ n: count() })
    .from(orders)
    .where(inArray(orders.status, [...IN_PROGRESS]));
  const [undecided] = await db.select({ n: count() }).from(paymentExceptions).where(eq(paymentExceptions.status, "open"));
  return { investorCount: investors?.n ?? 0, openOrderCount: open?.n ?? 0, undecidedPaymentCount: undecided?.n ?? 0 };
}

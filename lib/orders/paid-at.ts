import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { orderEvents } from "@/db/schema";

/** When the order became paid (its first step to paid in the journey); null if it never did. */
export async function paidAtOf(orderId: string): Promise<Date | null> {
  const [row] = await getDb()
    .select({ at: orderEvents.at })
    .from(orderEvents)
    .where(and(eq(orderEvents.orderId, orderId), eq(orderEvents.toStatus, "paid")))
    .orderBy(asc(orderEvents.at))
    .limit(1);
  return row?.at ?? null;
}

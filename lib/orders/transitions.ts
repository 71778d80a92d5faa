import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { orderEvents, orders } from "@/db/schema";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type OrderStatus = (typeof orders.$inferSelect)["status"];

/**
 * Moves an order to `to` only if it is in one of `from` (one conditional UPDATE, so concurrent or
 * replayed events cannot both apply), and records the step in the order's journey.
 * Returns the updated order, or null when the order was not in an allowed state.
 */
export async function transitionOrder(
  tx: Db | Tx,
  orderId: string,
  from: OrderStatus[],
  to: OrderStatus,
  detail?: Record<string, unknown>,
  extra: Partial<typeof orders.$inferInsert> = {},
) {
  const [before] = await tx.select({ status: orders.status }).from(orders).where(eq(orders.id, orderId)).for("update");
  if (!before || !from.includes(before.status)) return null;
  const [updated] = await tx
    .update(orders)
    .set({ ...extra, status: to, updatedAt: sql`now()` })
    .where(and(eq(orders.id, orderId), inArray(orders.status, from)))
    .returning();
  if (!updated) return null;
  await tx.insert(orderEvents).values({ orderId, fromStatus: before.status, toStatus: to, detail });
  return updated;
}

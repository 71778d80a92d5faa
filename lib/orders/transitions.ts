import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
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

/** reserved → awaiting_payment with its Checkout Session, and the journey step, in one statement. */
export async function recordCheckout(orderId: string, sessionId: string, checkoutUrl: string): Promise<boolean> {
  const rows = await getDb().execute(sql`
    with moved as (
      update orders set status = 'awaiting_payment', stripe_checkout_session_id = ${sessionId}, checkout_url = ${checkoutUrl}, updated_at = now()
      where id = ${orderId} and status = 'reserved'
      returning id)
    insert into order_events (order_id, from_status, to_status, detail)
    select id, 'reserved', 'awaiting_payment', ${JSON.stringify({ checkoutSessionId: sessionId })}::jsonb from moved
    returning order_id`);
  return rows.length === 1;
}

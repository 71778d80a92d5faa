import "server-only";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/db/client";
import { orderEvents, orders, type NewOrder } from "@/db/schema";
import { canTransition, sourcesOf, type OrderStatus, type ReachableStatus, type SourceOf } from "./status";

/** Where the step may start (narrowing the table's sources of `to`), its journey detail, and columns set with it. */
export type TransitionOptions<To extends ReachableStatus> = {
  from?: readonly SourceOf<To>[];
  detail?: Record<string, unknown>;
  set?: Omit<Partial<NewOrder>, "status">;
};

/**
 * Moves an order to `to` only if it is in one of the statuses that may move there (ORDER_TRANSITIONS,
 * or the caller's narrower `from`): one conditional UPDATE, so concurrent or replayed events cannot
 * both apply. Records the step in the order's journey. Returns the updated order, or null when the
 * order was not in an allowed state.
 */
export async function transitionOrder<To extends ReachableStatus>(tx: DbOrTx, orderId: string, to: To, options: TransitionOptions<To> = {}) {
  const from: readonly OrderStatus[] = options.from ?? sourcesOf(to);
  // The types already refuse an illegal step; this catches one forced past them.
  const illegal = from.filter((status) => !canTransition(status, to));
  if (illegal.length > 0) throw new Error(`order status cannot move from ${illegal.join(", ")} to ${to}`);
  const [before] = await tx.select({ status: orders.status }).from(orders).where(eq(orders.id, orderId)).for("update");
  if (!before || !from.includes(before.status)) return null;
  const [updated] = await tx
    .update(orders)
    .set({ ...options.set, status: to, updatedAt: sql`now()` })
    .where(and(eq(orders.id, orderId), inArray(orders.status, [...from])))
    .returning();
  if (!updated) return null;
  await tx.insert(orderEvents).values({ orderId, fromStatus: before.status, toStatus: to, detail: options.detail });
  return updated;
}

/**
 * transitionOrder for many orders at once (one step, one journey detail for all): the same rules
 * and journey rows, in three statements however many orders. Rows are locked in id order, so two
 * overlapping batches cannot deadlock. Returns the ids of the orders that moved.
 */
export async function transitionOrders<To extends ReachableStatus>(tx: DbOrTx, orderIds: readonly string[], to: To, options: Omit<TransitionOptions<To>, "set"> = {}): Promise<string[]> {
  const from: readonly OrderStatus[] = options.from ?? sourcesOf(to);
  const illegal = from.filter((status) => !canTransition(status, to));
  if (illegal.length > 0) throw new Error(`order status cannot move from ${illegal.join(", ")} to ${to}`);
  if (orderIds.length === 0) return [];
  const before = await tx
    .select({ id: orders.id, status: orders.status })
    .from(orders)
    .where(and(inArray(orders.id, [...orderIds]), inArray(orders.status, [...from])))
    .orderBy(asc(orders.id))
    .for("update");
  if (before.length === 0) return [];
  const updated = await tx
    .update(orders)
    .set({ status: to, updatedAt: sql`now()` })
    .where(
      and(
        inArray(
          orders.id,
          before.map((row) => row.id),
        ),
        inArray(orders.status, [...from]),
      ),
    )
    .returning({ id: orders.id });
  if (updated.length === 0) return [];
  const fromOf = new Map(before.map((row) => [row.id, row.status]));
  await tx.insert(orderEvents).values(updated.map((row) => ({ orderId: row.id, fromStatus: fromOf.get(row.id)!, toStatus: to, detail: options.detail })));
  return updated.map((row) => row.id);
}

// The one step written in SQL (with its journey row, in one statement); its ends are checked against the table.
const CHECKOUT_STEP: { from: SourceOf<"awaiting_payment">; to: "awaiting_payment" } = { from: "reserved", to: "awaiting_payment" };

/** reserved → awaiting_payment with its Checkout Session, and the journey step, in one statement. */
export async function recordCheckout(orderId: string, sessionId: string, checkoutUrl: string): Promise<boolean> {
  const rows = await getDb().execute(sql`
    with moved as (
      update orders set status = ${CHECKOUT_STEP.to}::order_status, stripe_checkout_session_id = ${sessionId}, checkout_url = ${checkoutUrl}, updated_at = now()
      where id = ${orderId} and status = ${CHECKOUT_STEP.from}::order_status
      returning id)
    insert into order_events (order_id, from_status, to_status, detail)
    select id, ${CHECKOUT_STEP.from}::order_status, ${CHECKOUT_STEP.to}::order_status, ${JSON.stringify({ checkoutSessionId: sessionId })}::jsonb from moved
    returning order_id`);
  return rows.length === 1;
}

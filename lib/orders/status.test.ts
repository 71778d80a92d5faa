import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import {
  canTransition,
  COMMITTED,
  HOLDING_UNITS,
  IN_PROGRESS,
  ORDER_STATUSES,
  ORDER_TRANSITIONS,
  PAID_OR_AFTER,
  PAID_UNDISPUTED,
  REFUNDABLE,
  RELEASED,
  SHOWN_TO_HOLDER,
  sourcesOf,
  UNPAID,
  type OrderStatus,
} from "./status";
import { transitionOrder } from "./transitions";

/** Every step the code takes today, and where. The table must hold exactly these. */
const CODE_STEPS: [OrderStatus, OrderStatus, string][] = [
  ["reserved", "awaiting_payment", "recordCheckout (lib/orders/transitions.ts)"],
  ["reserved", "cancelled", "Checkout Session not created (lib/orders/reserve.ts)"],
  ["reserved", "expired", "expiry job, checkout.session.expired"],
  ["awaiting_payment", "expired", "expiry job, checkout.session.expired"],
  ["reserved", "cancelled", "amount mismatch, async payment failed (lib/orders/webhook.ts)"],
  ["awaiting_payment", "cancelled", "amount mismatch, async payment failed (lib/orders/webhook.ts)"],
  ["reserved", "paid", "markPaidInTx (lib/orders/settle.ts)"],
  ["awaiting_payment", "paid", "markPaidInTx (lib/orders/settle.ts)"],
  ["expired", "paid", "late payment retakes units (lib/orders/settle.ts)"],
  ["cancelled", "paid", "late payment retakes units (lib/orders/settle.ts)"],
  ["paid", "allocating", "claimAndSubmit (lib/chain/allocate.ts), recordAllocationFromChain"],
  ["allocating", "allocated", "recordConfirmedAllocation, recordAllocationFromChain (lib/chain/allocation-records.ts)"],
  ["allocating", "paid", "retryFailedAllocation (lib/chain/allocate.ts)"],
  ["paid", "disputed", "handleDisputeOpened (lib/orders/charge-events.ts)"],
  ["allocating", "disputed", "handleDisputeOpened"],
  ["allocated", "disputed", "handleDisputeOpened"],
  ["disputed", "paid", "dispute won before allocation (handleDisputeClosed)"],
  ["disputed", "allocating", "dispute won during allocation"],
  ["disputed", "allocated", "dispute won after allocation"],
  ...[...HOLDING_UNITS, ...RELEASED].map((from): [OrderStatus, OrderStatus, string] => [from, "refunded", "charge.refunded, dispute lost (endWithUnitsBack)"]),
];

const pairs = (steps: [OrderStatus, OrderStatus, ...unknown[]][]) => [...new Set(steps.map(([from, to]) => `${from} → ${to}`))].sort();
const tableSteps = () => pairs(ORDER_STATUSES.flatMap((from) => ORDER_TRANSITIONS[from].map((to): [OrderStatus, OrderStatus] => [from, to])));
const sorted = (statuses: readonly OrderStatus[]) => [...statuses].sort();

describe("the order state machine", () => {
  it("covers exactly the database's statuses, and an order starts as its column default", async () => {
    const rows = await getDb().execute<{ status: string }>(sql`select unnest(enum_range(null::order_status))::text as status`);
    expect(sorted(ORDER_STATUSES)).toEqual(rows.map((row) => row.status).sort());
    const [column] = await getDb().execute<{ initial: string }>(sql`select column_default as initial from information_schema.columns where table_name = 'orders' and column_name = 'status'`);
    expect(column!.initial).toBe("'reserved'::order_status");
    // reserved is only ever the first state: nothing moves back to it.
    expect(sourcesOf("reserved")).toEqual([]);
  });

  it("holds exactly the steps the webhook, expiry and allocation code take", () => {
    expect(tableSteps()).toEqual(pairs(CODE_STEPS));
    for (const [from, to, where] of CODE_STEPS) expect(canTransition(from, to), `${from} → ${to}: ${where}`).toBe(true);
  });

  it("ends only at refunded; a released order moves again only on a late payment or its refund", () => {
    expect(ORDER_TRANSITIONS.refunded).toEqual([]);
    expect(ORDER_STATUSES.filter((status) => ORDER_TRANSITIONS[status].length === 0)).toEqual(["refunded"]);
    for (const status of RELEASED) expect(sorted(ORDER_TRANSITIONS[status])).toEqual(["paid", "refunded"]);
    for (const status of ORDER_STATUSES) expect(canTransition(status, status), status).toBe(false);
    // Only money (paid) or a release ends an unpaid order; only a refund ends a paid one.
    for (const from of UNPAID) for (const to of ORDER_TRANSITIONS[from]) expect([...UNPAID, "paid", ...RELEASED]).toContain(to);
    for (const from of HOLDING_UNITS) for (const to of ORDER_TRANSITIONS[from]) expect([...HOLDING_UNITS, "refunded"]).toContain(to);
  });

  it("has groups that agree with each other and with the table", () => {
    // Every status is in exactly one of: unpaid, holding units, released, refunded.
    expect(sorted([...UNPAID, ...HOLDING_UNITS, ...RELEASED, "refunded"])).toEqual(sorted(ORDER_STATUSES));
    expect(sorted(COMMITTED)).toEqual(sorted([...UNPAID, ...HOLDING_UNITS]));
    expect(sorted(PAID_OR_AFTER)).toEqual(sorted([...HOLDING_UNITS, "refunded"]));
    expect(sorted(SHOWN_TO_HOLDER)).toEqual(sorted(PAID_OR_AFTER));
    expect(sorted(REFUNDABLE)).toEqual(sorted(HOLDING_UNITS));
    expect(sorted(PAID_UNDISPUTED)).toEqual(sorted(sourcesOf("disputed")));
    expect(sorted(IN_PROGRESS)).toEqual(sorted([...UNPAID, "paid", "allocating"]));
    expect(sorted(sourcesOf("expired"))).toEqual(sorted(UNPAID));
    expect(sorted(sourcesOf("cancelled"))).toEqual(sorted(UNPAID));
    expect(sorted(sourcesOf("refunded"))).toEqual(sorted([...HOLDING_UNITS, ...RELEASED]));
  });

  it("counts toward the yearly cap exactly what the database's order_committed_yen counts", async () => {
    for (const status of ORDER_STATUSES) {
      const [row] = await getDb().execute<{ yen: string }>(sql`select order_committed_yen(${status}::order_status, 1000) as yen`);
      expect(Number(row!.yen), status).toBe((COMMITTED as readonly OrderStatus[]).includes(status) ? 1000 : 0);
    }
  });

  it("refuses an illegal step before touching the order", async () => {
    const orderId = randomUUID();
    // @ts-expect-error a refunded order never moves again
    await expect(transitionOrder(getDb(), orderId, "paid", { from: ["refunded"] })).rejects.toThrow("order status cannot move from refunded to paid");
    // @ts-expect-error an unpaid order is not allocated
    await expect(transitionOrder(getDb(), orderId, "allocated", { from: ["reserved", "allocating"] })).rejects.toThrow("order status cannot move from reserved to allocated");
    // A legal step on an order that does not exist changes nothing.
    expect(await transitionOrder(getDb(), orderId, "allocated", { from: ["allocating"] })).toBeNull();
  });
});

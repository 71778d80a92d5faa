import type { Order } from "@/db/schema";

/**
 * An order's status as one state machine: the steps it may take and the named groups of statuses
 * the rest of the code asks about. No database or server code here, so pages may import it.
 */

export type OrderStatus = Order["status"];

/**
 * From-status → the statuses it may move to, exactly the steps the code takes. An order is created
 * `reserved` (lib/orders/reserve.ts); the other steps go through transitionOrder or recordCheckout.
 */
export const ORDER_TRANSITIONS = {
  reserved: ["awaiting_payment", "paid", "expired", "cancelled"],
  awaiting_payment: ["paid", "expired", "cancelled"],
  paid: ["allocating", "disputed", "refunded"],
  // Back to paid: staff retry a refused allocation.
  allocating: ["allocated", "paid", "disputed", "refunded"],
  allocated: ["disputed", "refunded"],
  // A dispute won goes back to where the order was; a dispute lost ends refunded.
  disputed: ["paid", "allocating", "allocated", "refunded"],
  // A late payment takes the units again if it still can; if not, it is refunded.
  expired: ["paid", "refunded"],
  cancelled: ["paid", "refunded"],
  refunded: [],
} as const satisfies Record<OrderStatus, readonly OrderStatus[]>;

type Transitions = typeof ORDER_TRANSITIONS;

export const ORDER_STATUSES = Object.keys(ORDER_TRANSITIONS) as OrderStatus[];

/** The statuses an order may move to (every one but its first, reserved). */
export type ReachableStatus = Transitions[OrderStatus][number];

/** The statuses from which an order may move to `To` (to every one of them, when `To` is a union). */
export type SourceOf<To extends OrderStatus> = { [From in OrderStatus]: [To] extends [Transitions[From][number]] ? From : never }[OrderStatus];

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return (ORDER_TRANSITIONS[from] as readonly OrderStatus[]).includes(to);
}

/** Every status from which an order may move to `to`. */
export function sourcesOf<To extends OrderStatus>(to: To): SourceOf<To>[] {
  return ORDER_STATUSES.filter((from) => canTransition(from, to)) as SourceOf<To>[];
}

/** Whether `status` is in `group`, narrowing its type. */
export function inGroup<G extends readonly OrderStatus[]>(group: G, status: OrderStatus): status is G[number] {
  return (group as readonly OrderStatus[]).includes(status);
}

// The named groups.

/** Open and not paid yet: the order holds reserved units (offerings.reserved_units) until paid or released. */
export const UNPAID = ["reserved", "awaiting_payment"] as const;
/** Paid and not refunded: the order's units count as sold (offerings.sold_units) and tokens are or will be its holder's. */
export const HOLDING_UNITS = ["paid", "allocating", "allocated", "disputed"] as const;
/** Ended without payment: the units went back to the offering. */
export const RELEASED = ["expired", "cancelled"] as const;
/** Money was received (and maybe refunded since): the order has a receipt and is shown in its holder's holdings. */
export const PAID_OR_AFTER = [...HOLDING_UNITS, "refunded"] as const;
export const SHOWN_TO_HOLDER = PAID_OR_AFTER;
/** Counted toward the investor's yearly cap per issuer; the database's order_committed_yen (migration 0007) must agree. */
export const COMMITTED = [...UNPAID, ...HOLDING_UNITS] as const;
/** Paid and not in dispute: the offering counts its investors by these (a dispute may open from each). */
export const PAID_UNDISPUTED = ["paid", "allocating", "allocated"] as const;
/** Still on its way (payment or tokens to come): its page refreshes itself and staff count it as open. */
export const IN_PROGRESS = [...UNPAID, "paid", "allocating"] as const;
/** Staff may ask the processor to refund it (the order moves when charge.refunded arrives). */
export const REFUNDABLE = HOLDING_UNITS;

export type ReleasedStatus = (typeof RELEASED)[number];
export type ShownToHolderStatus = (typeof SHOWN_TO_HOLDER)[number];

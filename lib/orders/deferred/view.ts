import type { DeferredMethod, Order, PaymentInstructions } from "@/db/schema";
import { HOLDING_UNITS, inGroup, RELEASED, UNPAID } from "../status";
import { isDeferredMethod } from "./schedule";

/** What the order page shows of a konbini or bank-transfer payment. No server code: components may import it. */
export type DeferredPaymentView = {
  method: DeferredMethod;
  /** awaiting: the instructions are payable; paid: money applied (also while allocating); released: expired or cancelled unpaid. */
  state: "awaiting" | "paid" | "released" | "refunded";
  /** The voucher or the account (null when the processor could not be reached at placement). */
  instructions: PaymentInstructions | null;
  amountYen: number;
  /** Bank transfer: yen applied so far; the whole amount once paid. */
  receivedYen: number;
  remainingYen: number;
  /** When the voucher or the transfer deadline ends. */
  endsAt: Date | null;
  /** Awaiting and the end has passed (the order is released at the next expiry run). */
  overdue: boolean;
};

export function deferredPaymentOf(order: Pick<Order, "paymentMethod" | "status" | "paymentInstructions" | "amountYen" | "receivedYen">, now: Date = new Date()): DeferredPaymentView | null {
  if (!isDeferredMethod(order.paymentMethod)) return null;
  const instructions = order.paymentInstructions ?? null;
  const endsAt = instructions ? new Date(instructions.expiresAt) : null;
  const state = inGroup(UNPAID, order.status) ? "awaiting" : inGroup(HOLDING_UNITS, order.status) ? "paid" : inGroup(RELEASED, order.status) ? "released" : "refunded";
  const receivedYen = state === "paid" ? order.amountYen : order.receivedYen;
  return {
    method: order.paymentMethod,
    state,
    instructions,
    amountYen: order.amountYen,
    receivedYen,
    remainingYen: Math.max(0, order.amountYen - receivedYen),
    endsAt,
    overdue: state === "awaiting" && endsAt !== null && endsAt.getTime() <= now.getTime(),
  };
}

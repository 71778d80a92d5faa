import type { OrderStatus } from "@/lib/orders/status";

/**
 * An order's journey as its page shows it. Paid in the stablecoin, the payment and the allocation
 * were one transaction: their steps (paid, allocating, allocated) show as one, with that transaction.
 */

type Event = { id: number; toStatus: OrderStatus; at: Date; detail: Record<string, unknown> | null };

export type JourneyStep = { id: number; at: Date } & ({ kind: "status"; status: OrderStatus } | { kind: "signed" } | { kind: "settled"; txHash: string | null } | { kind: "coolingOff" });

export function journeySteps(events: Event[]): JourneyStep[] {
  const steps: JourneyStep[] = [];
  let settledBy: string | null | undefined;
  for (const event of events) {
    const detail = event.detail ?? {};
    if (detail.dvp === true && (event.toStatus === "paid" || event.toStatus === "allocating")) {
      settledBy = typeof detail.txHash === "string" ? detail.txHash : null;
      continue;
    }
    if (event.toStatus === "allocated" && settledBy !== undefined) {
      steps.push({ id: event.id, at: event.at, kind: "settled", txHash: typeof detail.txHash === "string" ? detail.txHash : settledBy });
      settledBy = undefined;
    } else if (detail.coolingOff === true) {
      steps.push({ id: event.id, at: event.at, kind: "coolingOff" });
    } else if (event.toStatus === "awaiting_payment" && detail.method === "stablecoin") {
      steps.push({ id: event.id, at: event.at, kind: "signed" });
    } else {
      steps.push({ id: event.id, at: event.at, kind: "status", status: event.toStatus });
    }
  }
  return steps;
}

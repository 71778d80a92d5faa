/** Every background job, by name; data shapes beside each. */
export const JOBS = {
  heartbeat: "system.heartbeat",
  /** { orderId }: mint a paid order's units to the holder's wallet (batched by the signer queue). */
  allocate: "orders.allocate",
  /** { orderId }: take a refunded order's units back on chain. */
  clawback: "orders.clawback",
  /** { orderId }: freeze the holder's wallet while a dispute is open. */
  freeze: "orders.freeze",
  /** { orderId }: lift the freeze once the order's dispute is closed (and no other is open). */
  unfreeze: "orders.unfreeze",
  /** { exceptionId } or { sweep }: refund a payment the portal could not apply (idempotent at the processor). */
  refundPayment: "payments.refund",
  /** { userId }: allowlist an approved investor's wallet on chain. */
  allowlist: "wallets.allowlist",
  /** {}: expire unpaid reservations whose Checkout Session has expired. */
  expireReservations: "orders.expire-reservations",
  /** {}: compare chain and database. */
  reconcile: "chain.reconcile",
} as const;

export type JobName = (typeof JOBS)[keyof typeof JOBS];
export const ALL_JOBS: JobName[] = Object.values(JOBS);

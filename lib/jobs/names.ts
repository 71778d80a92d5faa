/** Every background job, by name; what each carries is in `JobPayloads` below. */
export const JOBS = {
  heartbeat: "system.heartbeat",
  /** Mint a paid order's units to the holder's wallet (batched by the signer queue); or the minute's sweep. */
  allocate: "orders.allocate",
  /** Take a refunded order's units back on chain. */
  clawback: "orders.clawback",
  /** Freeze the holder's wallet while a dispute is open. */
  freeze: "orders.freeze",
  /** Lift the freeze once the order's dispute is closed (and no other is open). */
  unfreeze: "orders.unfreeze",
  /** Refund a payment the portal could not apply (idempotent at the processor); or the sweep for lost ones. */
  refundPayment: "payments.refund",
  /** Allowlist an approved investor's wallet on chain. */
  allowlist: "wallets.allowlist",
  /** Expire unpaid reservations whose Checkout Session has expired. */
  expireReservations: "orders.expire-reservations",
  /** Compare chain and database. */
  reconcile: "chain.reconcile",
  /** Follow a staff operation on a token (pause, freeze, forced transfer) to its receipt; or the sweep. */
  chainOperation: "chain.operation",
  /** Mail a published update's pending notifications; or the sweep that mails whatever is pending. */
  notificationMail: "notifications.mail",
  /** Mail one notice about an investor's money or identity check; or the sweep for pending ones. */
  noticeMail: "notices.mail",
  /** Deploy an approved offering's token through the signer queue and record its address. */
  deployToken: "offerings.deploy-token",
  /** Close the open offerings whose end time has passed (scheduled). */
  closeDueOfferings: "offerings.close-due",
  /** Make the settlement report of a closed offering (needs the card fees from the processor). */
  settleOffering: "offerings.settle",
  /** Take the record-date holder snapshot of a bond's payment from the chain; or the daily sweep for due ones. */
  recordSnapshot: "bonds.record-snapshot",
  /** Burn the redeemed holders' units of an approved final run through the signer queue; or the sweep. */
  redeemBurn: "bonds.redeem-burn",
  /** Take the record-date holders' snapshot of a village token (votes, holding perks); or the hourly sweep. */
  holdersSnapshot: "holders.record-snapshot",
  /** Burn the units a holder gave up for a perk claim through the signer queue; or the sweep. */
  perkBurn: "perks.burn",
  /** Give back, by a new allocation, the units of a cancelled perk claim that were burned; or the sweep. */
  perkRestore: "perks.restore",
  /** Allowlist an approved linked wallet on its offering's token (or take an unlinked one off); or the sweep. */
  linkedWalletAllowlist: "wallets.linked-allowlist",
  /** Send a withdrawal from the custodial wallet to a linked wallet (gas top-up, then the custodial key's transfer); or the sweep. */
  withdrawalSend: "withdrawals.send",
  /** Submit a stablecoin payment with its allocation (delivery versus payment) and record the outcome; or the sweep. */
  stablecoinSettle: "stablecoin.settle",
  /** Send the "payment due tomorrow" notice of konbini and bank-transfer orders (hourly sweep). */
  paymentReminder: "orders.payment-reminder",
  /** Cancel an unpaid konbini / bank-transfer payment at the processor once its order is released; or the sweep. */
  cancelDeferredPayment: "orders.cancel-deferred-payment",
  /** Refund an order cancelled within its cooling-off period (the clawback follows the refund); or the sweep. */
  coolingOffRefund: "orders.cooling-off-refund",
} as const;

export type JobName = (typeof JOBS)[keyof typeof JOBS];
export const ALL_JOBS: JobName[] = Object.values(JOBS);

type Nothing = Record<string, never>;
/** One job for one thing, or the scheduled sweep; `?: never` lets a handler read either field. */
type OneOrSweep<T> = (T & { sweep?: never }) | ({ sweep: true } & { [K in keyof T]?: never });

/** The data each job carries: `enqueue` and the workers (lib/jobs/work.ts) are typed by it. */
type JobPayloads = {
  [JOBS.heartbeat]: Nothing;
  [JOBS.allocate]: OneOrSweep<{ orderId: string }>;
  [JOBS.clawback]: { orderId: string };
  [JOBS.freeze]: { orderId: string };
  [JOBS.unfreeze]: { orderId: string };
  [JOBS.refundPayment]: OneOrSweep<{ exceptionId: string }>;
  [JOBS.allowlist]: { userId: string };
  [JOBS.expireReservations]: Nothing;
  [JOBS.reconcile]: Nothing;
  [JOBS.chainOperation]: OneOrSweep<{ chainTransactionId: string }>;
  [JOBS.notificationMail]: OneOrSweep<{ updateId: string }>;
  [JOBS.noticeMail]: OneOrSweep<{ notificationId: string }>;
  [JOBS.deployToken]: { offeringId: string };
  [JOBS.closeDueOfferings]: Nothing;
  /** `requestedBy`: the staff member who asked for the report, or null for the closing job. */
  [JOBS.settleOffering]: { offeringId: string; requestedBy: string | null };
  [JOBS.recordSnapshot]: OneOrSweep<{ offeringId: string; paymentDate: string }>;
  [JOBS.redeemBurn]: OneOrSweep<{ runId: string }>;
  [JOBS.holdersSnapshot]: OneOrSweep<{ offeringId: string; recordDate: string }>;
  [JOBS.perkBurn]: OneOrSweep<{ claimId: string }>;
  [JOBS.perkRestore]: OneOrSweep<{ claimId: string }>;
  [JOBS.linkedWalletAllowlist]: OneOrSweep<{ approvalId: string }>;
  [JOBS.paymentReminder]: Nothing;
  [JOBS.cancelDeferredPayment]: OneOrSweep<{ orderId: string }>;
  [JOBS.coolingOffRefund]: OneOrSweep<{ orderId: string }>;
  [JOBS.withdrawalSend]: OneOrSweep<{ withdrawalId: string }>;
  [JOBS.stablecoinSettle]: OneOrSweep<{ paymentId: string }>;
};

/** A job name without a payload above fails here, at compile time. */
export type JobData<N extends JobName> = JobPayloads[N];

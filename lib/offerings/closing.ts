import "server-only";
import { and, asc, eq, inArray, lte, ne, or } from "drizzle-orm";
import { getDb, type DbOrTx, type Tx } from "@/db/client";
import { offerings, orders, type Offering } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { enqueue } from "@/lib/jobs/enqueue";
import { JOBS } from "@/lib/jobs/names";
import { expireAtProcessor, expireInTx } from "@/lib/orders/expiry";
import { UNPAID } from "@/lib/orders/status";
import type { PaymentProvider } from "@/lib/payments/provider";
import { paymentProvider } from "@/lib/payments/stripe";

const CLOSABLE: Offering["status"][] = ["draft", "open", "paused"];
// A closed offering is public: a draft whose terms nobody approved stays a draft rather than be published by closing it.
const unapprovedDraft = (o: Pick<Offering, "status" | "approvedRevision" | "termsRevision">) => o.status === "draft" && o.approvedRevision !== o.termsRevision;
const notUnapprovedDraft = or(ne(offerings.status, "draft"), eq(offerings.approvedRevision, offerings.termsRevision));

type Closed = { ok: true; released: number } | { ok: false; error: "notAllowed" };

const unpaidOrders = (db: DbOrTx, offeringId: string) =>
  db
    .select({ id: orders.id, stripeCheckoutSessionId: orders.stripeCheckoutSessionId })
    .from(orders)
    .where(and(eq(orders.offeringId, offeringId), inArray(orders.status, [...UNPAID])))
    .orderBy(asc(orders.createdAt));

/**
 * The closing itself, in one transaction: status closed, every open reservation released (its
 * Checkout Session expired at the processor first, unless `expired` says that session already was),
 * both audited, and the settlement report's job queued. Orders whose payment completed meanwhile
 * keep their units: their payment event settles them, as for any payment that beats expiry.
 */
export async function closeInTx(
  tx: Tx,
  offeringId: string,
  actorId: string | null,
  provider: PaymentProvider,
  options: { expired?: ReadonlyMap<string, string | null>; now?: Date } = {},
): Promise<Closed> {
  const now = options.now ?? new Date();
  // Orders first, then the offering: the order in which a payment locks them too.
  await unpaidOrders(tx, offeringId).for("update");
  const [closed] = await tx
    .update(offerings)
    .set({ status: "closed", closedAt: now })
    .where(and(eq(offerings.id, offeringId), inArray(offerings.status, CLOSABLE), notUnapprovedDraft))
    .returning({ status: offerings.status });
  if (!closed) return { ok: false, error: "notAllowed" };
  // The offering is closed under its row lock: no reservation can be added any more, so this list is
  // final. An order locked now is being paid or released by its own event (which waits for this
  // offering row): skipping it avoids a deadlock, and that event settles it.
  const open = await unpaidOrders(tx, offeringId).for("update", { skipLocked: true });
  let released = 0;
  for (const order of open) {
    const done = options.expired?.has(order.id) && options.expired.get(order.id) === order.stripeCheckoutSessionId;
    if (!done && !(await expireAtProcessor(order, provider))) continue;
    if (await expireInTx(tx, order.id, "offering_closed")) released += 1;
  }
  await recordAudit(tx, { actorId, action: "offering.closed", targetType: "offering", targetId: offeringId, detail: { closedAt: now.toISOString(), byJob: actorId === null } });
  await recordAudit(tx, { actorId, action: "offering.reservations_released", targetType: "offering", targetId: offeringId, detail: { count: released } });
  await enqueue(tx, JOBS.settleOffering, { offeringId, requestedBy: actorId });
  return { ok: true, released };
}

/**
 * Closes an offering (staff, or the closing job with `actorId` null). The Checkout Sessions of
 * its open orders are expired at the processor before the closing transaction, so that the
 * transaction holds its locks only for the few orders placed in between.
 */
export async function closeOffering(offeringId: string, actorId: string | null, options: { provider?: PaymentProvider; now?: Date } = {}): Promise<Closed> {
  const db = getDb();
  const provider = options.provider ?? paymentProvider();
  const [offering] = await db
    .select({ status: offerings.status, approvedRevision: offerings.approvedRevision, termsRevision: offerings.termsRevision })
    .from(offerings)
    .where(eq(offerings.id, offeringId));
  if (!offering || !CLOSABLE.includes(offering.status) || unapprovedDraft(offering)) return { ok: false, error: "notAllowed" };
  // Order → the session expired for it (null: it had none yet, and must still have none to count).
  const expired = new Map<string, string | null>();
  for (const order of await unpaidOrders(db, offeringId)) {
    if (await expireAtProcessor(order, provider)) expired.set(order.id, order.stripeCheckoutSessionId);
  }
  return db.transaction((tx) => closeInTx(tx, offeringId, actorId, provider, { expired, now: options.now }));
}

/** The closing job: every open or paused offering whose end time has passed. Returns how many it closed. */
export async function closeDueOfferings(now = new Date(), provider: PaymentProvider = paymentProvider()): Promise<number> {
  const due = await getDb()
    .select({ id: offerings.id })
    .from(offerings)
    .where(and(inArray(offerings.status, ["open", "paused"]), lte(offerings.closesAt, now)))
    .orderBy(asc(offerings.closesAt));
  let closed = 0;
  for (const offering of due) {
    if ((await closeOffering(offering.id, null, { provider, now })).ok) closed += 1;
  }
  return closed;
}

import "server-only";
import { eq, sql } from "drizzle-orm";
import { fromDrizzle, PgBoss } from "pg-boss";
import type { DbOrTx } from "@/db/client";
import { notifications, offerings, orders, type NoticeDetail, type NoticeKind } from "@/db/schema";
import { explorerTxUrl } from "@/lib/chain/queries";
import { enqueue } from "@/lib/jobs/enqueue";
import { JOBS } from "@/lib/jobs/names";
import { MAIL_JOB_OPTIONS } from "./jobs";

/** The notices about an investor's money and identity check (every kind but a project update). */
type Notice = Exclude<NoticeKind, "update">;
type OrderNotice = Extract<Notice, "payment_received" | "tokens_allocated" | "order_refunded" | "order_expired">;

/**
 * Gives an investor a notice, in the app and by mail, inside the transaction of the event that
 * caused it: the row (also the mail's outbox) and its mail job exist exactly when the event
 * committed. Once per investor, kind and order, so a redelivered event adds nothing. These are
 * always mailed: the opt-out covers project updates only.
 */
export async function notify(tx: DbOrTx, notice: { userId: string; kind: Notice; orderId?: string | null; detail?: NoticeDetail }): Promise<string | null> {
  const [row] = await tx
    .insert(notifications)
    .values({ userId: notice.userId, kind: notice.kind, orderId: notice.orderId ?? null, detail: notice.detail ?? {}, emailStatus: "pending" })
    .onConflictDoNothing()
    .returning({ id: notifications.id });
  if (!row) return null;
  await enqueue(tx, JOBS.noticeMail, { notificationId: row.id }, MAIL_JOB_OPTIONS);
  return row.id;
}

/**
 * Many notices at once (a coupon run's holders, a batch of allocations), like notify() but in two
 * statements however many: the rows from one JSON parameter, and their mail jobs in one pg-boss
 * insert. An order's notice already given is skipped, as notify() skips it.
 */
export async function notifyMany(tx: DbOrTx, notices: { userId: string; kind: Notice; orderId?: string | null; detail: NoticeDetail }[]): Promise<string[]> {
  if (notices.length === 0) return [];
  const given = notices.map((notice) => ({ user_id: notice.userId, kind: notice.kind, order_id: notice.orderId ?? null, detail: notice.detail }));
  const rows = await tx.execute<{ id: string }>(sql`
    insert into ${notifications} (user_id, kind, order_id, detail, email_status)
    select user_id, kind, order_id, detail, 'pending' from jsonb_to_recordset(${JSON.stringify(given)}::jsonb)
      as given(user_id text, kind text, order_id uuid, detail jsonb)
    on conflict do nothing
    returning id`);
  const ids = rows.map((row) => row.id);
  if (ids.length === 0) return [];
  const executor = fromDrizzle(tx, sql);
  await new PgBoss({ db: executor, schema: "pgboss" }).insert(
    JOBS.noticeMail,
    ids.map((notificationId) => ({ data: { notificationId }, ...MAIL_JOB_OPTIONS })),
    { db: executor },
  );
  return ids;
}

/** What an order was, as its notices keep it, with the transaction's explorer link when there is one. */
function orderNoticeDetail(order: { units: number; amountYen: number; offeringNameJa: string; offeringNameEn: string }, txHash?: string | null): NoticeDetail {
  const detail: NoticeDetail = { units: order.units, amountYen: order.amountYen, offeringNameJa: order.offeringNameJa, offeringNameEn: order.offeringNameEn };
  if (txHash) Object.assign(detail, { txHash, explorerUrl: explorerTxUrl(txHash) });
  return detail;
}

/** notifyOrder() for a batch of orders read already (the allocations of one transaction). */
export function notifyOrders(
  tx: DbOrTx,
  kind: OrderNotice,
  batch: { id: string; userId: string; units: number; amountYen: number; offeringNameJa: string; offeringNameEn: string }[],
  txHash?: string | null,
): Promise<string[]> {
  return notifyMany(
    tx,
    batch.map((order) => ({ userId: order.userId, kind, orderId: order.id, detail: orderNoticeDetail(order, txHash) })),
  );
}

/** A notice about one order, to its investor, with what the order was (kept as it was then). */
export async function notifyOrder(tx: DbOrTx, orderId: string, kind: OrderNotice, extra: { amountYen?: number; txHash?: string | null } = {}): Promise<string | null> {
  const [order] = await tx
    .select({ userId: orders.userId, units: orders.units, amountYen: orders.amountYen, offeringNameJa: offerings.nameJa, offeringNameEn: offerings.nameEn })
    .from(orders)
    .innerJoin(offerings, eq(offerings.id, orders.offeringId))
    .where(eq(orders.id, orderId));
  if (!order) return null;
  const detail = orderNoticeDetail({ ...order, amountYen: extra.amountYen ?? order.amountYen }, extra.txHash);
  return notify(tx, { userId: order.userId, kind, orderId, detail });
}

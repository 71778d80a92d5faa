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
 * Many notices at once (a coupon run's holders), like notify() but in two statements however many:
 * the rows from one JSON parameter, and their mail jobs in one pg-boss insert.
 */
export async function notifyMany(tx: DbOrTx, notices: { userId: string; kind: Notice; detail: NoticeDetail }[]): Promise<string[]> {
  if (notices.length === 0) return [];
  const rows = await tx.execute<{ id: string }>(sql`
    insert into ${notifications} (user_id, kind, detail, email_status)
    select user_id, kind, detail, 'pending' from jsonb_to_recordset(${JSON.stringify(notices.map((notice) => ({ user_id: notice.userId, kind: notice.kind, detail: notice.detail })))}::jsonb)
      as given(user_id text, kind text, detail jsonb)
    returning id`);
  const ids = rows.map((row) => row.id);
  const executor = fromDrizzle(tx, sql);
  await new PgBoss({ db: executor, schema: "pgboss" }).insert(
    JOBS.noticeMail,
    ids.map((notificationId) => ({ data: { notificationId }, ...MAIL_JOB_OPTIONS })),
    { db: executor },
  );
  return ids;
}

/** A notice about one order, to its investor, with what the order was (kept as it was then). */
export async function notifyOrder(tx: DbOrTx, orderId: string, kind: OrderNotice, extra: { amountYen?: number; txHash?: string | null } = {}): Promise<string | null> {
  const [order] = await tx
    .select({ userId: orders.userId, units: orders.units, amountYen: orders.amountYen, offeringNameJa: offerings.nameJa, offeringNameEn: offerings.nameEn })
    .from(orders)
    .innerJoin(offerings, eq(offerings.id, orders.offeringId))
    .where(eq(orders.id, orderId));
  if (!order) return null;
  const { userId, ...snapshot } = order;
  const detail: NoticeDetail = { ...snapshot, amountYen: extra.amountYen ?? order.amountYen };
  if (extra.txHash) Object.assign(detail, { txHash: extra.txHash, explorerUrl: explorerTxUrl(extra.txHash) });
  return notify(tx, { userId, kind, orderId, detail });
}

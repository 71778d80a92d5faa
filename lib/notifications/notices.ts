import "server-only";
import { eq } from "drizzle-orm";
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

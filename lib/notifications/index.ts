import "server-only";
import { and, count, desc, eq, inArray, isNotNull, isNull, ne, or, sql } from "drizzle-orm";
import { getDb, type Tx } from "@/db/client";
import { notificationPreferences, notifications, orders, projects, projectUpdates } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { holderBalances } from "@/lib/register/ledger";
import { enqueueNotificationMail } from "./jobs";

/**
 * Tells every current holder of the offering about a newly published update: one in-app
 * notification each, which is also the outbox row of its email (skipped for those who turned
 * email off), and the mail job for them (lib/notifications/jobs.ts). Runs in the publishing
 * transaction; a second publication adds nothing.
 */
export async function notifyHolders(tx: Tx, updateId: string, offeringId: string): Promise<number> {
  const holders = await holderBalances(tx, { offeringId });
  if (holders.length === 0) return 0;
  const userIds = holders.map((holder) => holder.userId);
  const optedOut = await tx
    .select({ userId: notificationPreferences.userId })
    .from(notificationPreferences)
    .where(and(inArray(notificationPreferences.userId, userIds), eq(notificationPreferences.emailUpdates, false)));
  const noEmail = new Set(optedOut.map((row) => row.userId));
  const inserted = await tx
    .insert(notifications)
    .values(userIds.map((userId) => ({ userId, updateId, emailStatus: noEmail.has(userId) ? ("skipped" as const) : ("pending" as const) })))
    .onConflictDoNothing()
    .returning({ emailStatus: notifications.emailStatus });
  if (inserted.some((row) => row.emailStatus === "pending")) await enqueueNotificationMail(tx, updateId);
  return inserted.length;
}

/** A notice about the investor's money or identity is always shown; an update while it and its project are published. */
const visible = or(ne(notifications.kind, "update"), and(isNotNull(projectUpdates.publishedAt), isNotNull(projects.publishedAt)));

/** Every kind of notice of an investor, newest first. */
export async function listNotifications(userId: string, limit = 50) {
  return getDb()
    .select({
      id: notifications.id,
      kind: notifications.kind,
      detail: notifications.detail,
      orderId: notifications.orderId,
      orderSeq: orders.seq,
      readAt: notifications.readAt,
      createdAt: notifications.createdAt,
      updateId: notifications.updateId,
      titleJa: projectUpdates.titleJa,
      titleEn: projectUpdates.titleEn,
      publishedAt: projectUpdates.publishedAt,
      projectSlug: projects.slug,
      projectTitleJa: projects.titleJa,
      projectTitleEn: projects.titleEn,
    })
    .from(notifications)
    .leftJoin(projectUpdates, eq(projectUpdates.id, notifications.updateId))
    .leftJoin(projects, eq(projects.id, projectUpdates.projectId))
    .leftJoin(orders, eq(orders.id, notifications.orderId))
    .where(and(eq(notifications.userId, userId), visible))
    .orderBy(desc(notifications.createdAt))
    .limit(limit);
}

export async function unreadCount(userId: string): Promise<number> {
  const [row] = await getDb()
    .select({ n: count() })
    .from(notifications)
    .leftJoin(projectUpdates, eq(projectUpdates.id, notifications.updateId))
    .leftJoin(projects, eq(projects.id, projectUpdates.projectId))
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt), visible));
  return row?.n ?? 0;
}

export async function markAllRead(userId: string): Promise<number> {
  const rows = await getDb()
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return rows.length;
}

/** Email about new updates is on unless the holder turned it off (notices are mailed regardless). */
export async function emailUpdatesEnabled(userId: string): Promise<boolean> {
  const [row] = await getDb().select().from(notificationPreferences).where(eq(notificationPreferences.userId, userId));
  return row?.emailUpdates ?? true;
}

export async function setEmailUpdates(userId: string, enabled: boolean): Promise<void> {
  await getDb().transaction(async (tx) => {
    await tx
      .insert(notificationPreferences)
      .values({ userId, emailUpdates: enabled })
      .onConflictDoUpdate({ target: notificationPreferences.userId, set: { emailUpdates: enabled, updatedAt: sql`now()` } });
    // Update mail not yet sent follows the new choice; notices about money and identity are always mailed.
    if (!enabled) {
      await tx
        .update(notifications)
        .set({ emailStatus: "skipped" })
        .where(and(eq(notifications.userId, userId), eq(notifications.kind, "update"), eq(notifications.emailStatus, "pending")));
    }
    await recordAudit(tx, { actorId: userId, action: "notifications.email_preference", targetType: "user", targetId: userId, detail: { emailUpdates: enabled } });
  });
}

import "server-only";
import { and, asc, eq, lt, ne, notInArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { notifications, orders, projects, projectUpdates, users } from "@/db/schema";
import { env } from "@/lib/env";
import { sendMail } from "@/lib/mail";
import { composeMail } from "./mail";

export const MAX_EMAIL_ATTEMPTS = 5;

export type DeliveryResult = {
  sent: number;
  failed: number;
  /** Failed sends that stay pending, for a later run (the rest reached MAX_EMAIL_ATTEMPTS). */
  toRetry: number;
  /** The run stopped at its limit: more may be pending. */
  more: boolean;
};

/** Which pending mail a run sends: one update's, one notice's, or every pending update or notice (the sweeps). */
export type DeliveryScope = { updateId: string } | { notificationId: string } | { sweep: "updates" | "notices" };

function scopeFilter(scope: DeliveryScope) {
  if ("updateId" in scope) return eq(notifications.updateId, scope.updateId);
  if ("notificationId" in scope) return eq(notifications.id, scope.notificationId);
  return scope.sweep === "updates" ? eq(notifications.kind, "update") : ne(notifications.kind, "update");
}

/**
 * Sends pending notification mail (of one update, one notice, or all of them), one row per transaction: the
 * row stays locked while its mail is sent and is marked sent only after, so a crash means a resend
 * rather than a lost mail, and two deliverers running at once (a job and the sweep) never pick the
 * same row (SKIP LOCKED). Only `pending` rows are mailed, so a second run mails nobody twice.
 */
export async function deliverPendingEmails(scope: DeliveryScope, limit = 500): Promise<DeliveryResult> {
  const db = getDb();
  const result: DeliveryResult = { sent: 0, failed: 0, toRetry: 0, more: false };
  const failedNow: string[] = []; // tried once in this run already; retried on a later run
  for (let i = 0; i < limit; i++) {
    const outcome = await db.transaction(async (tx) => {
      const [row] = await tx
        .select({
          id: notifications.id,
          attempts: notifications.emailAttempts,
          kind: notifications.kind,
          detail: notifications.detail,
          orderId: notifications.orderId,
          orderSeq: orders.seq,
          email: users.email,
          locale: users.locale,
          updateId: notifications.updateId,
          titleJa: projectUpdates.titleJa,
          titleEn: projectUpdates.titleEn,
          bodyJa: projectUpdates.bodyJa,
          bodyEn: projectUpdates.bodyEn,
          slug: projects.slug,
          projectJa: projects.titleJa,
          projectEn: projects.titleEn,
        })
        .from(notifications)
        .innerJoin(users, eq(users.id, notifications.userId))
        .leftJoin(projectUpdates, eq(projectUpdates.id, notifications.updateId))
        .leftJoin(projects, eq(projects.id, projectUpdates.projectId))
        .leftJoin(orders, eq(orders.id, notifications.orderId))
        .where(
          and(
            eq(notifications.emailStatus, "pending"),
            lt(notifications.emailAttempts, MAX_EMAIL_ATTEMPTS),
            scopeFilter(scope),
            failedNow.length > 0 ? notInArray(notifications.id, failedNow) : undefined,
          ),
        )
        .orderBy(asc(notifications.createdAt))
        .limit(1)
        .for("update", { of: notifications, skipLocked: true });
      if (!row) return "empty" as const;
      try {
        await sendMail(composeMail(row, env().authUrl));
      } catch (error) {
        console.error("[notifications] mail failed", error);
        failedNow.push(row.id);
        const attempts = row.attempts + 1;
        await tx
          .update(notifications)
          .set({ emailAttempts: attempts, emailStatus: attempts >= MAX_EMAIL_ATTEMPTS ? "failed" : "pending" })
          .where(eq(notifications.id, row.id));
        if (attempts < MAX_EMAIL_ATTEMPTS) result.toRetry += 1;
        return "failed" as const;
      }
      await tx
        .update(notifications)
        .set({ emailStatus: "sent", emailedAt: sql`now()`, emailAttempts: row.attempts + 1 })
        .where(eq(notifications.id, row.id));
      return "sent" as const;
    });
    if (outcome === "empty") return result;
    result[outcome] += 1;
  }
  result.more = true;
  return result;
}

import "server-only";
import { and, asc, eq, lt, notInArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { notifications, projects, projectUpdates, users } from "@/db/schema";
import { env } from "@/lib/env";
import { translator } from "@/lib/i18n/catalog";
import { localized } from "@/lib/i18n/localized";
import { sendMail } from "@/lib/mail";
import { markdownToText } from "@/lib/markdown/render";

export const MAX_EMAIL_ATTEMPTS = 5;

export type DeliveryResult = {
  sent: number;
  failed: number;
  /** Failed sends that stay pending, for a later run (the rest reached MAX_EMAIL_ATTEMPTS). */
  toRetry: number;
  /** The run stopped at its limit: more may be pending. */
  more: boolean;
};

/**
 * Sends pending notification mail (of one update, or all of it), one row per transaction: the
 * row stays locked while its mail is sent and is marked sent only after, so a crash means a resend
 * rather than a lost mail, and two deliverers running at once (a job and the sweep) never pick the
 * same row (SKIP LOCKED). Only `pending` rows are mailed, so a second run mails nobody twice.
 */
export async function deliverPendingEmails(options: { updateId?: string; limit?: number } = {}): Promise<DeliveryResult> {
  const { updateId, limit = 500 } = options;
  const db = getDb();
  const result: DeliveryResult = { sent: 0, failed: 0, toRetry: 0, more: false };
  const failedNow: string[] = []; // tried once in this run already; retried on a later run
  for (let i = 0; i < limit; i++) {
    const outcome = await db.transaction(async (tx) => {
      const [row] = await tx
        .select({
          id: notifications.id,
          attempts: notifications.emailAttempts,
          email: users.email,
          locale: users.locale,
          updateId: projectUpdates.id,
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
        .innerJoin(projectUpdates, eq(projectUpdates.id, notifications.updateId))
        .innerJoin(projects, eq(projects.id, projectUpdates.projectId))
        .where(
          and(
            eq(notifications.emailStatus, "pending"),
            lt(notifications.emailAttempts, MAX_EMAIL_ATTEMPTS),
            updateId ? eq(notifications.updateId, updateId) : undefined,
            failedNow.length > 0 ? notInArray(notifications.id, failedNow) : undefined,
          ),
        )
        .orderBy(asc(notifications.createdAt))
        .limit(1)
        .for("update", { of: notifications, skipLocked: true });
      if (!row) return "empty" as const;
      const t = translator(row.locale);
      const base = env().authUrl.replace(/\/$/, "");
      const link = `${base}/projects/${row.slug}#update-${row.updateId}`;
      const title = localized(row, "title", row.locale);
      try {
        await sendMail({
          to: row.email,
          subject: t("notifications.mailSubject", { project: localized(row, "project", row.locale), title }),
          text: t("notifications.mailBody", { title, excerpt: markdownToText(localized(row, "body", row.locale), 300), url: link, settings: `${base}/notifications` }),
          link,
        });
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

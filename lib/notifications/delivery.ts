import "server-only";
import { and, asc, eq, lt, notInArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { notifications, projects, projectUpdates, users } from "@/db/schema";
import { env } from "@/lib/env";
import { translator } from "@/lib/i18n/catalog";
import { sendMail } from "@/lib/mail";
import { markdownToText } from "@/lib/markdown/render";

export const MAX_EMAIL_ATTEMPTS = 5;

/**
 * Sends pending notification mail, one row per transaction: the row stays locked while its mail
 * is sent and is marked sent only after, so a crash means a resend rather than a lost mail, and
 * two deliverers running at once never pick the same row (SKIP LOCKED).
 */
export async function deliverPendingEmails(limit = 500): Promise<{ sent: number; failed: number }> {
  const db = getDb();
  const result = { sent: 0, failed: 0 };
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
            failedNow.length > 0 ? notInArray(notifications.id, failedNow) : undefined,
          ),
        )
        .orderBy(asc(notifications.createdAt))
        .limit(1)
        .for("update", { of: notifications, skipLocked: true });
      if (!row) return "empty" as const;
      const ja = row.locale === "ja";
      const t = translator(row.locale);
      const base = env().authUrl.replace(/\/$/, "");
      const link = `${base}/projects/${row.slug}#update-${row.updateId}`;
      const title = ja ? row.titleJa : row.titleEn;
      try {
        await sendMail({
          to: row.email,
          subject: t("notifications.mailSubject", { project: ja ? row.projectJa : row.projectEn, title }),
          text: t("notifications.mailBody", { title, excerpt: markdownToText(ja ? row.bodyJa : row.bodyEn, 300), url: link, settings: `${base}/notifications` }),
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
        return "failed" as const;
      }
      await tx
        .update(notifications)
        .set({ emailStatus: "sent", emailedAt: sql`now()`, emailAttempts: row.attempts + 1 })
        .where(eq(notifications.id, row.id));
      return "sent" as const;
    });
    if (outcome === "empty") break;
    result[outcome] += 1;
  }
  return result;
}

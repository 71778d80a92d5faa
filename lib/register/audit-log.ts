import "server-only";
import { and, asc, desc, eq, gte, ilike, isNull, like, lt, or } from "drizzle-orm";
import { getDb } from "@/db/client";
import { auditLog, users } from "@/db/schema";

/** Reading the append-only audit log for the staff page (recordAudit in lib/audit writes it). */

export type AuditFilter = {
  /** Part of the actor's email, or "system" for entries without an actor. */
  actor?: string;
  /** An action name, or a prefix ending in "." such as "project.". */
  action?: string;
  from?: Date;
  /** Exclusive. */
  to?: Date;
  /** Keyset paging: entries older than this id. */
  before?: number;
};

const AUDIT_PAGE_SIZE = 50;

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (ch) => `\\${ch}`);

export async function searchAuditLog(filter: AuditFilter, limit = AUDIT_PAGE_SIZE) {
  const actor = filter.actor?.trim();
  const rows = await getDb()
    .select({ entry: auditLog, actorEmail: users.email })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(
      and(
        actor ? (actor === "system" ? isNull(auditLog.actorId) : or(ilike(users.email, `%${escapeLike(actor)}%`), eq(auditLog.actorId, actor))) : undefined,
        filter.action ? (filter.action.endsWith(".") ? like(auditLog.action, `${escapeLike(filter.action)}%`) : eq(auditLog.action, filter.action)) : undefined,
        filter.from ? gte(auditLog.at, filter.from) : undefined,
        filter.to ? lt(auditLog.at, filter.to) : undefined,
        filter.before ? lt(auditLog.id, filter.before) : undefined,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return { entries: page, nextBefore: rows.length > limit ? page[page.length - 1]!.entry.id : null };
}

/** The actions found in the log: those of AUDIT_ACTIONS (lib/audit), and any older name the append-only log keeps. */
export async function auditActions(): Promise<string[]> {
  const rows = await getDb().selectDistinct({ action: auditLog.action }).from(auditLog).orderBy(asc(auditLog.action));
  return rows.map((row) => row.action);
}

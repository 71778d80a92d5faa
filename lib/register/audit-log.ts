import "server-only";
import { and, asc, desc, eq, gte, ilike, isNull, like, lt, or, sql, type SQL } from "drizzle-orm";
import { getDb } from "@/db/client";
import { auditLog, offerings, orders, paymentExceptions, projects, projectUpdates, users } from "@/db/schema";
import type { StaffScope } from "@/lib/issuers/scope";

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

/**
 * The entries a staff member may read: those they made, and those about their issuers, their
 * offerings, projects, updates, orders and payment exceptions, found by the target or by the ids
 * the entry's detail names (offeringId, projectId, issuerId, exceptionId). An admin reads all.
 */
function visibleTo(scope: StaffScope): SQL | undefined {
  if (scope.all) return undefined;
  if (scope.issuerIds.length === 0) return eq(auditLog.actorId, scope.userId);
  const issuers = sql.join(
    scope.issuerIds.map((id) => sql`${id}`),
    sql`, `,
  );
  const offeringIds = sql`select ${offerings.id} from ${offerings} where ${offerings.villageId} in (${issuers})`;
  const projectIds = sql`select ${projects.id} from ${projects} where ${projects.offeringId} in (${offeringIds})`;
  const exceptionIds = sql`select ${paymentExceptions.id} from ${paymentExceptions} where ${paymentExceptions.offeringId} in (${offeringIds})
    or ${paymentExceptions.orderId} in (select ${orders.id} from ${orders} where ${orders.offeringId} in (${offeringIds}))`;
  const target = (type: string, ids: SQL) => sql`(${auditLog.targetType} = ${type} and ${auditLog.targetId} in (select id::text from (${ids}) as scoped(id)))`;
  const named = (key: string, ids: SQL) => sql`${auditLog.detail} ->> ${key} in (select id::text from (${ids}) as scoped(id))`;
  return or(
    eq(auditLog.actorId, scope.userId),
    sql`(${auditLog.targetType} in ('issuer', 'village') and ${auditLog.targetId} in (${issuers}))`,
    sql`${auditLog.detail} ->> 'issuerId' in (${issuers})`,
    target("offering", offeringIds),
    named("offeringId", offeringIds),
    target("project", projectIds),
    named("projectId", projectIds),
    target("project_update", sql`select ${projectUpdates.id} from ${projectUpdates} where ${projectUpdates.projectId} in (${projectIds})`),
    target("order", sql`select ${orders.id} from ${orders} where ${orders.offeringId} in (${offeringIds})`),
    target("payment", exceptionIds),
    sql`(${auditLog.targetType} = 'payment' and ${auditLog.targetId} in (select ${paymentExceptions.paymentIntentId} from ${paymentExceptions} where ${paymentExceptions.id} in (${exceptionIds})))`,
    named("exceptionId", exceptionIds),
  );
}

export async function searchAuditLog(filter: AuditFilter, scope: StaffScope, limit = AUDIT_PAGE_SIZE) {
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
        visibleTo(scope),
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

import "server-only";
import type { DbOrTx } from "@/db/client";
import { auditLog } from "@/db/schema";
import type { AuditAction } from "./actions";

export type { AuditAction } from "./actions";

export type AuditEntry = {
  actorId: string | null;
  action: AuditAction;
  targetType?: string;
  targetId?: string;
  detail?: Record<string, unknown>;
};

/** Appends to the audit log, inside the caller's transaction so the record and the change agree. */
export async function recordAudit(db: DbOrTx, entry: AuditEntry | AuditEntry[]): Promise<void> {
  const entries = Array.isArray(entry) ? entry : [entry];
  if (entries.length > 0) await db.insert(auditLog).values(entries);
}

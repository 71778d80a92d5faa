import "server-only";
import type { Db } from "@/db/client";
import { auditLog } from "@/db/schema";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export type AuditEntry = {
  actorId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  detail?: Record<string, unknown>;
};

/** Appends to the audit log, inside the caller's transaction so the record and the change agree. */
export async function recordAudit(db: Db | Tx, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values(entry);
}

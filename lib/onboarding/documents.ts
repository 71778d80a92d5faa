import "server-only";
import { and, desc, eq, inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { documentAcceptances, legalDocuments } from "@/db/schema";

export type LegalKind = "risk_disclosure" | "terms" | "pre_contract";
const ONBOARDING_DOCUMENTS: LegalKind[] = ["risk_disclosure", "terms"];

/** The newest published version of each kind. */
async function currentDocuments(kinds: LegalKind[]) {
  const db = getDb();
  const rows = await db.select().from(legalDocuments).where(inArray(legalDocuments.kind, kinds)).orderBy(desc(legalDocuments.publishedAt));
  return kinds.map((kind) => rows.find((row) => row.kind === kind)).filter((row) => row !== undefined);
}

/** Current versions this user has not accepted yet: a new version asks again. */
export async function documentsToAccept(userId: string, kinds: LegalKind[] = ONBOARDING_DOCUMENTS) {
  const db = getDb();
  const current = await currentDocuments(kinds);
  if (current.length === 0) return [];
  const accepted = await db
    .select({ documentId: documentAcceptances.documentId })
    .from(documentAcceptances)
    .where(
      and(
        eq(documentAcceptances.userId, userId),
        inArray(
          documentAcceptances.documentId,
          current.map((doc) => doc.id),
        ),
      ),
    );
  const acceptedIds = new Set(accepted.map((row) => row.documentId));
  return current.filter((doc) => !acceptedIds.has(doc.id));
}

/** Records acceptance of exactly the current versions shown; a stale or unknown id is refused. */
export async function acceptDocuments(userId: string, documentIds: string[], kinds: LegalKind[] = ONBOARDING_DOCUMENTS) {
  const db = getDb();
  const pending = await documentsToAccept(userId, kinds);
  const pendingIds = new Set(pending.map((doc) => doc.id));
  const wanted = new Set(documentIds);
  if (pending.length === 0) return { ok: true as const };
  if (![...pendingIds].every((id) => wanted.has(id)) || ![...wanted].every((id) => pendingIds.has(id))) {
    return { ok: false as const };
  }
  await db.insert(documentAcceptances).values(pending.map((doc) => ({ userId, documentId: doc.id })));
  return { ok: true as const };
}

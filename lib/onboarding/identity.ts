import "server-only";
import { desc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { identityDocuments } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { decodeProblem } from "@/lib/uploads/image-check";
import { sniffContentType, uploadStorage } from "@/lib/uploads/storage";
import { decideReview } from "./review";
import type { MasterKeys } from "@/lib/custody/envelope";

const MAX_IDENTITY_DOCUMENT_BYTES = 5 * 1024 * 1024;
const ACCEPTED = new Set(["image/jpeg", "image/png", "application/pdf"]);

export type IdentityUploadError = "missing" | "tooLarge" | "type" | "corrupt" | "dimensions" | "alreadySubmitted";

async function latestIdentityDocument(userId: string) {
  const db = getDb();
  const [row] = await db.select().from(identityDocuments).where(eq(identityDocuments.userId, userId)).orderBy(desc(identityDocuments.submittedAt)).limit(1);
  return row ?? null;
}

export type IdentityStatus = "not_submitted" | "in_review" | "approved" | "rejected";

export async function identityStatusOf(userId: string): Promise<{ status: IdentityStatus; reason: string | null }> {
  const _db = getDb();
  const latest = await latestIdentityDocument(userId);
  if (!latest) return { status: "not_submitted", reason: null };
  return { status: latest.status, reason: latest.rejectionReason };
}

/**
 * Stores the document under a generated name outside public/ and queues it for review. The type
 * is judged by content; a second submission while one is in review or approved is refused.
 */
export async function submitIdentityDocument(options: {
  userId: string;
  file: File | null;
  uploadDir: string;
  autoApprove: boolean;
  masterKeys: MasterKeys;
}): Promise<{ ok: true; status: IdentityStatus } | { ok: false; error: IdentityUploadError }> {
  const db = getDb();
  const { userId, file } = options;
  if (!file || file.size === 0) return { ok: false, error: "missing" };
  if (file.size > MAX_IDENTITY_DOCUMENT_BYTES) return { ok: false, error: "tooLarge" };
  const bytes = new Uint8Array(await file.arrayBuffer());
  const type = sniffContentType(bytes);
  if (!type || !ACCEPTED.has(type)) return { ok: false, error: "type" };
  // An image is stored as uploaded (staff see the original), but only once it decodes in full.
  const problem = type === "image/jpeg" || type === "image/png" ? await decodeProblem(bytes, type) : null;
  if (problem) return { ok: false, error: problem };

  const current = await identityStatusOf(userId);
  if (current.status === "in_review" || current.status === "approved") return { ok: false, error: "alreadySubmitted" };

  const storageKey = await uploadStorage(options.uploadDir).put("identity", bytes, type);
  const inserted = await db.transaction(async (tx) => {
    const [row] = await tx.insert(identityDocuments).values({ userId, storageKey, contentType: type, sizeBytes: bytes.length }).onConflictDoNothing().returning();
    if (row) await recordAudit(tx, { actorId: userId, action: "identity.submitted", targetType: "identity_document", targetId: row.id });
    return row;
  });
  if (!inserted) return { ok: false, error: "alreadySubmitted" };

  if (options.autoApprove) {
    await decideReview({ reviewerId: null, documentId: inserted.id, decision: "approve", masterKeys: options.masterKeys, autoApproved: true });
    return { ok: true, status: "approved" };
  }
  return { ok: true, status: "in_review" };
}

export async function identityDocumentForViewer(documentId: string, viewer: { id: string; isStaff: boolean }) {
  const db = getDb();
  const [row] = await db.select().from(identityDocuments).where(eq(identityDocuments.id, documentId));
  if (!row) return null;
  if (!viewer.isStaff && row.userId !== viewer.id) return null;
  return row;
}

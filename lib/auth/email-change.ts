import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, ne } from "drizzle-orm";
import { getDb } from "@/db/client";
import { emailChangeRequests, users } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { endAllSessions } from "./sessions";

const CHANGE_LINK_MINUTES = 30;
const hash = (token: string) => createHash("sha256").update(token).digest("hex");

/** Starts a change of sign-in address; only a hash of the token is stored. Returns the raw token for the mail. */
export async function requestEmailChange(userId: string, newEmail: string): Promise<{ ok: true; token: string } | { ok: false; error: "taken" | "same" }> {
  const db = getDb();
  const [owner] = await db.select({ id: users.id }).from(users).where(eq(users.email, newEmail));
  if (owner?.id === userId) return { ok: false, error: "same" };
  if (owner) return { ok: false, error: "taken" };
  const token = randomBytes(32).toString("base64url");
  await db.insert(emailChangeRequests).values({
    tokenHash: hash(token),
    userId,
    newEmail,
    expiresAt: new Date(Date.now() + CHANGE_LINK_MINUTES * 60_000),
  });
  return { ok: true, token };
}

export async function pendingEmailChange(token: string) {
  const [row] = await getDb()
    .select()
    .from(emailChangeRequests)
    .where(and(eq(emailChangeRequests.tokenHash, hash(token)), gt(emailChangeRequests.expiresAt, new Date())));
  return row ?? null;
}

/**
 * Applies the change once: the token is deleted in the same transaction, and every session of the
 * account ends so the next sign-in is with the new address.
 */
export async function confirmEmailChange(token: string): Promise<{ ok: true } | { ok: false; error: "invalid" | "taken" }> {
  const db = getDb();
  return db.transaction(async (tx) => {
    const [request] = await tx
      .delete(emailChangeRequests)
      .where(and(eq(emailChangeRequests.tokenHash, hash(token)), gt(emailChangeRequests.expiresAt, new Date())))
      .returning();
    if (!request) return { ok: false as const, error: "invalid" as const };
    const [clash] = await tx.select({ id: users.id }).from(users).where(and(eq(users.email, request.newEmail), ne(users.id, request.userId)));
    if (clash) return { ok: false as const, error: "taken" as const };
    const [before] = await tx.select({ email: users.email }).from(users).where(eq(users.id, request.userId));
    await tx.update(users).set({ email: request.newEmail, emailVerified: new Date() }).where(eq(users.id, request.userId));
    await recordAudit(tx, { actorId: request.userId, action: "account.email_changed", targetType: "user", targetId: request.userId, detail: { from: before?.email, to: request.newEmail } });
    await endAllSessions(tx, request.userId);
    return { ok: true as const };
  });
}

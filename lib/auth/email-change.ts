import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, ne } from "drizzle-orm";
import { type DbOrTx, getDb } from "@/db/client";
import { emailChangeRequests, users } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { endAllSessions } from "./sessions";

const CHANGE_LINK_MINUTES = 30;
/** The old address's cancel link outlives the change link: the owner may read the notice later. */
const CANCEL_LINK_HOURS = 24;
const hash = (token: string) => createHash("sha256").update(token).digest("hex");
const newToken = () => randomBytes(32).toString("base64url");

export type EmailChangeStarted = {
  ok: true;
  /** For the mail to the new address; never sent when that address already has an account. */
  confirmToken: string;
  /** For the notice to the current address. */
  cancelToken: string;
  /** Another account already signs in with the new address: tell that address so, nothing else. */
  newAddressTaken: boolean;
};

/**
 * Starts a change of sign-in address; only hashes of the tokens are stored. An address another
 * account uses is handled like a free one (a pending request, the same answer, the same notice to
 * the current address), so the form cannot tell anyone who has an account; confirming re-checks it.
 */
export async function requestEmailChange(userId: string, newEmail: string): Promise<EmailChangeStarted | { ok: false; error: "same" }> {
  const db = getDb();
  const [owner] = await db.select({ id: users.id }).from(users).where(eq(users.email, newEmail));
  if (owner?.id === userId) return { ok: false, error: "same" };
  const confirmToken = newToken();
  const cancelToken = newToken();
  await db.transaction(async (tx) => {
    await tx.insert(emailChangeRequests).values({
      tokenHash: hash(confirmToken),
      cancelTokenHash: hash(cancelToken),
      userId,
      newEmail,
      expiresAt: new Date(Date.now() + CHANGE_LINK_MINUTES * 60_000),
    });
    await recordAudit(tx, { actorId: userId, action: "account.email_change_requested", targetType: "user", targetId: userId, detail: { to: newEmail } });
  });
  return { ok: true, confirmToken, cancelToken, newAddressTaken: owner !== undefined };
}

export async function pendingEmailChange(token: string) {
  const [row] = await getDb()
    .select()
    .from(emailChangeRequests)
    .where(and(eq(emailChangeRequests.tokenHash, hash(token)), gt(emailChangeRequests.expiresAt, new Date())));
  return row ?? null;
}

/** Every pending change of this account stops working (sign out everywhere, a completed or cancelled change). */
export async function cancelPendingEmailChanges(db: DbOrTx, userId: string): Promise<number> {
  const cancelled = await db.delete(emailChangeRequests).where(eq(emailChangeRequests.userId, userId)).returning({ tokenHash: emailChangeRequests.tokenHash });
  return cancelled.length;
}

function cancelLinkValid() {
  return gt(emailChangeRequests.createdAt, new Date(Date.now() - CANCEL_LINK_HOURS * 3_600_000));
}

/** The request a cancel link (from the notice to the old address) points at, while it can still be cancelled. */
export async function pendingEmailChangeByCancelToken(cancelToken: string) {
  const [row] = await getDb()
    .select()
    .from(emailChangeRequests)
    .where(and(eq(emailChangeRequests.cancelTokenHash, hash(cancelToken)), cancelLinkValid()));
  return row ?? null;
}

/**
 * Cancels from the old address. A change the owner did not ask for means someone else is signed in,
 * so every pending change of the account is cancelled and every session ends.
 */
export async function cancelEmailChange(cancelToken: string): Promise<{ ok: true } | { ok: false; error: "invalid" }> {
  return getDb().transaction(async (tx) => {
    const [request] = await tx
      .select({ userId: emailChangeRequests.userId, newEmail: emailChangeRequests.newEmail })
      .from(emailChangeRequests)
      .where(and(eq(emailChangeRequests.cancelTokenHash, hash(cancelToken)), cancelLinkValid()));
    if (!request) return { ok: false as const, error: "invalid" as const };
    await cancelPendingEmailChanges(tx, request.userId);
    await endAllSessions(tx, request.userId);
    await recordAudit(tx, { actorId: request.userId, action: "account.email_change_cancelled", targetType: "user", targetId: request.userId, detail: { to: request.newEmail } });
    return { ok: true as const };
  });
}

/**
 * Applies the change once: the token is deleted in the same transaction, with every other pending
 * change of the account, and every session of the account ends so the next sign-in is with the new address.
 */
export async function confirmEmailChange(token: string): Promise<{ ok: true } | { ok: false; error: "invalid" | "taken" }> {
  const db = getDb();
  return db.transaction(async (tx) => {
    const [request] = await tx
      .delete(emailChangeRequests)
      .where(and(eq(emailChangeRequests.tokenHash, hash(token)), gt(emailChangeRequests.expiresAt, new Date())))
      .returning();
    if (!request) return { ok: false as const, error: "invalid" as const };
    const [clash] = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.email, request.newEmail), ne(users.id, request.userId)));
    if (clash) return { ok: false as const, error: "taken" as const };
    const [before] = await tx.select({ email: users.email }).from(users).where(eq(users.id, request.userId));
    await tx.update(users).set({ email: request.newEmail, emailVerified: new Date() }).where(eq(users.id, request.userId));
    await recordAudit(tx, { actorId: request.userId, action: "account.email_changed", targetType: "user", targetId: request.userId, detail: { from: before?.email, to: request.newEmail } });
    await cancelPendingEmailChanges(tx, request.userId);
    await endAllSessions(tx, request.userId);
    return { ok: true as const };
  });
}

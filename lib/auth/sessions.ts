import "server-only";
import type { Adapter } from "@auth/core/adapters";
import { eq, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { sessions } from "@/db/schema";

/** Touching a session at most once a minute keeps the idle clock without a write per request. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Wraps the Auth.js adapter so a session ends after `idleSeconds` without a request. The absolute
 * limit is Auth.js's own expiry, which is never extended (updateAge = maxAge in lib/auth).
 * `isBackground` says whether the current request is an automatic refresh: it is still subject to
 * the idle limit, but does not count as activity.
 */
export function withIdleTimeout(adapter: Adapter, db: Db, idleSeconds: number, isBackground: () => Promise<boolean> = async () => false): Adapter {
  return {
    ...adapter,
    async getSessionAndUser(sessionToken) {
      const [row] = await db.select({ lastSeenAt: sessions.lastSeenAt }).from(sessions).where(eq(sessions.sessionToken, sessionToken));
      if (!row) return null;
      const idleMs = Date.now() - row.lastSeenAt.getTime();
      if (idleMs > idleSeconds * 1000) {
        await db.delete(sessions).where(eq(sessions.sessionToken, sessionToken));
        return null;
      }
      if (idleMs > TOUCH_EVERY_MS && !(await isBackground())) {
        await db.update(sessions).set({ lastSeenAt: sql`now()` }).where(eq(sessions.sessionToken, sessionToken));
      }
      return adapter.getSessionAndUser!(sessionToken);
    },
  };
}

export async function endAllSessions(db: DbOrTx, userId: string): Promise<number> {
  const ended = await db.delete(sessions).where(eq(sessions.userId, userId)).returning({ token: sessions.sessionToken });
  return ended.length;
}

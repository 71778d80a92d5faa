import "server-only";
import { lt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { rateLimits } from "@/db/schema";
import { env } from "@/lib/env";
import { clientIp } from "./client-ip";

/** One counter a request counts against: at most `limit` hits per fixed window of `windowSeconds`. */
export type RateLimitBucket = { key: string; limit: number; windowSeconds: number };

/** Sign-in mail: per address and per client IP (lib/auth/client-ip.ts). */
export function signInBuckets(email: string, requestHeaders: Headers): RateLimitBucket[] {
  const { signInLimits, trustedProxyHops } = env();
  const { perEmail, perIp, windowSeconds } = signInLimits;
  return [
    { key: `sign-in:email:${email}`, limit: perEmail, windowSeconds },
    { key: `sign-in:ip:${clientIp(requestHeaders, trustedProxyHops)}`, limit: perIp, windowSeconds },
  ];
}

/** Email change requests (each sends mail): per account, as many as sign-in mails per address. */
export function emailChangeBuckets(userId: string): RateLimitBucket[] {
  const { perEmail, windowSeconds } = env().signInLimits;
  return [{ key: `email-change:${userId}`, limit: perEmail, windowSeconds }];
}

/**
 * Counts one hit against `key` in the current fixed window and says whether it is within `limit`.
 * One upsert, so concurrent requests cannot both slip under the limit.
 */
export async function hitRateLimit(db: Db, key: string, limit: number, windowSeconds: number, now = new Date()): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  const windowMs = windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const [row] = await db
    .insert(rateLimits)
    .values({ key, windowStart, count: 1 })
    .onConflictDoUpdate({ target: [rateLimits.key, rateLimits.windowStart], set: { count: sql`${rateLimits.count} + 1` } })
    .returning({ count: rateLimits.count });
  const retryAfterSeconds = Math.ceil((windowStart.getTime() + windowMs - now.getTime()) / 1000);
  return { allowed: (row?.count ?? 1) <= limit, retryAfterSeconds };
}

export async function pruneRateLimits(db: Db, olderThan: Date): Promise<void> {
  await db.delete(rateLimits).where(lt(rateLimits.windowStart, olderThan));
}

import { and, asc, eq, inArray, isNotNull, isNull, lt, max, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { chainTransactions, identityDocuments, offerings, orderEvents, orders, wallets } from "@/db/schema";
import { allocateWaiting } from "@/lib/chain/allocate";
import { allowlistWallets } from "@/lib/chain/allowlist";
import { type ChainContext, createChainContext } from "@/lib/chain/context";
import { deployOfferingToken } from "@/lib/chain/deploy-offering";
import { setNextBlockTime } from "@/lib/chain/journal";
import { dueHoldersSnapshots, takeHoldersSnapshot } from "@/lib/holders/snapshot";

/**
 * A seeded offering whose sale lies in the past (the demo bond, the harbour token's first days)
 * gets its chain history at those dates: token deployed when its terms were approved, holders allowlisted when their identity was,
 * each order allocated just after it was paid. Done on a chain with an empty journal only (the
 * chain's clock cannot go back); a restart then replays these transactions at the same times.
 */

const MINUTE_MS = 60_000;

/** Approved offerings without a token whose orders were paid in the past, oldest approval first (their blocks are mined in that order). */
export async function pastSales(db: Db, now = new Date()): Promise<{ id: string; slug: string; approvedAt: Date }[]> {
  const rows = await db
    .selectDistinct({ id: offerings.id, slug: offerings.slug, approvedAt: offerings.approvedAt })
    .from(offerings)
    .innerJoin(orders, eq(orders.offeringId, offerings.id))
    .where(
      and(
        eq(offerings.approvedRevision, offerings.termsRevision),
        isNull(offerings.tokenAddress),
        isNotNull(offerings.approvedAt),
        lt(offerings.approvedAt, now),
        eq(orders.status, "paid"),
        lt(orders.updatedAt, now),
      ),
    );
  return rows.map((row) => ({ ...row, approvedAt: row.approvedAt! })).sort((a, b) => a.approvedAt.getTime() - b.approvedAt.getTime());
}

/** Whether nothing was ever signed on this chain: only then may blocks be dated in the past. */
export async function journalIsEmpty(db: Db, chainId: number): Promise<boolean> {
  const [row] = await db
    .select({ id: chainTransactions.id })
    .from(chainTransactions)
    .where(and(eq(chainTransactions.chainId, chainId), isNotNull(chainTransactions.rawTransaction)))
    .limit(1);
  return !row;
}

/** When a queued transaction of the past sale happened: what the database says of the step it records. */
async function historicTime(db: Db, txId: string): Promise<Date | null> {
  const [row] = await db.select({ kind: chainTransactions.kind, payload: chainTransactions.payload }).from(chainTransactions).where(eq(chainTransactions.id, txId));
  const ref = row?.payload?.ref ?? {};
  if (row?.kind === "deploy" && typeof ref.offeringId === "string") {
    const [offering] = await db.select({ at: offerings.approvedAt }).from(offerings).where(eq(offerings.id, ref.offeringId));
    return offering?.at ? new Date(offering.at.getTime() + 5 * MINUTE_MS) : null;
  }
  if (row?.kind === "allowlist" && Array.isArray(ref.addresses) && ref.addresses.length > 0) {
    const [approved] = await db
      .select({ at: max(identityDocuments.reviewedAt) })
      .from(identityDocuments)
      .innerJoin(wallets, eq(wallets.userId, identityDocuments.userId))
      .where(and(eq(identityDocuments.status, "approved"), inArray(sql`lower(${wallets.address})`, ref.addresses as string[])));
    return approved?.at ? new Date(approved.at.getTime() + 2 * MINUTE_MS) : null;
  }
  if (row?.kind === "allocate" && Array.isArray(ref.orderIds) && ref.orderIds.length > 0) {
    const [paid] = await db
      .select({ at: max(orderEvents.at) })
      .from(orderEvents)
      .where(and(inArray(orderEvents.orderId, ref.orderIds as string[]), eq(orderEvents.toStatus, "paid")));
    return paid?.at ? new Date(paid.at.getTime() + MINUTE_MS) : null;
  }
  return null;
}

/**
 * Deploys, allowlists and allocates each past sale through the signer queue's normal paths; every
 * transaction is mined at its historic time (set just before it is broadcast). Returns the slugs done.
 */
export async function mintPastSales(base: ChainContext, sales: { id: string; slug: string }[], log: (line: string) => void): Promise<string[]> {
  const ctx = createChainContext({
    db: base.db,
    rpcUrl: base.rpcUrl,
    chainId: base.chainId,
    account: base.account,
    pollMs: base.pollMs,
    waitTimeoutMs: base.waitTimeoutMs,
    // One order per transaction, so that each allocation keeps its own date.
    batchSize: 1,
    hooks: {
      beforeBroadcast: async (txId) => {
        const at = await historicTime(base.db, txId);
        if (at) await setNextBlockTime(base, at);
      },
    },
  });
  for (const sale of sales) {
    await deployOfferingToken(ctx, sale.id);
    const holders = await base.db
      .select({ userId: orders.userId, reviewedAt: max(identityDocuments.reviewedAt) })
      .from(orders)
      .innerJoin(identityDocuments, and(eq(identityDocuments.userId, orders.userId), eq(identityDocuments.status, "approved")))
      .where(and(eq(orders.offeringId, sale.id), eq(orders.status, "paid")))
      .groupBy(orders.userId)
      .orderBy(asc(max(identityDocuments.reviewedAt)));
    // One by one, in the order their identity was approved (each then had its own allowlisting job).
    for (const holder of holders) await allowlistWallets(ctx, [holder.userId]);
    const { allocated } = await allocateWaiting(ctx);
    log(`${sale.slug}: token deployed and ${allocated} paid order(s) allocated at their past dates`);
  }
  return sales.map((sale) => sale.slug);
}

/**
 * Takes the holders' snapshots already due (seeded votes and holding perks whose record date has
 * ended), as the worker's sweep would within ten minutes, so the demo's perks and vote work at once.
 */
export async function freezeDueHoldersSnapshots(ctx: ChainContext, log: (line: string) => void, now = new Date()): Promise<{ slug: string; recordDate: string; status: string }[]> {
  const due = await dueHoldersSnapshots(ctx.db, ctx.chainId, now);
  if (due.length === 0) return [];
  const slugs = await ctx.db
    .select({ id: offerings.id, slug: offerings.slug })
    .from(offerings)
    .where(
      inArray(
        offerings.id,
        due.map((item) => item.offeringId),
      ),
    );
  const taken: { slug: string; recordDate: string; status: string }[] = [];
  for (const item of due) {
    const { status } = await takeHoldersSnapshot({ ...item, now }, ctx);
    taken.push({ slug: slugs.find((row) => row.id === item.offeringId)?.slug ?? item.offeringId, recordDate: item.recordDate, status });
  }
  log(`holders' snapshots: ${taken.map((item) => `${item.slug} at the end of ${item.recordDate} ${item.status}`).join("; ")}`);
  return taken;
}

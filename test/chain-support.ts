// Shared by the chain tests and the allocation benchmark: a token on a local node, investors with
// custodial wallets, and paid orders as the purchase flow leaves them. Not used by the app.
import "server-only";
import { eq, sql } from "drizzle-orm";
import { getAddress, type Address } from "viem";
import type { Db } from "@/db/client";
import { ledgerEntries, offerings, orders, users, villages } from "@/db/schema";
import { createWalletFor } from "@/lib/custody/wallets";
import { env } from "@/lib/env";
import { enqueue } from "@/lib/jobs/enqueue";
import { JOBS } from "@/lib/jobs/names";
import { createChainContext, demoIssuerAccount, type ChainContext } from "@/lib/chain/context";
import { deployOfferingToken } from "@/lib/chain/deploy-offering";
import { HARDHAT_DEV_PRIVATE_KEYS, startHardhatNode, type HardhatNode } from "@/scripts/lib/hardhat-node";
import { freePort } from "@/scripts/lib/ports";

// Tests beside the portal code reach the dev chain through test/, never scripts/ directly.
export { freePort, HARDHAT_DEV_PRIVATE_KEYS, startHardhatNode, type HardhatNode };

export function testChainContext(db: Db, rpcUrl: string, overrides: Partial<Parameters<typeof createChainContext>[0]> = {}): ChainContext {
  return createChainContext({ db, rpcUrl, chainId: 31337, account: demoIssuerAccount(), pollMs: 25, stuckAfterMs: 60_000, waitTimeoutMs: 30_000, ...overrides });
}

let counter = 0;
const unique = () => `${process.pid}-${Date.now().toString(36)}-${++counter}`;

export async function makeOffering(db: Db, slug = `forest-${unique()}`): Promise<{ id: string; slug: string }> {
  const [village] = await db
    .insert(villages)
    .values({ slug: `village-${unique()}`, nameJa: "村", nameEn: "Village", prefectureJa: "岡山県", prefectureEn: "Okayama", descriptionJa: "村", descriptionEn: "Village" })
    .returning();
  const now = Date.now();
  const [offering] = await db
    .insert(offerings)
    .values({
      villageId: village!.id,
      slug,
      kind: "village_token",
      nameJa: "森のトークン",
      nameEn: "Forest Token",
      descriptionJa: "森",
      descriptionEn: "Forest",
      tokenSymbol: "FOR",
      priceYen: 1_000,
      capUnits: 1_000_000,
      maxUnitsPerOrder: 500,
      opensAt: new Date(now - 86_400_000),
      closesAt: new Date(now + 86_400_000),
      status: "open",
    })
    .returning();
  return { id: offering!.id, slug };
}

export async function makeOfferingWithToken(ctx: ChainContext): Promise<{ id: string; slug: string; token: Address }> {
  const offering = await makeOffering(ctx.db);
  const { tokenAddress } = await deployOfferingToken(ctx, offering.id);
  return { ...offering, token: tokenAddress };
}

/** An investor whose identity check passed: a user with a custodial wallet (not yet allowlisted). */
export async function makeInvestor(db: Db): Promise<{ userId: string; address: Address }> {
  const [user] = await db
    .insert(users)
    .values({ email: `investor-${unique()}@example.jp` })
    .returning();
  const wallet = await createWalletFor(db, user!.id, env().custodyMasterKeys);
  return { userId: user!.id, address: getAddress(wallet.address) };
}

/** A paid order as the payment webhook leaves it: sold units, yen in the ledger, allocation job enqueued. */
export async function makePaidOrder(db: Db, input: { userId: string; offeringId: string; units: number; enqueueJob?: boolean }) {
  return db.transaction(async (tx) => {
    const [order] = await tx
      .insert(orders)
      .values({ userId: input.userId, offeringId: input.offeringId, units: input.units, amountYen: input.units * 1_000, status: "paid", reservationExpiresAt: new Date(Date.now() + 1_800_000) })
      .returning();
    await tx
      .update(offerings)
      .set({ soldUnits: sql`${offerings.soldUnits} + ${input.units}` })
      .where(eq(offerings.id, input.offeringId));
    await tx.insert(ledgerEntries).values({ kind: "yen_received", offeringId: input.offeringId, orderId: order!.id, userId: input.userId, yen: input.units * 1_000 });
    if (input.enqueueJob) await enqueue(tx, JOBS.allocate, { orderId: order!.id });
    return order!;
  });
}

/** A Hardhat node and an offering with its token on it, for one test file (stop the node after). */
export async function startChainOffering(db: Db): Promise<{ node: HardhatNode; ctx: ChainContext; offering: { id: string; slug: string; token: Address } }> {
  const node = await startHardhatNode();
  const ctx = testChainContext(db, node.rpcUrl);
  return { node, ctx, offering: await makeOfferingWithToken(ctx) };
}

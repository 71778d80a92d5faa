// Shared by the withdrawal tests: a village token on the dev chain, a holder with allocated units,
// and linked wallets as the linking and approval steps leave them. Not used by the app.
import "server-only";
import { eq } from "drizzle-orm";
import { getAddress, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { getDb } from "@/db/client";
import { linkedWalletApprovals, linkedWallets, offerings } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/roles";
import { allocateWaiting } from "@/lib/chain/allocate";
import type { ChainContext } from "@/lib/chain/context";
import { allowlistIntent } from "@/lib/chain/intents";
import { submitTransaction, waitForTransactions } from "@/lib/chain/signer-queue";
import { makeInvestor, makeOfferingWithToken, makePaidOrder } from "@/test/chain-support";

export type Holder = SessionUser & { address: Address };

export function sessionOf(userId: string, signedInAt = new Date()): SessionUser {
  return { id: userId, email: `${userId}@example.jp`, name: null, role: "investor", signedInAt };
}

/** A village token with holders of `units` each, allocated on chain, and a daily limit. */
export async function withdrawalWorld(ctx: ChainContext, units: number[], limit = 100) {
  const offering = await makeOfferingWithToken(ctx);
  await getDb().update(offerings).set({ withdrawalDailyLimitUnits: limit }).where(eq(offerings.id, offering.id));
  const holders: Holder[] = [];
  for (const n of units) {
    const investor = await makeInvestor(getDb());
    await makePaidOrder(getDb(), { userId: investor.userId, offeringId: offering.id, units: n });
    holders.push({ ...sessionOf(investor.userId), address: investor.address });
  }
  await allocateWaiting(ctx);
  return { offering, holders };
}

type LinkState = { approval?: "requested" | "approved" | "rejected" | "removed" | null; allowlisted?: boolean; onChain?: boolean; active?: boolean };

/** A linked wallet of the user, approved and allowlisted for the offering (on chain too) unless told otherwise. */
export async function linkWallet(ctx: ChainContext | null, userId: string, offeringId: string, state: LinkState = {}): Promise<{ linkedWalletId: string; address: Address; privateKey: Hex }> {
  const { approval = "approved", allowlisted = true, onChain = true, active = true } = state;
  const privateKey = generatePrivateKey();
  const address = getAddress(privateKeyToAccount(privateKey).address);
  const [link] = await getDb()
    .insert(linkedWallets)
    .values({ userId, address, siweMessage: "test", signature: "0x", status: active ? "active" : "unlinked", unlinkedAt: active ? null : new Date() })
    .returning();
  if (approval) {
    await getDb()
      .insert(linkedWalletApprovals)
      .values({ linkedWalletId: link!.id, offeringId, status: approval, decidedAt: new Date(), allowlistedAt: allowlisted ? new Date() : null });
  }
  if (ctx && onChain && allowlisted) {
    const [offering] = await getDb().select().from(offerings).where(eq(offerings.id, offeringId));
    const row = await submitTransaction(ctx.db, ctx, allowlistIntent(getAddress(offering!.tokenAddress!), [address]));
    const [done] = await waitForTransactions(ctx, [row.id]);
    if (done!.status !== "confirmed") throw new Error(`allowlisting ${address} failed: ${done!.error}`);
  }
  return { linkedWalletId: link!.id, address, privateKey };
}

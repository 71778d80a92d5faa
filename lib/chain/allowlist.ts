import "server-only";
import { and, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { getAddress, type Address } from "viem";
import type { Tx } from "@/db/client";
import { offerings, wallets, type ChainTransaction, type ForcedTransferRequest } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { enqueue } from "@/lib/jobs/enqueue";
import { JOBS } from "@/lib/jobs/names";
import type { ChainContext } from "./context";
import { unitsByAddress } from "./holdings";
import { allowlistIntent } from "./intents";
import { submitTransaction, waitForTransactions } from "./signer-queue";

/**
 * Allowlisting of custodial wallets. wallets.allowlistedAt is set once a wallet is allowlisted on
 * every token of the chain (a new token allowlists the wallets already allowlisted when it is
 * deployed), so allocation trusts it instead of reading the chain for each recipient.
 */

const CHUNK = 200;

/** Sends setAllowlisted(Batch) for the addresses (setting a flag already set is harmless); returns those refused. */
export async function ensureAllowlisted(ctx: ChainContext, token: Address, addresses: Address[]): Promise<Set<Address>> {
  const refused = new Set<Address>();
  for (let start = 0; start < addresses.length; start += CHUNK) {
    const chunk = addresses.slice(start, start + CHUNK);
    const row = await submitTransaction(ctx.db, ctx, allowlistIntent(token, chunk));
    const [done] = await waitForTransactions(ctx, [row.id]);
    if (done!.status !== "confirmed") for (const address of chunk) refused.add(address);
  }
  return refused;
}

async function tokensOnThisChain(ctx: ChainContext): Promise<Address[]> {
  const rows = await ctx.db
    .select({ token: offerings.tokenAddress })
    .from(offerings)
    .where(and(eq(offerings.chainId, ctx.chainId), isNotNull(offerings.tokenAddress)));
  return rows.map((row) => getAddress(row.token!));
}

/**
 * Allowlists the wallets not yet allowlisted (of the given users, or all) on every token of this
 * chain, then marks them and audits it. Returns the users whose wallets are allowlisted now.
 */
export async function allowlistWallets(ctx: ChainContext, userIds?: string[]): Promise<string[]> {
  const pending = await ctx.db
    .select({ userId: wallets.userId, address: wallets.address })
    .from(wallets)
    .where(and(isNull(wallets.allowlistedAt), userIds ? inArray(wallets.userId, userIds) : undefined))
    .limit(1_000);
  const tokens = await tokensOnThisChain(ctx);
  if (pending.length === 0 || tokens.length === 0) return [];
  const refused = new Set<Address>();
  for (const token of tokens) {
    for (const address of await ensureAllowlisted(
      ctx,
      token,
      pending.map((row) => getAddress(row.address)).filter((a) => !refused.has(a)),
    ))
      refused.add(address);
  }
  const accepted = pending.filter((row) => !refused.has(getAddress(row.address)));
  if (accepted.length === 0) return [];
  // Marked and audited together, in one statement each, whatever the number of wallets.
  await ctx.db.transaction(async (tx) => {
    const marked = await tx
      .update(wallets)
      .set({ allowlistedAt: sql`now()` })
      .where(
        and(
          inArray(
            wallets.userId,
            accepted.map((row) => row.userId),
          ),
          isNull(wallets.allowlistedAt),
        ),
      )
      .returning({ userId: wallets.userId, address: wallets.address });
    await recordAudit(
      tx,
      marked.map((wallet) => ({ actorId: null, action: "wallet.allowlisted", targetType: "user", targetId: wallet.userId, detail: { address: wallet.address, tokens } })),
    );
  });
  return accepted.map((row) => row.userId);
}

/** A newly deployed token: the wallets already allowlisted elsewhere are allowlisted on it too. */
export async function allowlistExistingWallets(ctx: ChainContext, token: Address): Promise<void> {
  const rows = await ctx.db.select({ address: wallets.address }).from(wallets).where(isNotNull(wallets.allowlistedAt));
  await ensureAllowlisted(
    ctx,
    token,
    rows.map((row) => getAddress(row.address)),
  );
}

/**
 * After a done transfer, the lost address is taken off the token's allowlist (so whoever has its
 * key receives nothing there) once it is nobody's wallet and the ledger shows none of the
 * offering's units left at it; queued in the transfer's finishing transaction, so it happens once.
 */
export async function delistReplacedWallet(tx: Tx, txRow: ChainTransaction, request: ForcedTransferRequest): Promise<void> {
  const token = txRow.payload?.to;
  if (!token) return;
  const old = getAddress(request.fromAddress);
  const [owner] = await tx.select({ userId: wallets.userId }).from(wallets).where(sql`lower(${wallets.address}) = ${old.toLowerCase()}`);
  if (owner) return;
  const left = (await unitsByAddress(tx, request.offeringId)).filter((row) => row.address === old).reduce((sum, row) => sum + row.units, 0);
  if (left !== 0) return;
  const row = await submitTransaction(
    tx,
    { account: { address: txRow.signer as Address }, chainId: txRow.chainId },
    allowlistIntent(getAddress(token), [old], false, { forcedTransferId: request.id, offeringId: request.offeringId }),
  );
  await enqueue(tx, JOBS.chainOperation, { chainTransactionId: row.id });
  await recordAudit(tx, {
    actorId: null,
    action: "wallet.delisted",
    targetType: "user",
    targetId: request.holderId ?? undefined,
    detail: { address: old, token, offeringId: request.offeringId, forcedTransferId: request.id, chainTransactionId: row.id },
  });
}

import { and, eq, isNotNull, ne, sql } from "drizzle-orm";
import { getAddress } from "viem";
import { chainTransactions, linkedWallets, offerings } from "@/db/schema";
import { DEMO_LINKED_WALLET } from "@/db/seed-own-wallets";
import type { ChainContext } from "@/lib/chain/context";
import type { StablecoinSetup } from "@/lib/stablecoin/contracts";
import { sweepLinkedWalletAllowlists } from "@/lib/wallet-links/allowlist";
import { deployPlatformContracts, ensureSettlementCanAllocate, forgetPlatformContractsWithoutCode, mintStablecoin, stablecoinBalance } from "@/lib/stablecoin/platform";

/** What the dev chain gives the demo's linked wallet once: ¥100,000 of the dev stablecoin. */
export const DEMO_LINKED_WALLET_FUNDING_YEN = 100_000;

/**
 * The dev chain's stablecoin platform, after the offering tokens: the stablecoin and settlement
 * contract (deployed once, replayed by the journal afterwards; deployed again if the journal lost
 * them), the settlement's right to allocate every token, the approved linked wallets allowlisted,
 * and the demo's linked wallet funded once.
 */
export async function preparePlatform(ctx: ChainContext, log: (line: string) => void): Promise<StablecoinSetup> {
  if ((await forgetPlatformContractsWithoutCode(ctx)) > 0) log("the stablecoin platform's contracts are missing on the chain (journal lost?): deploying them again");
  const setup = await deployPlatformContracts(ctx);
  const tokens = await ctx.db
    .select({ token: offerings.tokenAddress })
    .from(offerings)
    .where(and(eq(offerings.chainId, ctx.chainId), isNotNull(offerings.tokenAddress)));
  for (const { token } of tokens) await ensureSettlementCanAllocate(ctx, getAddress(token!), setup.settlement);
  const allowlisted = await sweepLinkedWalletAllowlists(ctx);
  if (allowlisted > 0) log(`${allowlisted} approved linked wallet(s) brought onto their token's allowlist`);
  await fundDemoLinkedWallet(ctx, setup, log);
  log(`stablecoin ${setup.stablecoin} (${setup.eip712Name}, ${setup.decimals} decimals) and settlement ${setup.settlement} ready for ${tokens.length} token(s)`);
  return setup;
}

/** The demo's linked wallet gets the dev stablecoin once: while its balance is 0 and nothing was ever minted to it. */
async function fundDemoLinkedWallet(ctx: ChainContext, setup: StablecoinSetup, log: (line: string) => void = () => {}): Promise<boolean> {
  const address = DEMO_LINKED_WALLET.address;
  const [linked] = await ctx.db
    .select({ id: linkedWallets.id })
    .from(linkedWallets)
    .where(and(sql`lower(${linkedWallets.address}) = ${address.toLowerCase()}`, eq(linkedWallets.status, "active")));
  if (!linked) return false;
  const [minted] = await ctx.db
    .select({ id: chainTransactions.id })
    .from(chainTransactions)
    .where(
      and(
        eq(chainTransactions.kind, "stablecoin_mint"),
        eq(chainTransactions.chainId, ctx.chainId),
        sql`${chainTransactions.payload}->'ref'->>'to' = ${address.toLowerCase()}`,
        ne(chainTransactions.status, "failed"),
      ),
    )
    .limit(1);
  if (minted || (await stablecoinBalance(ctx, setup, address)) > 0n) return false;
  const row = await mintStablecoin(ctx, setup, address, DEMO_LINKED_WALLET_FUNDING_YEN);
  if (row.status !== "confirmed") throw new Error(`funding the demo's linked wallet failed: ${row.error ?? row.status}`);
  log(`demo linked wallet ${address} funded with ¥${DEMO_LINKED_WALLET_FUNDING_YEN.toLocaleString("en")} of the dev stablecoin`);
  return true;
}

import { and, eq, isNotNull } from "drizzle-orm";
import { getAddress, type Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";
import { getDb } from "@/db/client";
import { auditLog, chainTransactions, linkedWalletApprovals, offerings, platformContracts } from "@/db/schema";
import { seedIfEmpty } from "@/db/seed";
import { DEMO_LINKED_WALLET } from "@/db/seed-own-wallets";
import { env } from "@/lib/env";
import { stablecoinSetup } from "@/lib/stablecoin/contracts";
import { stablecoinBalance, yenToUnits } from "@/lib/stablecoin/platform";
import { ISSUER_ROLE } from "@/lib/stablecoin/platform-intents";
import { testChainContext } from "@/test/chain-support";
import { startDevChain, type DevChain } from "./dev-chain";
import { DEMO_LINKED_WALLET_FUNDING_YEN } from "./dev-platform";
import { freePort } from "./ports";

let chain: DevChain | undefined;
const logged: string[] = [];
const port = await freePort();
const start = () => startDevChain({ databaseUrl: env().databaseUrl, port, log: (line) => logged.push(line) });
const ctx = () => testChainContext(getDb(), chain!.rpcUrl);

beforeAll(async () => {
  await seedIfEmpty(getDb());
  chain = await start();
});

afterAll(async () => {
  await chain?.stop();
});

async function tokens(): Promise<Address[]> {
  const rows = await getDb().select({ token: offerings.tokenAddress }).from(offerings).where(isNotNull(offerings.tokenAddress));
  return rows.map((row) => getAddress(row.token!));
}

const readToken = (token: Address, functionName: "hasRole" | "isAllowlisted", args: readonly unknown[]) =>
  ctx().client.readContract({ address: token, abi: villageTokenAbi, functionName, args: args as never }) as Promise<boolean>;

async function state() {
  const setup = (await stablecoinSetup(getDb(), 31337))!;
  const mints = await getDb().select().from(chainTransactions).where(eq(chainTransactions.kind, "stablecoin_mint"));
  const approvals = await getDb().select().from(linkedWalletApprovals);
  return { setup, mints, approvals, balance: await stablecoinBalance(ctx(), setup, DEMO_LINKED_WALLET.address) };
}

describe("the dev chain's stablecoin platform", () => {
  it("deploys the stablecoin and settlement contract, lets the settlement allocate every token, allowlists the approved linked wallet and funds it", async () => {
    const { setup, mints, approvals, balance } = await state();
    expect(setup).toMatchObject({ decimals: 18, eip712Name: "JPY Coin (dev)", eip712Version: "1" });
    for (const address of [setup.stablecoin, setup.settlement]) expect((await ctx().client.getCode({ address }))?.length).toBeGreaterThan(2);
    expect(logged).toContain(`stablecoin ${setup.stablecoin} (JPY Coin (dev), 18 decimals) and settlement ${setup.settlement} ready for ${(await tokens()).length} token(s)`);
    for (const token of await tokens()) expect(await readToken(token, "hasRole", [ISSUER_ROLE, setup.settlement]), token).toBe(true);

    expect(approvals).toHaveLength(2);
    for (const approval of approvals) {
      expect(approval.allowlistTxId).not.toBeNull();
      expect(approval.allowlistedAt).not.toBeNull();
      const [offering] = await getDb().select().from(offerings).where(eq(offerings.id, approval.offeringId));
      expect(await readToken(getAddress(offering!.tokenAddress!), "isAllowlisted", [DEMO_LINKED_WALLET.address])).toBe(true);
    }
    const audits = await getDb().select().from(auditLog).where(eq(auditLog.action, "wallet_link.allowlisted"));
    expect(audits).toHaveLength(2);

    expect(balance).toBe(yenToUnits(setup, DEMO_LINKED_WALLET_FUNDING_YEN));
    expect(mints.map((row) => [row.status, row.payload!.ref.to])).toEqual([["confirmed", DEMO_LINKED_WALLET.address.toLowerCase()]]);
    // The linked wallet gets nothing else: no gas.
    expect(await ctx().client.getBalance({ address: DEMO_LINKED_WALLET.address })).toBe(10_000n * 10n ** 18n);
  });

  it("keeps the same addresses, allowlistings and funds after a restart, minting nothing again", async () => {
    const before = await state();
    await chain!.stop();
    chain = await start();
    const after = await state();
    expect(after.setup).toEqual(before.setup);
    expect(after.balance).toBe(before.balance);
    expect(after.mints.map((row) => row.id)).toEqual(before.mints.map((row) => row.id));
    expect(after.approvals.map((row) => [row.id, row.allowlistTxId, row.allowlistedAt?.getTime()])).toEqual(before.approvals.map((row) => [row.id, row.allowlistTxId, row.allowlistedAt?.getTime()]));
    expect(await getDb().select().from(platformContracts)).toHaveLength(2);
    const grants = await getDb()
      .select()
      .from(chainTransactions)
      .where(and(eq(chainTransactions.kind, "grant_role"), eq(chainTransactions.status, "confirmed")));
    expect(grants).toHaveLength((await tokens()).length);
    expect(await getDb().select().from(auditLog).where(eq(auditLog.action, "stablecoin.contracts_deployed"))).toHaveLength(1);
  });
});

import net from "node:net";
import { and, eq, sql } from "drizzle-orm";
import { getAddress, keccak256, slice, toHex, type Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { as } from "@/test/session-mock";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";
import { getDb } from "@/db/client";
import { auditLog, chainTransactions, linkedWallets, platformContracts, rateLimits, users } from "@/db/schema";
import type { ChainContext } from "@/lib/chain/context";
import { makeOfferingWithToken, startHardhatNode, testChainContext, type HardhatNode } from "@/test/chain-support";
import { setTestSettings } from "@/test/settings";
import { POST as faucet } from "@/app/api/dev/stablecoin-faucet/route";
import { stablecoinSetup } from "./contracts";
import { FAUCET_CAP_YEN, FAUCET_YEN } from "./faucet";
import { deployPlatformContracts, ensureSettlementCanAllocate, forgetPlatformContractsWithoutCode, mintStablecoin, stablecoinBalance, yenToUnits } from "./platform";
import { ISSUER_ROLE } from "./platform-intents";

// The faucet route reaches the chain through the settings: a fixed port the node is started on.
const port = await new Promise<number>((resolve) => {
  const server = net.createServer().listen(0, "127.0.0.1", () => {
    const address = server.address() as net.AddressInfo;
    server.close(() => resolve(address.port));
  });
});
setTestSettings({ CHAIN_RPC_URL: `http://127.0.0.1:${port}` });

let node: HardhatNode;
let ctx: ChainContext;

beforeAll(async () => {
  node = await startHardhatNode({ port });
  ctx = testChainContext(getDb(), node.rpcUrl);
});

afterAll(async () => {
  await node?.stop();
});

const address = (label: string): Address => getAddress(slice(keccak256(toHex(`${label}-${Math.random()}`)), 12));
const hasCode = async (at: Address) => ((await ctx.client.getCode({ address: at })) ?? "0x") !== "0x";
const rowsOfKind = (kind: string) =>
  getDb()
    .select()
    .from(chainTransactions)
    .where(and(eq(chainTransactions.kind, kind), eq(chainTransactions.chainId, 31337)));

describe("the stablecoin platform's contracts", () => {
  it("are deployed once through the signer queue, however many callers ask at once, and then read from the database", async () => {
    expect(await stablecoinSetup(getDb(), 31337)).toBeNull();
    const [first, second] = await Promise.all([deployPlatformContracts(ctx), deployPlatformContracts(ctx)]);
    expect(second).toEqual(first);
    expect(first).toMatchObject({ decimals: 18, eip712Name: "JPY Coin (dev)", eip712Version: "1" });
    expect(first.stablecoin).not.toBe(first.settlement);
    expect(await hasCode(first.stablecoin)).toBe(true);
    expect(await hasCode(first.settlement)).toBe(true);
    expect(await deployPlatformContracts(ctx)).toEqual(first);

    const deployments = await rowsOfKind("platform_deploy");
    expect(deployments.map((row) => [row.payload!.contract, row.status, row.signer]).sort()).toEqual([
      ["VillageSettlement", "confirmed", ctx.account.address],
      ["YenStablecoin", "confirmed", ctx.account.address],
    ]);
    expect(await stablecoinSetup(getDb(), 31337)).toEqual(first);
    expect(await stablecoinSetup(getDb(), 1)).toBeNull();
    const audits = await getDb().select().from(auditLog).where(eq(auditLog.action, "stablecoin.contracts_deployed"));
    expect(audits).toHaveLength(1);
    expect(audits[0]!.detail).toMatchObject({ stablecoin: first.stablecoin, settlement: first.settlement });
  });

  it("give the settlement contract a token's issuer role once, however often it is asked", async () => {
    const setup = await deployPlatformContracts(ctx);
    const { token } = await makeOfferingWithToken(ctx);
    const hasRole = () => ctx.client.readContract({ address: token, abi: villageTokenAbi, functionName: "hasRole", args: [ISSUER_ROLE, setup.settlement] });
    expect(await hasRole()).toBe(false);
    await Promise.all([ensureSettlementCanAllocate(ctx, token, setup.settlement), ensureSettlementCanAllocate(ctx, token, setup.settlement)]);
    await ensureSettlementCanAllocate(ctx, token, setup.settlement);
    expect(await hasRole()).toBe(true);
    const grants = (await rowsOfKind("grant_role")).filter((row) => row.payload!.to === token);
    expect(grants.map((row) => row.status)).toEqual(["confirmed"]);
  });

  it("mint the dev stablecoin in yen times 10^decimals", async () => {
    const setup = await deployPlatformContracts(ctx);
    const to = address("mint");
    const row = await mintStablecoin(ctx, setup, to, 2_500);
    expect(row).toMatchObject({ kind: "stablecoin_mint", status: "confirmed" });
    expect(await stablecoinBalance(ctx, setup, to)).toBe(2_500n * 10n ** 18n);
    await expect(mintStablecoin(ctx, setup, to, 0.5)).rejects.toThrow(/cannot mint/);
  });
});

describe("the dev faucet", () => {
  const post = (body: unknown, type = "application/json") =>
    faucet(new Request("http://localhost/api/dev/stablecoin-faucet", { method: "POST", headers: { "content-type": type }, body: JSON.stringify(body) }));

  it("mints test JPYC to the caller's own linked wallet, once a minute, and not past the cap", async () => {
    const setup = await deployPlatformContracts(ctx);
    const [user] = await getDb()
      .insert(users)
      .values({ email: `faucet-${Date.now()}@example.jp` })
      .returning();
    const [other] = await getDb()
      .insert(users)
      .values({ email: `faucet-other-${Date.now()}@example.jp` })
      .returning();
    const mine = address("mine");
    const theirs = address("theirs");
    await getDb()
      .insert(linkedWallets)
      .values([
        { userId: user!.id, address: mine, siweMessage: "m", signature: "0x" },
        { userId: other!.id, address: theirs, siweMessage: "m", signature: "0x" },
      ]);

    as.user = null;
    expect((await post({ address: mine })).status).toBe(401);
    as.user = { id: user!.id, email: user!.email, name: null, role: "investor" };
    as.locale = "ja";
    expect((await post({ address: mine }, "text/plain")).status).toBe(415);
    expect((await post({ address: "0x1234" })).status).toBe(400);
    const foreign = await post({ address: theirs });
    expect(foreign.status).toBe(404);
    expect(((await foreign.json()) as { message: string }).message).toBe("このアドレスは、あなたが連携しているウォレットではありません。");
    expect(await stablecoinBalance(ctx, setup, theirs)).toBe(0n);

    // Not in the last seconds of a rate-limit window, so that the second press falls in the same one.
    const intoWindow = Date.now() % 60_000;
    if (intoWindow > 45_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoWindow + 200));
    const sent = await post({ address: mine.toLowerCase() });
    expect(sent.status).toBe(200);
    expect(await sent.json()).toMatchObject({ status: "ok", message: `${mine} にテスト用のJPYCを¥100,000分送りました。` });
    expect(await stablecoinBalance(ctx, setup, mine)).toBe(yenToUnits(setup, FAUCET_YEN));
    as.locale = "en";
    const again = await post({ address: mine });
    expect(again.status).toBe(429);
    expect(((await again.json()) as { message: string }).message).toMatch(/^Once a minute only: try again in \d+ seconds\.$/);
    expect(await stablecoinBalance(ctx, setup, mine)).toBe(yenToUnits(setup, FAUCET_YEN));

    await mintStablecoin(ctx, setup, mine, FAUCET_CAP_YEN - FAUCET_YEN);
    await getDb().delete(rateLimits).where(sql`${rateLimits.key} like 'stablecoin-faucet:%'`);
    const capped = await post({ address: mine });
    expect(capped.status).toBe(409);
    expect(await capped.json()).toMatchObject({ status: "error", message: "That address already holds ¥1,000,000 worth of test JPYC or more." });
    expect(await stablecoinBalance(ctx, setup, mine)).toBe(yenToUnits(setup, FAUCET_CAP_YEN));

    await getDb().update(linkedWallets).set({ status: "unlinked", unlinkedAt: new Date() }).where(eq(linkedWallets.address, mine));
    await getDb().delete(rateLimits).where(sql`${rateLimits.key} like 'stablecoin-faucet:%'`);
    expect((await post({ address: mine })).status).toBe(404);
  });
});

describe("a chain that lost the platform's contracts", () => {
  it("forgets the recorded addresses without code and deploys the contracts again", async () => {
    const before = await deployPlatformContracts(ctx);
    expect(await forgetPlatformContractsWithoutCode(ctx)).toBe(0);
    // As if the journal were gone: the stablecoin's code vanishes from the chain.
    await ctx.client.request({ method: "hardhat_setCode" as never, params: [before.stablecoin, "0x"] as never });
    expect(await forgetPlatformContractsWithoutCode(ctx)).toBe(1);
    expect(await getDb().select().from(platformContracts)).toHaveLength(1);
    const after = await deployPlatformContracts(ctx);
    expect(after.settlement).toBe(before.settlement);
    expect(after.stablecoin).not.toBe(before.stablecoin);
    expect(await hasCode(after.stablecoin)).toBe(true);
    expect(await stablecoinSetup(getDb(), 31337)).toEqual(after);
  });
});

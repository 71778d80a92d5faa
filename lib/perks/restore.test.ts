import { and, eq, sql } from "drizzle-orm";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";
import { getDb } from "@/db/client";
import { chainTransactions, ledgerEntries, offerings, perkClaims, wallets } from "@/db/schema";
import type { ChainContext } from "@/lib/chain/context";
import { perkBurnIntent } from "@/lib/chain/intents";
import { reconcileOffering } from "@/lib/chain/reconcile";
import { submitTransaction } from "@/lib/chain/signer-queue";
import { translator } from "@/lib/i18n/catalog";
import type { PaymentProvider } from "@/lib/payments/provider";
import { getRegister, registerCsv } from "@/lib/register/register";
import { computeFigures } from "@/lib/settlement/compute";
import { invariantsOf } from "@/lib/settlement/figures";
import { startHardhatNode, testChainContext, type HardhatNode } from "@/test/chain-support";
import { setTestSettings } from "@/test/settings";
import { runPerkBurns } from "./burn";
import { auditsOf, balanceOf, cancel, claimOf, entriesOf, makeClaim, noticesOf, perkWorld, supplyOf, type World } from "@/test/perk-chain-world";
import { restorePerkClaim } from "./jobs";
import { queuePerkRestore, runPerkRestores, sweepPerkRestores } from "./restore";

let node: HardhatNode;
let ctx: ChainContext;

beforeAll(async () => {
  node = await startHardhatNode();
  setTestSettings({ CHAIN_RPC_URL: node.rpcUrl });
  ctx = testChainContext(getDb(), node.rpcUrl);
});
afterAll(async () => node?.stop());

const restoresOf = (claimId: string) =>
  getDb()
    .select()
    .from(chainTransactions)
    .where(and(eq(chainTransactions.kind, "perk_restore"), sql`${chainTransactions.payload}->'ref'->'perkClaimIds' ? ${claimId}`));
const allocatedEvents = (world: World, seq: number) =>
  ctx.client.getContractEvents({ address: world.offering.token, abi: villageTokenAbi, eventName: "Allocated", args: { orderSeq: BigInt(seq) }, fromBlock: 0n, strict: true });
const reconcile = (world: World) => reconcileOffering(ctx, { id: world.offering.id, slug: world.offering.slug, token: world.offering.token });
const jobsFor = async (claimId: string) => (await getDb().execute<{ n: number }>(sql`select count(*)::int as n from pgboss.job where name = 'perks.restore' and data->>'claimId' = ${claimId}`))[0]!.n;

describe("perk give-backs", () => {
  let world: World;
  let claimId: string;

  it("gives the units of a claim cancelled after its burn back by one new allocation, however often the job runs", async () => {
    world = await perkWorld(ctx, [10, 8], 4);
    const holder = world.holders[0]!;
    claimId = await makeClaim(world, holder, 4);
    expect(await runPerkBurns(ctx, [claimId])).toEqual({ burned: 1, failed: 0 });
    expect(await reconcile(world)).toMatchObject({ status: "ok", supplyChain: 14, supplyDb: 14 });

    await cancel(claimId);
    expect(await getDb().transaction((tx) => queuePerkRestore(tx, claimId))).toBe(true);
    expect(await getDb().transaction((tx) => queuePerkRestore(tx, claimId))).toBe(false);
    expect(await jobsFor(claimId)).toBe(1);
    const { restoreSeq } = await claimOf(claimId);
    expect(restoreSeq).toBeGreaterThan(0);

    const other = testChainContext(getDb(), node.rpcUrl);
    expect(await Promise.all([runPerkRestores(ctx, [claimId]), runPerkRestores(other, [claimId])])).toEqual([
      { restored: 1, failed: 0 },
      { restored: 1, failed: 0 },
    ]);
    expect(await restorePerkClaim(claimId, ctx)).toEqual({ restored: 1, failed: 0 });
    expect(await sweepPerkRestores(ctx)).toEqual({ restored: 0, failed: 0 });

    const sent = await restoresOf(claimId);
    expect(sent.map((row) => [row.status, row.payload?.functionName])).toEqual([["confirmed", "allocate"]]);
    expect(await allocatedEvents(world, restoreSeq!)).toHaveLength(1);
    expect(await balanceOf(ctx, world.offering.token, holder.address)).toBe(10n);
    expect(await supplyOf(ctx, world.offering.token)).toBe(18n);
    const claim = await claimOf(claimId);
    expect(claim.restoredAt).not.toBeNull();
    expect(claim.restoreChainTransactionId).toBe(sent[0]!.id);

    const entries = await entriesOf(claimId);
    expect(entries.map((entry) => [entry.kind, entry.units, entry.orderId])).toEqual([
      ["tokens_redeemed", -4, null],
      ["tokens_allocated", 4, null],
    ]);
    expect(entries[1]!.detail).toMatchObject({ to: holder.address, txHash: sent[0]!.txHash, perkClaimId: claimId, restored: true });
    expect(await auditsOf(claimId, "perk_claim.restored")).toHaveLength(1);
    expect((await noticesOf(claimId, "perk_tokens_restored")).map((notice) => [notice.userId, notice.detail.units])).toEqual([[holder.userId, 4]]);
  });

  it("keeps the ledger, the register and the chain agreeing, and the give-back is no sale", async () => {
    expect(await reconcile(world)).toMatchObject({ status: "ok", supplyChain: 18, supplyDb: 18, mismatches: [] });
    const register = await getRegister(world.offering.id, new Date());
    const holder = register.holders.find((row) => row.userId === world.holders[0]!.userId)!;
    expect(holder.units).toBe(10);
    expect(holder.acquisitions.map((entry) => [entry.kind, entry.units, entry.orderSeq, entry.perkClaimId])).toEqual([
      ["tokens_allocated", 10, expect.any(Number), null],
      ["tokens_redeemed", -4, null, claimId],
      ["tokens_allocated", 4, null, claimId],
    ]);
    expect(registerCsv(register, "en", translator("en"))).toMatch(/ \+4 \(Given back \(perk cancelled\)\)/);

    // Sold units are the orders': 18 sold, and the allocations of orders stay one per order.
    const [offering] = await getDb().select().from(offerings).where(eq(offerings.id, world.offering.id));
    expect(offering!.soldUnits).toBe(18);
    const ofOrders = await getDb()
      .select()
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.offeringId, world.offering.id), eq(ledgerEntries.kind, "tokens_allocated"), sql`${ledgerEntries.orderId} is not null`));
    expect(ofOrders.map((entry) => entry.units).sort()).toEqual([10, 8]);
    // The settlement report: sold units from the orders; on chain, issued − burned (a give-back is issued again).
    const figures = await computeFigures(world.offering.id, null, { provider: { paymentFees: async () => [] } as unknown as PaymentProvider, chain: ctx });
    expect(figures!.sales).toMatchObject({ unitsSold: 18, paidOrders: 2 });
    expect(figures!.chain).toMatchObject({ totalSupply: 18, allocatedUnits: 22, clawedBackUnits: 0, redeemedUnits: 4 });
    expect(invariantsOf(figures!).supplyMatchesLedger).toBe(true);
  });

  it("books a burn that was on its way when the claim was cancelled, then gives it back to the holder's current wallet", async () => {
    const holder = world.holders[1]!;
    const inFlight = await makeClaim(world, holder, 3);
    const seq = (await claimOf(inFlight)).burnSeq!;
    // The burn is queued (as by an earlier run) and the claim is cancelled before it is mined.
    const row = await submitTransaction(getDb(), ctx, perkBurnIntent(world.offering.token, { offeringId: world.offering.id, items: [{ claimId: inFlight, seq, from: holder.address, units: 3 }] }));
    await getDb().update(perkClaims).set({ burnChainTransactionId: row.id }).where(eq(perkClaims.id, inFlight));
    await cancel(inFlight);
    // Cancelled before any burn was sent, a claim is never burned.
    const never = await makeClaim(world, world.holders[0]!, 4);
    await cancel(never);

    expect(await runPerkBurns(ctx, [inFlight, never])).toEqual({ burned: 1, failed: 0 });
    expect(await balanceOf(ctx, world.offering.token, holder.address)).toBe(5n);
    expect((await claimOf(never)).burnChainTransactionId).toBeNull();
    const burned = await claimOf(inFlight);
    expect(burned.burnedAt).not.toBeNull();
    expect(burned.restoreSeq).not.toBeNull();
    expect(await jobsFor(inFlight)).toBe(1);

    // Meanwhile the holder's wallet was replaced: the units come back to the new one, allowlisted first.
    const fresh = privateKeyToAccount(generatePrivateKey()).address;
    await getDb().update(wallets).set({ address: fresh, allowlistedAt: null }).where(eq(wallets.userId, holder.userId));
    expect(await runPerkRestores(ctx, [inFlight])).toEqual({ restored: 1, failed: 0 });
    expect(await balanceOf(ctx, world.offering.token, fresh)).toBe(3n);
    expect((await entriesOf(inFlight)).map((entry) => [entry.kind, entry.units, entry.detail?.from ?? entry.detail?.to])).toEqual([
      ["tokens_redeemed", -3, holder.address],
      ["tokens_allocated", 3, fresh],
    ]);
    expect(await reconcile(world)).toMatchObject({ status: "ok", supplyChain: 18, supplyDb: 18, mismatches: [] });
    const register = await getRegister(world.offering.id, new Date());
    expect(register.holders.find((row) => row.userId === holder.userId)!.units).toBe(8);
  });
});

import { and, eq, sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import type { Address, Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";
import { getDb } from "@/db/client";
import { allocations, chainTransactions, ledgerEntries, offerings, orderEvents, orders, users, votes } from "@/db/schema";
import { DEMO_BOND_INVESTORS, DEMO_BOND_SLUG, DEMO_HARBOUR_HOLDINGS, DEMO_OFFERING_SLUG, DEMO_OTHER_OFFERING_SLUG, seedIfEmpty } from "@/db/seed";
import { allocateWaiting } from "@/lib/chain/allocate";
import { reconcileAll } from "@/lib/chain/reconcile";
import { makeInvestor, makePaidOrder, testChainContext } from "@/test/chain-support";
import { env } from "@/lib/env";
import { holdersSnapshot, unitsAtSnapshot } from "@/lib/holders/snapshot";
import { recordCutoff } from "@/lib/bonds/snapshot";
import { startWorker } from "@/lib/jobs/worker";
import { startDevChain, type DevChain } from "./dev-chain";
import { freePort } from "./ports";

// The worker reads CHAIN_RPC_URL when it first needs the chain: a fixed port the chain comes back on.
const port = await freePort();
process.env.CHAIN_RPC_URL = `http://127.0.0.1:${port}`;

let chain: DevChain | undefined;
let worker: PgBoss | undefined;
const logged: string[] = [];
const start = () => startDevChain({ databaseUrl: env().databaseUrl, port, log: (line) => logged.push(line) });

beforeAll(async () => {
  await seedIfEmpty(getDb());
  chain = await start();
});

afterAll(async () => {
  await worker?.stop({ graceful: false });
  await chain?.stop();
});

async function seeded() {
  const [row] = await getDb().select().from(offerings).where(eq(offerings.slug, DEMO_OFFERING_SLUG));
  return { id: row!.id, token: row!.tokenAddress as Address };
}

const balanceOf = (token: Address, holder: Address) =>
  testChainContext(getDb(), chain!.rpcUrl).client.readContract({ address: token, abi: villageTokenAbi, functionName: "balanceOf", args: [holder] });

async function waitUntilAllocated(orderIds: string[], timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await getDb().select({ id: orders.id, status: orders.status }).from(orders);
    if (orderIds.every((id) => rows.find((row) => row.id === id)?.status === "allocated")) return;
    if (Date.now() > deadline) throw new Error(`not allocated in time: ${JSON.stringify(rows)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Each Allocated event of a token by order sequence number: its block's time and its transaction. */
async function allocatedAt(token: Address) {
  const client = testChainContext(getDb(), chain!.rpcUrl).client;
  const logs = await client.getContractEvents({ address: token, abi: villageTokenAbi, eventName: "Allocated", fromBlock: 0n });
  const times = new Map<number, { at: number; txHash: Hex }>();
  for (const log of logs) times.set(Number(log.args.orderSeq), { at: Number((await client.getBlock({ blockNumber: log.blockNumber! })).timestamp) * 1000, txHash: log.transactionHash! });
  return times;
}

describe("dev chain", () => {
  it("allocates the harbour token's seeded orders at their past dates and freezes its holders at the demo's record date", async () => {
    const [harbour] = await getDb().select().from(offerings).where(eq(offerings.slug, DEMO_OTHER_OFFERING_SLUG));
    const token = harbour!.tokenAddress as Address;
    expect(token).toMatch(/^0x[0-9a-fA-F]{40}$/);
    const sold = await getDb()
      .select({ order: orders, paidAt: orderEvents.at })
      .from(orders)
      .innerJoin(orderEvents, and(eq(orderEvents.orderId, orders.id), eq(orderEvents.toStatus, "paid")))
      .where(eq(orders.offeringId, harbour!.id));
    expect(sold).toHaveLength(DEMO_HARBOUR_HOLDINGS.length);
    const minted = await allocatedAt(token);
    for (const { order, paidAt } of sold) {
      expect(order.status).toBe("allocated");
      expect(minted.get(order.seq)!.at - paidAt.getTime()).toBeGreaterThanOrEqual(0);
      expect(minted.get(order.seq)!.at - paidAt.getTime()).toBeLessThan(5 * 60_000);
    }

    const [vote] = await getDb().select().from(votes).where(eq(votes.offeringId, harbour!.id));
    const snapshot = await holdersSnapshot(harbour!.id, vote!.recordDate, getDb());
    const total = DEMO_HARBOUR_HOLDINGS.reduce((sum, holding) => sum + holding.units, 0);
    expect(snapshot).toMatchObject({ status: "frozen", holders: DEMO_HARBOUR_HOLDINGS.length, supplyChain: total, supplyLedger: total, cutoffAt: recordCutoff(vote!.recordDate) });
    const people = await getDb().select({ id: users.id, email: users.email }).from(users);
    const idOf = (email: string) => people.find((row) => row.email === email)!.id;
    for (const holding of DEMO_HARBOUR_HOLDINGS) expect(await unitsAtSnapshot(getDb(), snapshot!.id, idOf(holding.email)), holding.email).toBe(holding.units);
    expect(await unitsAtSnapshot(getDb(), snapshot!.id, idOf("kaito.hamada@example.jp"))).toBeGreaterThanOrEqual(10);
    const without = DEMO_BOND_INVESTORS.find((investor) => !DEMO_HARBOUR_HOLDINGS.some((holding) => holding.email === investor.email))!;
    expect(await unitsAtSnapshot(getDb(), snapshot!.id, idOf(without.email))).toBe(0);
    expect(logged).toContain(`holders' snapshots: ${DEMO_OTHER_OFFERING_SLUG} at the end of ${vote!.recordDate} frozen`);
  });

  it("mints the seeded bond's past sale at its dates, a restart keeps those block times, and new blocks are dated now", async () => {
    const [bond] = await getDb().select().from(offerings).where(eq(offerings.slug, DEMO_BOND_SLUG));
    const token = bond!.tokenAddress as Address;
    expect(token).toMatch(/^0x[0-9a-fA-F]{40}$/);
    const sold = await getDb()
      .select({ order: orders, paidAt: orderEvents.at })
      .from(orders)
      .innerJoin(orderEvents, and(eq(orderEvents.orderId, orders.id), eq(orderEvents.toStatus, "paid")))
      .where(eq(orders.offeringId, bond!.id));
    expect(sold).toHaveLength(DEMO_BOND_INVESTORS.length);
    const before = await allocatedAt(token);
    expect(before.size).toBe(sold.length);
    for (const { order, paidAt } of sold) {
      expect(order.status).toBe("allocated");
      // Allocated a minute after its payment, months ago, and the queue kept that block time.
      expect(before.get(order.seq)!.at - paidAt.getTime()).toBeGreaterThanOrEqual(0);
      expect(before.get(order.seq)!.at - paidAt.getTime()).toBeLessThan(5 * 60_000);
      expect(before.get(order.seq)!.at).toBeLessThan(bond!.closesAt.getTime());
      const [row] = await getDb()
        .select({ blockTime: chainTransactions.blockTime })
        .from(chainTransactions)
        .where(eq(chainTransactions.txHash, before.get(order.seq)!.txHash));
      expect(row!.blockTime!.getTime()).toBe(before.get(order.seq)!.at);
    }
    const [units] = await getDb()
      .select({ n: sql<string>`sum(${ledgerEntries.units})` })
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.offeringId, bond!.id), eq(ledgerEntries.kind, "tokens_allocated")));
    expect(Number(units!.n)).toBe(bond!.capUnits);

    await chain!.stop();
    chain = await start();
    expect(await allocatedAt(token)).toEqual(before);

    // After the replay the clock is back to now: a new allocation is mined at about the wall-clock time.
    const { id } = await seeded();
    const investor = await makeInvestor(getDb());
    const order = await makePaidOrder(getDb(), { userId: investor.userId, offeringId: id, units: 1 });
    await allocateWaiting(testChainContext(getDb(), chain!.rpcUrl));
    const [fresh] = await getDb()
      .select({ blockTime: chainTransactions.blockTime })
      .from(allocations)
      .innerJoin(chainTransactions, eq(chainTransactions.id, allocations.chainTransactionId))
      .where(eq(allocations.orderId, order.id));
    expect(Math.abs(fresh!.blockTime!.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it("deploys the seeded offering's token through the journal, and a restart replays it to the same address and balances", async () => {
    const before = await seeded();
    expect(before.token).toMatch(/^0x[0-9a-fA-F]{40}$/);
    const investor = await makeInvestor(getDb());
    const order = await makePaidOrder(getDb(), { userId: investor.userId, offeringId: before.id, units: 3 });
    const ctx = testChainContext(getDb(), chain!.rpcUrl);
    await allocateWaiting(ctx);
    expect(await balanceOf(before.token, investor.address)).toBe(3n);

    await chain!.stop();
    chain = await start();
    expect(logged.some((line) => /replayed \d+ journaled/.test(line))).toBe(true);
    const after = await seeded();
    expect(after.token).toBe(before.token);
    expect(await balanceOf(after.token, investor.address)).toBe(3n);
    // Same signed bytes, same hashes: the database's transaction hash is found on the new node.
    const [allocated] = await getDb()
      .select({ txHash: chainTransactions.txHash })
      .from(allocations)
      .innerJoin(chainTransactions, eq(chainTransactions.id, allocations.chainTransactionId))
      .where(eq(allocations.orderId, order.id));
    expect((await ctx.client.getTransactionReceipt({ hash: allocated!.txHash as Hex })).status).toBe("success");
  });

  it("completes every allocation once the node comes back after being down", async () => {
    const { id, token } = await seeded();
    worker = await startWorker(env().databaseUrl, getDb());
    await chain!.stop();
    const investors = await Promise.all([1, 2, 3].map(() => makeInvestor(getDb())));
    const paid = await Promise.all(investors.map((investor, i) => makePaidOrder(getDb(), { userId: investor.userId, offeringId: id, units: i + 1, enqueueJob: true })));
    await new Promise((r) => setTimeout(r, 3_000)); // the worker meets a closed port meanwhile
    expect((await getDb().select({ status: orders.status }).from(orders).where(eq(orders.id, paid[0]!.id)))[0]!.status).not.toBe("allocated");

    chain = await start();
    await waitUntilAllocated(
      paid.map((order) => order.id),
      30_000,
    );
    for (const [i, investor] of investors.entries()) expect(await balanceOf(token, investor.address)).toBe(BigInt(i + 1));
    const ctx = testChainContext(getDb(), chain.rpcUrl);
    for (const order of paid) {
      const logs = await ctx.client.getContractEvents({ address: token, abi: villageTokenAbi, eventName: "Allocated", args: { orderSeq: BigInt(order.seq) }, fromBlock: 0n });
      expect(logs).toHaveLength(1);
      expect(await ctx.client.getTransactionReceipt({ hash: logs[0]!.transactionHash as Hex })).toBeTruthy();
    }
    expect(await reconcileAll(ctx)).toMatchObject({ reconcile: "ok" });
  });
});

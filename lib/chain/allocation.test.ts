import { and, eq } from "drizzle-orm";
import { PgBoss } from "pg-boss";
import { createWalletClient, http, type Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";
import { getDb } from "@/db/client";
import { allocations, chainTransactions, ledgerEntries, orders } from "@/db/schema";
import { env } from "@/lib/env";
import { enqueue } from "@/lib/jobs/enqueue";
import { JOBS } from "@/lib/jobs/names";
import { allocateWaiting, retryFailedAllocation } from "./allocate";
import { allowlistWallets, ensureAllowlisted } from "./allowlist";
import { demoIssuerAccount, type ChainContext } from "./context";
import { registerChainJobs } from "./jobs";
import { getHoldings } from "./queries";
import { makeInvestor, makePaidOrder, startChainOffering, type HardhatNode } from "@/test/chain-support";

let node: HardhatNode;
let ctx: ChainContext;
let offering: { id: string; token: Address };

beforeAll(async () => ({ node, ctx, offering } = await startChainOffering(getDb())));
afterAll(async () => node?.stop());

const read = <F extends "balanceOf" | "totalSupply" | "isFrozen">(functionName: F, args: unknown[] = []) =>
  ctx.client.readContract({ address: offering.token, abi: villageTokenAbi, functionName, args: args as never }) as Promise<F extends "isFrozen" ? boolean : bigint>;

async function mintsOf(seq: number): Promise<number> {
  const logs = await ctx.client.getContractEvents({ address: offering.token, abi: villageTokenAbi, eventName: "Allocated", args: { orderSeq: BigInt(seq) }, fromBlock: 0n });
  return logs.length;
}

async function ledgerOf(orderId: string, kind: "tokens_allocated" | "tokens_clawed_back" | "tokens_frozen") {
  return getDb()
    .select()
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.orderId, orderId), eq(ledgerEntries.kind, kind)));
}

async function statusOf(orderId: string) {
  return (await getDb().select({ status: orders.status }).from(orders).where(eq(orders.id, orderId)))[0]!.status;
}

/** A hook that simulates a kill at that point, for allocation transactions only. */
const crashOnAllocation = (message: string) => async (txId: string) => {
  const [row] = await getDb().select({ kind: chainTransactions.kind }).from(chainTransactions).where(eq(chainTransactions.id, txId));
  if (row?.kind === "allocate") throw new Error(message);
};

async function paidOrder(units: number, options: { enqueueJob?: boolean } = {}) {
  const investor = await makeInvestor(getDb());
  const order = await makePaidOrder(getDb(), { userId: investor.userId, offeringId: offering.id, units, ...options });
  return { ...investor, order };
}

describe("allocation", () => {
  it("allocates a paid order on chain, records it once and shows the balance", async () => {
    const { userId, address, order } = await paidOrder(3);
    const result = await allocateWaiting(ctx);
    expect(result).toMatchObject({ allocated: 1, transactions: 1 });
    expect(await statusOf(order.id)).toBe("allocated");
    expect(await read("balanceOf", [address])).toBe(3n);
    expect(await ledgerOf(order.id, "tokens_allocated")).toMatchObject([{ units: 3, userId }]);
    const holdings = await getHoldings(userId, ctx);
    expect(holdings.holdings).toMatchObject([{ ledgerUnits: 3, chainUnits: 3 }]);
    expect(holdings.orders[0]).toMatchObject({ status: "allocated", chainStatus: "confirmed", units: 3 });
    expect(holdings.orders[0]!.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(await allocateWaiting(ctx)).toMatchObject({ allocated: 0, transactions: 0 });
  });

  it("sends the orders waiting together as one batch transaction", async () => {
    const batch = await Promise.all([1, 2, 3, 4].map((units) => paidOrder(units)));
    const result = await allocateWaiting(ctx);
    expect(result).toMatchObject({ allocated: 4, transactions: 1 });
    const [allocation] = await getDb().select().from(allocations).where(eq(allocations.orderId, batch[0]!.order.id));
    const [tx] = await getDb().select().from(chainTransactions).where(eq(chainTransactions.id, allocation!.chainTransactionId!));
    expect(tx).toMatchObject({ kind: "allocate", status: "confirmed", payload: expect.objectContaining({ functionName: "allocateBatch" }) });
    for (const { address, order } of batch) expect(await read("balanceOf", [address])).toBe(BigInt(order.units));
  });

  it("mints once when the same allocation job is enqueued five times, and when five runs race", async () => {
    const { order } = await paidOrder(2);
    for (let i = 0; i < 5; i++) await enqueue(getDb(), JOBS.allocate, { orderId: order.id });
    const boss = new PgBoss({ connectionString: env().databaseUrl, schema: "pgboss" });
    await boss.start();
    try {
      await registerChainJobs(boss, { context: ctx });
      for (let i = 0; i < 200 && (await statusOf(order.id)) !== "allocated"; i++) await new Promise((r) => setTimeout(r, 50));
    } finally {
      await boss.stop({ graceful: false });
    }
    expect(await statusOf(order.id)).toBe("allocated");
    expect(await mintsOf(order.seq)).toBe(1);
    expect(await ledgerOf(order.id, "tokens_allocated")).toHaveLength(1);

    const { order: raced } = await paidOrder(4);
    await Promise.all(Array.from({ length: 5 }, () => allocateWaiting(ctx)));
    expect(await mintsOf(raced.seq)).toBe(1);
    expect(await ledgerOf(raced.id, "tokens_allocated")).toHaveLength(1);
  });

  it("allocates once after a crash between sending and recording", async () => {
    const { address, order } = await paidOrder(5);
    const crashing: ChainContext = { ...ctx, hooks: { afterBroadcast: crashOnAllocation("killed after send") } };
    await expect(allocateWaiting(crashing)).rejects.toThrow("killed after send");
    expect(await statusOf(order.id)).toBe("allocating");
    expect(await ledgerOf(order.id, "tokens_allocated")).toHaveLength(0);
    expect(await read("balanceOf", [address])).toBe(5n); // on chain, not yet recorded

    await allocateWaiting(ctx);
    expect(await statusOf(order.id)).toBe("allocated");
    expect(await mintsOf(order.seq)).toBe(1);
    expect(await ledgerOf(order.id, "tokens_allocated")).toHaveLength(1);
    expect(await read("balanceOf", [address])).toBe(5n);
  });

  it("sends the stored transaction after a crash between signing and sending", async () => {
    const { address, order } = await paidOrder(6);
    const crashing: ChainContext = { ...ctx, hooks: { beforeBroadcast: crashOnAllocation("killed before send") } };
    await expect(allocateWaiting(crashing)).rejects.toThrow("killed before send");
    expect(await statusOf(order.id)).toBe("allocating");
    expect(await mintsOf(order.seq)).toBe(0);
    await allocateWaiting(ctx);
    expect(await statusOf(order.id)).toBe("allocated");
    expect(await read("balanceOf", [address])).toBe(6n);
  });

  it("records, without minting again, an order the chain allocated but the database never recorded", async () => {
    const { address, order } = await paidOrder(7);
    await ensureAllowlisted(ctx, offering.token, [address]);
    const issuer = createWalletClient({ account: demoIssuerAccount(), transport: http(node.rpcUrl, { retryCount: 0 }) });
    await ctx.client.waitForTransactionReceipt({
      hash: await issuer.writeContract({ chain: null, address: offering.token, abi: villageTokenAbi, functionName: "allocate", args: [BigInt(order.seq), address, 7n] }),
    });
    const supply = await read("totalSupply");
    await allocateWaiting(ctx);
    expect(await statusOf(order.id)).toBe("allocated");
    expect(await read("totalSupply")).toBe(supply);
    expect(await mintsOf(order.seq)).toBe(1);
    expect(await ledgerOf(order.id, "tokens_allocated")).toMatchObject([{ units: 7, detail: expect.objectContaining({ recoveredFromChain: true }) }]);
  });

  it("splits a refused batch: the others go through, the refused order waits for staff with its reason", async () => {
    const good = await paidOrder(1);
    const bad = await paidOrder(2);
    await allowlistWallets(ctx, [bad.userId]);
    const issuer = createWalletClient({ account: demoIssuerAccount(), transport: http(node.rpcUrl, { retryCount: 0 }) });
    const freeze = (frozen: boolean) => issuer.writeContract({ chain: null, address: offering.token, abi: villageTokenAbi, functionName: "setFrozen", args: [bad.address, frozen] });
    await ctx.client.waitForTransactionReceipt({ hash: await freeze(true) });

    await allocateWaiting(ctx);
    expect(await statusOf(good.order.id)).toBe("allocated");
    expect(await statusOf(bad.order.id)).toBe("allocating");
    const [refused] = await getDb()
      .select({ status: chainTransactions.status, error: chainTransactions.error })
      .from(allocations)
      .innerJoin(chainTransactions, eq(chainTransactions.id, allocations.chainTransactionId))
      .where(eq(allocations.orderId, bad.order.id));
    expect(refused).toMatchObject({ status: "failed", error: expect.stringMatching(/WalletFrozen/) });

    await ctx.client.waitForTransactionReceipt({ hash: await freeze(false) });
    expect(await retryFailedAllocation(ctx, bad.order.id)).toBe(true);
    await allocateWaiting(ctx);
    expect(await statusOf(bad.order.id)).toBe("allocated");
    expect(await read("balanceOf", [bad.address])).toBe(2n);
  });
});

import { spawnSync } from "node:child_process";
import { and, eq, inArray } from "drizzle-orm";
import { createWalletClient, http, type Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";
import { getDb } from "@/db/client";
import { allocations, auditLog, chainTransactions, ledgerEntries, orders, reconciliations } from "@/db/schema";
import { transitionOrder } from "@/lib/orders/transitions";
import { allocateWaiting } from "./allocate";
import { allowlistWallets } from "./allowlist";
import { clawbackOrder, freezeOrder, unfreezeOrder } from "./compliance";
import { demoIssuerAccount, type ChainContext } from "./context";
import { reconcileAll } from "./reconcile";
import { waitForTransactions } from "./signer-queue";
import { makeInvestor, makePaidOrder, startChainOffering, type HardhatNode } from "@/test/chain-support";

let node: HardhatNode;
let ctx: ChainContext;
let offering: { id: string; token: Address };

beforeAll(async () => ({ node, ctx, offering } = await startChainOffering(getDb())));
afterAll(async () => node?.stop());

const read = (functionName: "balanceOf" | "isFrozen", holder: Address) =>
  ctx.client.readContract({ address: offering.token, abi: villageTokenAbi, functionName, args: [holder] }) as Promise<bigint | boolean>;

const ledgerOf = (orderId: string, kind: "tokens_clawed_back" | "tokens_frozen" | "tokens_unfrozen") =>
  getDb()
    .select()
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.orderId, orderId), eq(ledgerEntries.kind, kind)));

async function allocatedOrder(units: number) {
  const investor = await makeInvestor(getDb());
  const order = await makePaidOrder(getDb(), { userId: investor.userId, offeringId: offering.id, units });
  await allocateWaiting(ctx);
  return { ...investor, order };
}

/** A broadcast hook that stops the job (as a crash would) at a transaction of this kind. */
const stopAt = (kind: string) => async (txId: string) => {
  const [row] = await getDb().select({ kind: chainTransactions.kind }).from(chainTransactions).where(eq(chainTransactions.id, txId));
  if (row?.kind === kind) throw new Error("stopped");
};

const statusOf = async (orderId: string) => (await getDb().select({ status: orders.status }).from(orders).where(eq(orders.id, orderId)))[0]?.status;

/** What the payment webhook does on a refund or a dispute. */
const moveTo = (orderId: string, to: "refunded" | "disputed") => transitionOrder(getDb(), orderId, to, { detail: { test: true } });

describe("refund clawback and dispute freeze", () => {
  it("claws back a refunded order's units once, with ledger and audit entries", async () => {
    const { address, order } = await allocatedOrder(3);
    expect(await read("balanceOf", address)).toBe(3n);
    await moveTo(order.id, "refunded");
    expect(await clawbackOrder(ctx, order.id)).toBe("done");
    expect(await clawbackOrder(ctx, order.id)).toBe("done");
    expect(await read("balanceOf", address)).toBe(0n);
    expect(await ledgerOf(order.id, "tokens_clawed_back")).toMatchObject([{ units: -3 }]);
    const audits = await getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, order.id), eq(auditLog.action, "tokens.clawed_back")));
    expect(audits).toHaveLength(1);
  });

  it("lets an allocation under way land first, then claws it back", async () => {
    const { userId, address } = await makeInvestor(getDb());
    const order = await makePaidOrder(getDb(), { userId, offeringId: offering.id, units: 4 });
    await expect(allocateWaiting({ ...ctx, hooks: { afterBroadcast: stopAt("allocate") } })).rejects.toThrow("stopped");
    await moveTo(order.id, "refunded");
    expect(await clawbackOrder(ctx, order.id)).toBe("done");
    expect(await read("balanceOf", address)).toBe(0n);
    const entries = await getDb().select({ kind: ledgerEntries.kind, units: ledgerEntries.units }).from(ledgerEntries).where(eq(ledgerEntries.orderId, order.id));
    expect(entries.filter((entry) => entry.kind !== "yen_received")).toEqual([
      { kind: "tokens_allocated", units: 4 },
      { kind: "tokens_clawed_back", units: -4 },
    ]);
  });

  it("has nothing to claw back for an order refunded before allocation", async () => {
    const { userId } = await makeInvestor(getDb());
    const order = await makePaidOrder(getDb(), { userId, offeringId: offering.id, units: 2 });
    await moveTo(order.id, "refunded");
    expect(await clawbackOrder(ctx, order.id)).toBe("nothing");
    expect(await allocateWaiting(ctx)).toMatchObject({ allocated: 0 });
  });

  it("freezes the holder of a disputed order once, with a zero-unit ledger entry", async () => {
    const { address, order } = await allocatedOrder(5);
    await moveTo(order.id, "disputed");
    expect(await freezeOrder(ctx, order.id)).toBe("done");
    expect(await freezeOrder(ctx, order.id)).toBe("done");
    expect(await read("isFrozen", address)).toBe(true);
    expect(await ledgerOf(order.id, "tokens_frozen")).toMatchObject([{ units: 0 }]);
    const audits = await getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, order.id), eq(auditLog.action, "tokens.frozen")));
    expect(audits).toHaveLength(1);
  });
});

describe("closed disputes", () => {
  it("won: the holder is unfrozen once, but not while another of their orders is still disputed", async () => {
    const { address, order, userId } = await allocatedOrder(2);
    const other = await makePaidOrder(getDb(), { userId, offeringId: offering.id, units: 1 });
    await allocateWaiting(ctx);
    await moveTo(order.id, "disputed");
    await moveTo(other.id, "disputed");
    expect(await freezeOrder(ctx, order.id)).toBe("done");
    await transitionOrder(getDb(), order.id, "allocated", { from: ["disputed"], detail: { test: "won" } });
    expect(await unfreezeOrder(ctx, order.id)).toBe("nothing");
    expect(await read("isFrozen", address)).toBe(true);
    await transitionOrder(getDb(), other.id, "allocated", { from: ["disputed"], detail: { test: "won" } });
    expect(await unfreezeOrder(ctx, order.id)).toBe("done");
    expect(await unfreezeOrder(ctx, order.id)).toBe("done");
    expect(await read("isFrozen", address)).toBe(false);
    expect(await ledgerOf(order.id, "tokens_unfrozen")).toHaveLength(1);
  });

  it("won: an allocation the freeze refused meanwhile goes again once the wallet is unfrozen", async () => {
    const { address, order, userId } = await allocatedOrder(2);
    await moveTo(order.id, "disputed");
    expect(await freezeOrder(ctx, order.id)).toBe("done");
    // The holder's next order is paid while the wallet is frozen: the chain refuses its allocation.
    const next = await makePaidOrder(getDb(), { userId, offeringId: offering.id, units: 3 });
    await allocateWaiting(ctx);
    const [refused] = await getDb()
      .select({ status: chainTransactions.status })
      .from(allocations)
      .innerJoin(chainTransactions, eq(chainTransactions.id, allocations.chainTransactionId))
      .where(eq(allocations.orderId, next.id));
    expect(refused?.status).toBe("failed");
    expect(await statusOf(next.id)).toBe("allocating");

    await transitionOrder(getDb(), order.id, "allocated", { from: ["disputed"], detail: { test: "won" } });
    expect(await unfreezeOrder(ctx, order.id)).toBe("done");
    expect(await statusOf(next.id)).toBe("paid");
    await allocateWaiting(ctx);
    expect(await statusOf(next.id)).toBe("allocated");
    expect(await read("balanceOf", address)).toBe(5n);
  });

  it("won while the freeze is still on its way: the freeze lands first, then is lifted", async () => {
    const { address, order } = await allocatedOrder(2);
    await moveTo(order.id, "disputed");
    // The freeze job stops with its transaction stored but not yet sent.
    await expect(freezeOrder({ ...ctx, hooks: { beforeBroadcast: stopAt("freeze") } }, order.id)).rejects.toThrow("stopped");
    await transitionOrder(getDb(), order.id, "allocated", { from: ["disputed"], detail: { test: "won" } });
    expect(await unfreezeOrder(ctx, order.id)).toBe("done");
    // Whatever the queue still holds goes out; the wallet must end unfrozen.
    const open = await getDb()
      .select({ id: chainTransactions.id })
      .from(chainTransactions)
      .where(inArray(chainTransactions.status, ["pending", "sent"]));
    await waitForTransactions(
      ctx,
      open.map((row) => row.id),
    );
    expect(await read("isFrozen", address)).toBe(false);
    // A freeze job run again after the dispute closed sends nothing.
    expect(await freezeOrder(ctx, order.id)).toBe("skipped");
  });

  it("lost: the tokens are clawed back before the freeze is lifted", async () => {
    const { address, order } = await allocatedOrder(3);
    await moveTo(order.id, "disputed");
    expect(await freezeOrder(ctx, order.id)).toBe("done");
    await moveTo(order.id, "refunded");
    await expect(unfreezeOrder(ctx, order.id)).rejects.toThrow("clawback not recorded yet");
    expect(await read("isFrozen", address)).toBe(true);
    expect(await clawbackOrder(ctx, order.id)).toBe("done");
    expect(await unfreezeOrder(ctx, order.id)).toBe("done");
    expect(await read("balanceOf", address)).toBe(0n);
    expect(await read("isFrozen", address)).toBe(false);
  });
});

describe("reconciliation", () => {
  it("finds chain and database in agreement", async () => {
    const result = await reconcileAll(ctx);
    expect(result).toMatchObject({ reconcile: "ok", mismatches: [] });
    expect(result.supply_chain).toBe(result.supply_db);
    expect(result.holders_checked).toBeGreaterThan(0);
    const [row] = await getDb().select().from(reconciliations).where(eq(reconciliations.offeringId, offering.id));
    expect(row).toMatchObject({ status: "ok" });
  });

  it("takes a clawback mined but not yet booked as on its way, not as a difference", async () => {
    const { address, order } = await allocatedOrder(2);
    await moveTo(order.id, "refunded");
    // The worker dies right after broadcasting the clawback: mined, not in the ledger yet.
    await expect(clawbackOrder({ ...ctx, hooks: { afterBroadcast: stopAt("clawback") } }, order.id)).rejects.toThrow("stopped");
    await expect.poll(() => read("balanceOf", address)).toBe(0n);
    expect(await ledgerOf(order.id, "tokens_clawed_back")).toEqual([]);
    expect(await reconcileAll(ctx)).toMatchObject({ reconcile: "ok", mismatches: [] });

    expect(await clawbackOrder(ctx, order.id)).toBe("done");
    expect(await ledgerOf(order.id, "tokens_clawed_back")).toMatchObject([{ units: -2 }]);
    const settled = await reconcileAll(ctx);
    expect(settled).toMatchObject({ reconcile: "ok", mismatches: [] });
    expect(settled.supply_chain).toBe(settled.supply_db);
  });

  it("reports a mint the database does not know, in one JSON line and a non-zero exit", async () => {
    const { userId, address } = await makeInvestor(getDb());
    await allowlistWallets(ctx, [userId]);
    const issuer = createWalletClient({ account: demoIssuerAccount(), transport: http(node.rpcUrl, { retryCount: 0 }) });
    const hash = await issuer.writeContract({ chain: null, address: offering.token, abi: villageTokenAbi, functionName: "allocate", args: [987_654n, address, 9n] });
    await ctx.client.waitForTransactionReceipt({ hash });

    const child = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/reconcile.ts"], {
      env: { ...process.env, CHAIN_RPC_URL: node.rpcUrl },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(child.status, child.stderr).toBe(1);
    const lines = child.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0]!);
    expect(result).toMatchObject({ reconcile: "mismatch", mismatches: [{ address, chain: 9, db: 0 }] });
    expect(result.supply_chain - result.supply_db).toBe(9);
  });
});

import { and, eq, sql } from "drizzle-orm";
import type { Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";
import { getDb } from "@/db/client";
import { chainTransactions, ledgerEntries, offerings, orders } from "@/db/schema";
import type { ChainContext } from "@/lib/chain/context";
import { makeInvestor, makeOfferingWithToken, startHardhatNode, testChainContext, type HardhatNode } from "@/test/chain-support";
import { configurePayments, jobsFor, orderById, startPaymentsHarness } from "./harness";

// Cooling-off after the tokens were issued (issue 15): the refund's event takes the units off the
// sale and queues the clawback, which burns once however often it runs, after an allocation still
// on its way has landed; the ledger, the register and the chain agree afterwards.

const port = await configurePayments();
const { cancelWithinCoolingOff, finishCoolingOffCancel } = await import("@/lib/orders/cooling-off");
const { recordCheckout } = await import("@/lib/orders/transitions");
const { paymentProvider } = await import("@/lib/payments/stripe");
const { allocateWaiting } = await import("@/lib/chain/allocate");
const { clawbackOrder } = await import("@/lib/chain/compliance");
const { reconcileOffering } = await import("@/lib/chain/reconcile");
const { holderBalances } = await import("@/lib/register/ledger");

let harness: Awaited<ReturnType<typeof startPaymentsHarness>>;
let node: HardhatNode;
let ctx: ChainContext;
let chainOffering: { id: string; slug: string; token: Address };

beforeAll(async () => {
  harness = await startPaymentsHarness(port);
  node = await startHardhatNode();
  ctx = testChainContext(getDb(), node.rpcUrl);
  chainOffering = await makeOfferingWithToken(ctx);
});
afterAll(async () => {
  await harness?.stop();
  await node?.stop();
});

const FAR = new Date(Date.now() + 8 * 86_400_000);
const soldUnits = async (offeringId: string) => (await getDb().select({ sold: offerings.soldUnits }).from(offerings).where(eq(offerings.id, offeringId)))[0]!;
const ledgerOf = (orderId: string) =>
  getDb().select({ kind: ledgerEntries.kind, yen: ledgerEntries.yen, units: ledgerEntries.units }).from(ledgerEntries).where(eq(ledgerEntries.orderId, orderId)).orderBy(ledgerEntries.id);

describe("after allocation on chain", () => {
  const balanceOf = (holder: Address) => ctx.client.readContract({ address: chainOffering.token, abi: villageTokenAbi, functionName: "balanceOf", args: [holder] });

  /** A card order of the chain's offering, paid through Checkout on the emulator (the real webhook path). */
  async function paidOnChain(units: number) {
    const investor = await makeInvestor(getDb());
    const order = await getDb().transaction(async (tx) => {
      await tx
        .update(offerings)
        .set({ reservedUnits: sql`${offerings.reservedUnits} + ${units}` })
        .where(eq(offerings.id, chainOffering.id));
      const [row] = await tx
        .insert(orders)
        .values({ userId: investor.userId, offeringId: chainOffering.id, units, amountYen: units * 1_000, reservationExpiresAt: new Date(Date.now() + 31 * 60_000), coolingOffEndsAt: FAR })
        .returning();
      return row!;
    });
    const checkout = await paymentProvider().createCheckout({
      orderId: order.id,
      offeringId: chainOffering.id,
      productName: "Forest Token",
      units,
      unitPriceYen: 1_000,
      customerEmail: "holder@example.jp",
      successUrl: "http://127.0.0.1/ok",
      cancelUrl: "http://127.0.0.1/cancel",
      expiresAt: order.reservationExpiresAt,
      locale: "ja",
    });
    expect(await recordCheckout(order.id, checkout.sessionId, checkout.url)).toBe(true);
    harness.emulator.completeSession(checkout.sessionId, { outcome: "paid" });
    await harness.emulator.settled();
    expect((await orderById(order.id)).status).toBe("paid");
    return { ...investor, orderId: order.id };
  }

  it("refund, then the clawback burns once though its job runs twice; units, ledger, register and chain agree", async () => {
    const { userId, address, orderId } = await paidOnChain(3);
    await allocateWaiting(ctx);
    expect((await orderById(orderId)).status).toBe("allocated");
    expect(await balanceOf(address)).toBe(3n);
    const before = await soldUnits(chainOffering.id);

    expect(await cancelWithinCoolingOff(userId, orderId)).toEqual({ ok: true, outcome: "refunding" });
    expect(await finishCoolingOffCancel(orderId)).toBe("refundRequested");
    await harness.emulator.settled();
    expect((await orderById(orderId)).status).toBe("refunded");
    expect((await soldUnits(chainOffering.id)).sold).toBe(before.sold - 3);
    expect(await jobsFor("orders.clawback", orderId)).toBe(1);

    // The clawback job delivered twice, at the same time, then once more.
    expect(await Promise.all([clawbackOrder(ctx, orderId), clawbackOrder(ctx, orderId)])).toEqual(["done", "done"]);
    expect(await clawbackOrder(ctx, orderId)).toBe("done");
    expect(await balanceOf(address)).toBe(0n);
    const burns = await getDb()
      .select()
      .from(chainTransactions)
      .where(and(eq(chainTransactions.kind, "clawback"), sql`${chainTransactions.payload}->'ref'->>'orderId' = ${orderId}`));
    expect(burns).toHaveLength(1);
    expect((await ledgerOf(orderId)).map((entry) => [entry.kind, entry.yen, entry.units])).toEqual([
      ["yen_received", 3000, 0],
      ["tokens_allocated", 0, 3],
      ["yen_refunded", -3000, 0],
      ["tokens_clawed_back", 0, -3],
    ]);
    expect((await holderBalances(getDb(), { offeringId: chainOffering.id })).filter((holding) => holding.userId === userId)).toEqual([]);
    expect(await reconcileOffering(ctx, chainOffering)).toMatchObject({ status: "ok", mismatches: [] });
  });

  it("cancelled while its allocation is on its way: the clawback waits for the allocation to land, then burns it", async () => {
    const { userId, address, orderId } = await paidOnChain(4);
    const kill = async (txId: string) => {
      const [row] = await getDb().select({ kind: chainTransactions.kind }).from(chainTransactions).where(eq(chainTransactions.id, txId));
      if (row?.kind === "allocate") throw new Error("killed");
    };
    await expect(allocateWaiting({ ...ctx, hooks: { afterBroadcast: kill } })).rejects.toThrow("killed");
    expect((await orderById(orderId)).status).toBe("allocating");

    expect(await cancelWithinCoolingOff(userId, orderId)).toEqual({ ok: true, outcome: "refunding" });
    expect(await finishCoolingOffCancel(orderId)).toBe("refundRequested");
    await harness.emulator.settled();
    expect((await orderById(orderId)).status).toBe("refunded");

    expect(await clawbackOrder(ctx, orderId)).toBe("done");
    expect(await clawbackOrder(ctx, orderId)).toBe("done");
    expect(await balanceOf(address)).toBe(0n);
    expect((await ledgerOf(orderId)).filter((entry) => entry.units !== 0).map((entry) => [entry.kind, entry.units])).toEqual([
      ["tokens_allocated", 4],
      ["tokens_clawed_back", -4],
    ]);
    expect(await reconcileOffering(ctx, chainOffering)).toMatchObject({ status: "ok", mismatches: [] });
  });
});

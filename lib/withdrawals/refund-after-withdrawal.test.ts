import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { getAddress } from "viem";
import { afterAll, beforeAll, expect, it } from "vitest";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";
import { getDb } from "@/db/client";
import { ledgerEntries, orders } from "@/db/schema";
import { clawbackOrder } from "@/lib/chain/compliance";
import type { ChainContext } from "@/lib/chain/context";
import { reconcileOffering } from "@/lib/chain/reconcile";
import { transitionOrder } from "@/lib/orders/transitions";
import { startHardhatNode, testChainContext, type HardhatNode } from "@/test/chain-support";
import { setTestSettings } from "@/test/settings";
import { linkWallet, withdrawalWorld } from "@/test/withdrawal-world";
import { requestWithdrawal } from "./request";
import { sendWithdrawal } from "./send";

let node: HardhatNode;
let ctx: ChainContext;

beforeAll(async () => {
  node = await startHardhatNode();
  setTestSettings({ CHAIN_RPC_URL: node.rpcUrl });
  ctx = testChainContext(getDb(), node.rpcUrl);
});
afterAll(async () => node?.stop());

it("claws a refunded order's units back from the holder's own wallet when they were withdrawn there", async () => {
  const world = await withdrawalWorld(ctx, [5]);
  const holder = world.holders[0]!;
  const linked = await linkWallet(ctx, holder.id, world.offering.id);
  const outcome = await requestWithdrawal({ user: holder, offeringId: world.offering.id, linkedWalletId: linked.linkedWalletId, units: 5, requestKey: randomUUID() });
  if (outcome.status !== "requested") throw new Error(JSON.stringify(outcome));
  expect(await sendWithdrawal(ctx, outcome.withdrawal.id)).toBe("confirmed");

  // The card payment is refunded (or a dispute lost) after the withdrawal.
  const [order] = await getDb().select().from(orders).where(eq(orders.userId, holder.id));
  await getDb().transaction((tx) => transitionOrder(tx, order!.id, "refunded", { from: ["allocated"] }));
  expect(await clawbackOrder(ctx, order!.id)).toBe("done");

  const balanceOf = (address: string) => ctx.client.readContract({ address: world.offering.token, abi: villageTokenAbi, functionName: "balanceOf", args: [getAddress(address)] });
  expect(await balanceOf(linked.address)).toBe(0n);
  expect(await balanceOf(holder.address)).toBe(0n);
  const [clawed] = await getDb()
    .select()
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.orderId, order!.id), eq(ledgerEntries.kind, "tokens_clawed_back")));
  expect(clawed).toMatchObject({ units: -5, detail: expect.objectContaining({ from: linked.address }) });
  expect(await reconcileOffering(ctx, world.offering)).toMatchObject({ status: "ok", supplyChain: 0, supplyDb: 0 });
});

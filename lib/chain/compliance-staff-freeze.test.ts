import { and, eq, sql } from "drizzle-orm";
import type { Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";
import { getDb } from "@/db/client";
import { auditLog, chainTransactions, issuerStaff, ledgerEntries, offerings, type Offering } from "@/db/schema";
import { transitionOrder } from "@/lib/orders/transitions";
import { makeUser } from "@/test/fixtures";
import { makeInvestor, makeOfferingWithToken, makePaidOrder, startHardhatNode, testChainContext, type HardhatNode } from "@/test/chain-support";
import { setTestSettings } from "@/test/settings";
import { allocateWaiting } from "./allocate";
import { freezeOrder, sweepCompliance, unfreezeOrder } from "./compliance";
import type { ChainContext } from "./context";
import { followOperation, queueWalletFreeze } from "./operations";
import { operatorOf, type Operator } from "./operator";

let node: HardhatNode;
let ctx: ChainContext;
let op: Operator;
let offering: Offering;
let token: Address;
let staff: Awaited<ReturnType<typeof makeUser>>;

beforeAll(async () => {
  node = await startHardhatNode();
  setTestSettings({ CHAIN_RPC_URL: node.rpcUrl });
  ctx = testChainContext(getDb(), node.rpcUrl);
  op = operatorOf(ctx);
  const made = await makeOfferingWithToken(ctx);
  token = made.token;
  [offering] = (await getDb().select().from(offerings).where(eq(offerings.id, made.id))) as [Offering];
  staff = await makeUser("staff");
  await getDb().insert(issuerStaff).values({ issuerId: offering.villageId, userId: staff.id });
});
afterAll(async () => node?.stop());

const isFrozen = (holder: Address) => ctx.client.readContract({ address: token, abi: villageTokenAbi, functionName: "isFrozen", args: [holder] });

async function allocated(units: number) {
  const investor = await makeInvestor(getDb());
  const order = await makePaidOrder(getDb(), { userId: investor.userId, offeringId: offering.id, units });
  await allocateWaiting(ctx);
  return { ...investor, order };
}

async function staffFreeze(address: Address, frozen: boolean) {
  const queued = await queueWalletFreeze(op, { offering, staffId: staff.id, holder: address, frozen, reason: "suspected account takeover" });
  if (!queued.ok) throw new Error(queued.error);
  await followOperation(ctx, queued.chainTransactionId);
}

const disputeWon = (orderId: string) => transitionOrder(getDb(), orderId, "allocated", { from: ["disputed"], detail: { test: "won" } });

const unfreezesOf = (orderId: string) =>
  getDb()
    .select()
    .from(chainTransactions)
    .where(and(eq(chainTransactions.kind, "unfreeze"), sql`${chainTransactions.payload}->'ref'->>'orderId' = ${orderId}`));

const keptAudits = (orderId: string) =>
  getDb()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.targetId, orderId), eq(auditLog.action, "tokens.freeze_kept")));

describe("a closed dispute and a staff freeze", () => {
  it("leaves a wallet staff froze frozen, records it once, and the sweep does not retry it", async () => {
    const { address, order } = await allocated(3);
    await staffFreeze(address, true);
    await transitionOrder(getDb(), order.id, "disputed", { detail: { test: true } });
    expect(await freezeOrder(ctx, order.id)).toBe("done");
    await disputeWon(order.id);

    expect(await unfreezeOrder(ctx, order.id)).toBe("done");
    expect(await unfreezeOrder(ctx, order.id)).toBe("done");
    await sweepCompliance(ctx);
    expect(await isFrozen(address)).toBe(true);
    expect(await unfreezesOf(order.id)).toHaveLength(0);
    expect(
      await getDb()
        .select()
        .from(ledgerEntries)
        .where(and(eq(ledgerEntries.orderId, order.id), eq(ledgerEntries.kind, "tokens_unfrozen"))),
    ).toHaveLength(0);
    expect(await keptAudits(order.id)).toMatchObject([{ detail: { address, frozenBy: staff.id } }]);

    // Staff may lift their own freeze now that no dispute is open.
    await staffFreeze(address, false);
    expect(await isFrozen(address)).toBe(false);
  });

  it("a dispute alone: the freeze is lifted when it closes, as before", async () => {
    const { address, order } = await allocated(2);
    await transitionOrder(getDb(), order.id, "disputed", { detail: { test: true } });
    expect(await freezeOrder(ctx, order.id)).toBe("done");
    expect(await isFrozen(address)).toBe(true);
    await disputeWon(order.id);
    expect(await unfreezeOrder(ctx, order.id)).toBe("done");
    expect(await isFrozen(address)).toBe(false);
    expect(await keptAudits(order.id)).toHaveLength(0);
  });

  it("a staff freeze staff lifted again does not keep the dispute's freeze", async () => {
    const { address, order } = await allocated(1);
    await staffFreeze(address, true);
    await staffFreeze(address, false);
    await transitionOrder(getDb(), order.id, "disputed", { detail: { test: true } });
    expect(await freezeOrder(ctx, order.id)).toBe("done");
    await disputeWon(order.id);
    expect(await unfreezeOrder(ctx, order.id)).toBe("done");
    expect(await isFrozen(address)).toBe(false);
    expect(await unfreezesOf(order.id)).toHaveLength(1);
  });
});

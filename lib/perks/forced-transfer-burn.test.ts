import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { issuerStaff, offerings, type Offering } from "@/db/schema";
import type { ChainContext } from "@/lib/chain/context";
import { requestForcedTransfer } from "@/lib/chain/forced-transfer";
import { operatorOf } from "@/lib/chain/operator";
import { makeUser } from "@/test/fixtures";
import { startHardhatNode, testChainContext, type HardhatNode } from "@/test/chain-support";
import { makeClaim, perkWorld } from "@/test/perk-chain-world";
import { setTestSettings } from "@/test/settings";
import { runPerkBurns } from "./burn";

let node: HardhatNode;
let ctx: ChainContext;

beforeAll(async () => {
  node = await startHardhatNode();
  setTestSettings({ CHAIN_RPC_URL: node.rpcUrl });
  ctx = testChainContext(getDb(), node.rpcUrl);
});
afterAll(async () => node?.stop());

describe("a wallet's recovery and a perk burn on its way", () => {
  it("refuses to move a holder's whole balance while units they gave up for a perk wait to be burned, and allows it once burned", async () => {
    const world = await perkWorld(ctx, [10], 3);
    const holder = world.holders[0]!;
    const [offering] = (await getDb().select().from(offerings).where(eq(offerings.id, world.offering.id))) as [Offering];
    const staff = await makeUser("staff");
    await getDb().insert(issuerStaff).values({ issuerId: offering.villageId, userId: staff.id });
    const claimId = await makeClaim(world, holder, 3);
    const ask = () => requestForcedTransfer(operatorOf(ctx), { offering, staffId: staff.id, holder: holder.address, reason: "holder lost the wallet" });

    expect(await ask()).toEqual({ ok: false, error: "perkBurnUnderway" });
    await runPerkBurns(ctx, [claimId]);
    const asked = await ask();
    expect(asked.ok).toBe(true);
  });
});

import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";
import { getDb } from "@/db/client";
import { bondTerms, couponRuns, ledgerEntries, offerings } from "@/db/schema";
import { addMonths } from "@/lib/bonds/calendar";
import { burnRedemptionRun } from "@/lib/bonds/jobs";
import { queueRedemptionBurns } from "@/lib/bonds/redemption";
import { bondSchedule } from "@/lib/bonds/schedule";
import { recordCutoff, takeRecordSnapshot } from "@/lib/bonds/snapshot";
import { allocateWaiting } from "@/lib/chain/allocate";
import type { ChainContext } from "@/lib/chain/context";
import { forcedTransferIntent } from "@/lib/chain/intents";
import { submitTransaction, waitForTransactions } from "@/lib/chain/signer-queue";
import { tokyoDate } from "@/lib/projects/dates";
import { makeInvestor, makeOfferingWithToken, makePaidOrder, startHardhatNode, testChainContext, type HardhatNode } from "@/test/chain-support";
import { makeUser } from "@/test/fixtures";
import { setTestSettings } from "@/test/settings";

// A failed redemption batch on a real chain (found in the attack review of bond servicing).
const db = () => getDb();

describe("redemption job", () => {
  // A real chain, started for this block only, so that a batch is truly refused.
  let node: HardhatNode;
  let ctx: ChainContext;

  beforeAll(async () => {
    node = await startHardhatNode();
    setTestSettings({ CHAIN_RPC_URL: node.rpcUrl });
    ctx = testChainContext(db(), node.rpcUrl);
  });
  afterAll(async () => node?.stop());

  it("one holder whose burn cannot go through holds up nobody else: the refused batch's burns go again one by one at once", async () => {
    const made = await makeOfferingWithToken(ctx);
    await db().update(offerings).set({ kind: "municipal_bond", approvedRevision: 1 }).where(eq(offerings.id, made.id));
    const maturity = addMonths(tokyoDate(new Date()), 2);
    await db()
      .insert(bondTerms)
      .values({ offeringId: made.id, issuePriceYen: 1_000, faceValueYen: 1_000, couponRateBp: 45, interestFrom: tokyoDate(new Date()), firstCouponDate: maturity, maturityDate: maturity });
    const holders = [];
    for (const units of [2, 6]) {
      const investor = await makeInvestor(db());
      await makePaidOrder(db(), { userId: investor.userId, offeringId: made.id, units });
      holders.push(investor);
    }
    await allocateWaiting(ctx);
    const [moved, kept] = holders as [(typeof holders)[number], (typeof holders)[number]];

    const [terms] = await db().select().from(bondTerms).where(eq(bondTerms.offeringId, made.id));
    const [last] = bondSchedule(terms!).slice(-1);
    const snapshot = await takeRecordSnapshot({ offeringId: made.id, paymentDate: last!.paymentDate, now: new Date(recordCutoff(last!.recordDate).getTime() + 60_000) }, ctx);
    expect(snapshot.status).toBe("frozen");
    const [preparer, approver] = [await makeUser("staff"), await makeUser("staff")];
    const [finalRun] = await db()
      .insert(couponRuns)
      .values({
        offeringId: made.id,
        snapshotId: snapshot.snapshotId!,
        paymentNumber: last!.number,
        paymentDate: last!.paymentDate,
        kind: "final",
        status: "approved",
        preparedBy: preparer.id,
        approvedBy: approver.id,
      })
      .returning();
    await db().transaction((tx) => queueRedemptionBurns(tx, finalRun!.id, approver.id));

    // After the record date one holder's units move on chain, and the ledger has not caught up: the batch is refused.
    const elsewhere = await makeInvestor(db());
    await makePaidOrder(db(), { userId: elsewhere.userId, offeringId: made.id, units: 1 });
    await allocateWaiting(ctx);
    const [transfer] = await waitForTransactions(ctx, [
      (await submitTransaction(db(), ctx, forcedTransferIntent(made.token, { from: moved.address, to: elsewhere.address, units: 2, requestId: "t", offeringId: made.id }))).id,
    ]);
    expect(transfer!.status).toBe("confirmed");

    expect(await burnRedemptionRun(finalRun!.id, ctx)).toEqual({ burned: 1, failed: 1 });
    expect(await ctx.client.readContract({ address: made.token, abi: villageTokenAbi, functionName: "balanceOf", args: [kept.address] })).toBe(0n);
    const booked = await db()
      .select()
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.offeringId, made.id), eq(ledgerEntries.kind, "tokens_redeemed")));
    expect(booked.map((entry) => entry.userId)).toEqual([kept.userId]);
  }, 60_000);
});

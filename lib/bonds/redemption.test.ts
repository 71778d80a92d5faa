import { and, eq, sql } from "drizzle-orm";
import { getAddress, type Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";
import { getDb } from "@/db/client";
import { auditLog, bondTerms, chainTransactions, couponRuns, forcedTransferRequests, ledgerEntries, offerings, redemptionBurns } from "@/db/schema";
import { allocateWaiting } from "@/lib/chain/allocate";
import { listChainIssues } from "@/lib/chain/chain-issues";
import type { ChainContext } from "@/lib/chain/context";
import { forcedTransferIntent, pauseIntent } from "@/lib/chain/intents";
import { getTransparency } from "@/lib/chain/queries";
import { reconcileOffering } from "@/lib/chain/reconcile";
import { submitTransaction, waitForTransactions } from "@/lib/chain/signer-queue";
import { translator } from "@/lib/i18n/catalog";
import { tokyoDate } from "@/lib/projects/dates";
import { getRegister, registerCsv } from "@/lib/register/register";
import { makeUser } from "@/test/fixtures";
import { makeInvestor, makeOfferingWithToken, makePaidOrder, startHardhatNode, testChainContext, type HardhatNode } from "@/test/chain-support";
import { setTestSettings } from "@/test/settings";
import { addMonths } from "./calendar";
import { queueRedemptionBurns, runRedemptionBurns, sweepRedemptionBurns } from "./redemption";
import { bondSchedule } from "./schedule";
import { recordCutoff, takeRecordSnapshot } from "./snapshot";

let node: HardhatNode;
let ctx: ChainContext;

beforeAll(async () => {
  node = await startHardhatNode();
  setTestSettings({ CHAIN_RPC_URL: node.rpcUrl });
  ctx = testChainContext(getDb(), node.rpcUrl);
});
afterAll(async () => node?.stop());

type Bond = { id: string; slug: string; token: Address; holders: { userId: string; address: Address; units: number }[] };

/** A one-coupon bond (its only payment is the final one) with holders of `units` each. */
async function bondWithHolders(units: number[]): Promise<Bond> {
  const made = await makeOfferingWithToken(ctx);
  await getDb().update(offerings).set({ kind: "municipal_bond", approvedRevision: 1 }).where(eq(offerings.id, made.id));
  const today = tokyoDate(new Date());
  const maturity = addMonths(today, 2);
  await getDb()
    .insert(bondTerms)
    .values({ offeringId: made.id, issuePriceYen: 1_000, faceValueYen: 1_000, couponRateBp: 45, couponsPerYear: 2, interestFrom: today, firstCouponDate: maturity, maturityDate: maturity });
  const holders = [];
  for (const n of units) {
    const investor = await makeInvestor(getDb());
    await makePaidOrder(getDb(), { userId: investor.userId, offeringId: made.id, units: n });
    holders.push({ ...investor, units: n });
  }
  await allocateWaiting(ctx);
  return { ...made, holders };
}

/** The final run of the bond, approved by a second staff member, from its frozen snapshot. */
async function approvedFinalRun(bond: Bond): Promise<string> {
  const [terms] = await getDb().select().from(bondTerms).where(eq(bondTerms.offeringId, bond.id));
  const [last] = bondSchedule(terms!).slice(-1);
  const snapshot = await takeRecordSnapshot({ offeringId: bond.id, paymentDate: last!.paymentDate, now: new Date(recordCutoff(last!.recordDate).getTime() + 60_000) }, ctx);
  expect(snapshot.status).toBe("frozen");
  const [preparer, approver] = [await makeUser("staff"), await makeUser("staff")];
  const [run] = await getDb()
    .insert(couponRuns)
    .values({
      offeringId: bond.id,
      snapshotId: snapshot.snapshotId!,
      paymentNumber: last!.number,
      paymentDate: last!.paymentDate,
      kind: "final",
      status: "approved",
      preparedBy: preparer.id,
      approvedBy: approver.id,
    })
    .returning();
  const queued = await getDb().transaction((tx) => queueRedemptionBurns(tx, run!.id, approver.id));
  expect(queued).toBe(bond.holders.length);
  return run!.id;
}

const balanceOf = (token: Address, holder: Address) => ctx.client.readContract({ address: token, abi: villageTokenAbi, functionName: "balanceOf", args: [holder] });
const supplyOf = (token: Address) => ctx.client.readContract({ address: token, abi: villageTokenAbi, functionName: "totalSupply" });
const redeemedOf = (bond: Bond) =>
  getDb()
    .select()
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.offeringId, bond.id), eq(ledgerEntries.kind, "tokens_redeemed")));

describe("redemption burns", () => {
  let bond: Bond;
  let runId: string;

  it("queues one burn per holder of the final snapshot, once", async () => {
    bond = await bondWithHolders([3, 5, 8]);
    // Redemption works while the token is paused (as enforcement does).
    const [paused] = await waitForTransactions(ctx, [(await submitTransaction(getDb(), ctx, pauseIntent(bond.token, true, { offeringId: bond.id }))).id]);
    expect(paused!.status).toBe("confirmed");
    runId = await approvedFinalRun(bond);
    expect(await getDb().transaction((tx) => queueRedemptionBurns(tx, runId, bond.holders[0]!.userId))).toBe(0);
    const burns = await getDb().select().from(redemptionBurns).where(eq(redemptionBurns.runId, runId));
    expect(burns.map(({ address, userId, units }) => ({ address, userId, units })).sort((a, b) => a.units - b.units)).toEqual(
      bond.holders.map(({ address, userId, units }) => ({ address, userId, units })),
    );
    const [jobs] = await getDb().execute<{ n: number }>(sql`select count(*)::int as n from pgboss.job where name = 'bonds.redeem-burn' and data->>'runId' = ${runId}`);
    expect(jobs!.n).toBe(1);
    expect(
      await getDb()
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, "redemption.burn_queued"), eq(auditLog.targetId, runId))),
    ).toHaveLength(1);
  });

  it("burns and books each holder once, even when the job runs twice at the same time and again after", async () => {
    const other = testChainContext(getDb(), node.rpcUrl);
    const results = await Promise.all([runRedemptionBurns(runId, ctx), runRedemptionBurns(runId, other)]);
    expect(results).toEqual([
      { burned: 3, failed: 0 },
      { burned: 3, failed: 0 },
    ]);
    expect(await runRedemptionBurns(runId, ctx)).toEqual({ burned: 3, failed: 0 });
    await sweepRedemptionBurns(ctx);

    const sent = await getDb().select().from(chainTransactions).where(eq(chainTransactions.kind, "redeem"));
    expect(sent.map((row) => [row.status, row.payload?.functionName])).toEqual([["confirmed", "redeemBatch"]]);
    const events = await ctx.client.getContractEvents({ address: bond.token, abi: villageTokenAbi, eventName: "Redeemed", fromBlock: 0n, strict: true });
    expect(events).toHaveLength(3);
    for (const holder of bond.holders) expect(await balanceOf(bond.token, holder.address)).toBe(0n);
    expect(await supplyOf(bond.token)).toBe(0n);

    const booked = await redeemedOf(bond);
    expect(booked.map((entry) => [entry.userId, entry.units, getAddress(String(entry.detail?.from))]).sort((a, b) => Number(b[1]) - Number(a[1]))).toEqual(
      bond.holders.map((holder) => [holder.userId, -holder.units, holder.address]),
    );
    expect(booked.every((entry) => entry.detail?.txHash === sent[0]!.txHash && entry.detail?.runId === runId)).toBe(true);
    const burns = await getDb().select().from(redemptionBurns).where(eq(redemptionBurns.runId, runId));
    expect(burns.every((burn) => burn.burnedAt && burn.chainTransactionId === sent[0]!.id)).toBe(true);
    expect(
      await getDb()
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, "redemption.burned"), eq(auditLog.targetId, runId))),
    ).toHaveLength(1);
  });

  it("still reconciles, shows every holder at zero in the register, and the bond as redeemed", async () => {
    const reconciled = await reconcileOffering(ctx, { id: bond.id, slug: bond.slug, token: bond.token });
    expect(reconciled).toMatchObject({ status: "ok", supplyChain: 0, supplyDb: 0, mismatches: [] });

    const register = await getRegister(bond.id, new Date());
    expect(register.totalUnits).toBe(0);
    expect(register.holders.map((holder) => holder.units)).toEqual([0, 0, 0]);
    for (const holder of register.holders) expect(holder.acquisitions.map((entry) => entry.kind)).toEqual(["tokens_allocated", "tokens_redeemed"]);
    const csv = registerCsv(register, "ja", translator("ja"));
    expect(csv).toMatch(/ -3 \(償還\)/);

    const [line] = (await getTransparency({ client: ctx.client, chainId: ctx.chainId })).filter((row) => row.slug === bond.slug);
    expect(line).toMatchObject({ totalSupply: 0, holders: 0 });
    const [run] = await getDb().select().from(couponRuns).where(eq(couponRuns.id, runId));
    expect(line!.redeemedOn?.toISOString()).toBe(new Date(`${run!.paymentDate}T00:00:00+09:00`).toISOString());
  });

  it("leaves a burn that fails to staff in the sweep, sends it again on its own, and books it once it goes through", async () => {
    const stuck = await bondWithHolders([2, 6]);
    const [moved, kept] = stuck.holders as [Bond["holders"][number], Bond["holders"][number]];
    const failedRun = await approvedFinalRun(stuck);
    // After the record date the units of one holder move on chain to another wallet, and the ledger has not caught up.
    const elsewhere = await makeInvestor(getDb());
    await makePaidOrder(getDb(), { userId: elsewhere.userId, offeringId: stuck.id, units: 1 });
    await allocateWaiting(ctx);
    const [transfer] = await waitForTransactions(ctx, [
      (await submitTransaction(getDb(), ctx, forcedTransferIntent(stuck.token, { from: moved.address, to: elsewhere.address, units: 2, requestId: "t", offeringId: stuck.id }))).id,
    ]);
    expect(transfer!.status).toBe("confirmed");

    // The batch is refused as a whole; the sweep leaves it to staff.
    expect(await runRedemptionBurns(failedRun, ctx)).toEqual({ burned: 0, failed: 2 });
    await sweepRedemptionBurns(ctx);
    expect(await getDb().select().from(chainTransactions).where(sql`${chainTransactions.payload}->'ref'->>'runId' = ${failedRun}`)).toHaveLength(1);

    // Sent again, each on its own: the other holder is burned, the moved one fails alone.
    expect(await runRedemptionBurns(failedRun, ctx)).toEqual({ burned: 1, failed: 1 });
    expect(await balanceOf(stuck.token, kept.address)).toBe(0n);
    // The refused batch is dealt with (its burns went again), so it no longer waits for staff.
    const [batch] = await getDb()
      .select()
      .from(chainTransactions)
      .where(and(sql`${chainTransactions.payload}->'ref'->>'runId' = ${failedRun}`, sql`${chainTransactions.payload}->>'functionName' = 'redeemBatch'`));
    expect(batch).toMatchObject({ status: "failed", payload: { resolution: { action: "retried", by: "system" } } });
    const issues = await listChainIssues({ db: getDb(), chainId: ctx.chainId }, (await getDb().select().from(offerings).where(eq(offerings.id, stuck.id)))[0]!);
    expect(issues.map((issue) => [issue.kind, issue.functionName, issue.state])).toEqual([["redeem", "redeem", "failed"]]);
    expect((await redeemedOf(stuck)).map((entry) => entry.userId)).toEqual([kept.userId]);

    // Once the move is on record, the burn follows the units to where they are.
    const staff = [await makeUser("staff"), await makeUser("staff")];
    await getDb().insert(forcedTransferRequests).values({
      offeringId: stuck.id,
      holderId: moved.userId,
      fromAddress: moved.address,
      toAddress: elsewhere.address,
      units: 2,
      reason: "test",
      status: "done",
      requestedBy: staff[0]!.id,
      decidedBy: staff[1]!.id,
      decidedAt: new Date(),
    });
    expect(await runRedemptionBurns(failedRun, ctx)).toEqual({ burned: 2, failed: 0 });
    expect(await balanceOf(stuck.token, elsewhere.address)).toBe(1n);
    const booked = await redeemedOf(stuck);
    expect(booked.map((entry) => [entry.userId, entry.units, entry.detail?.from]).sort()).toEqual(
      [
        [kept.userId, -6, kept.address],
        [moved.userId, -2, elsewhere.address],
      ].sort(),
    );
    expect(await runRedemptionBurns(failedRun, ctx)).toEqual({ burned: 2, failed: 0 });
    expect(await redeemedOf(stuck)).toHaveLength(2);
  });
});

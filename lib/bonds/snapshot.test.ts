import { and, eq } from "drizzle-orm";
import { createTestClient, http, type Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, bondTerms, ledgerEntries, offerings, recordSnapshots, snapshotHoldings } from "@/db/schema";
import { allocateWaiting } from "@/lib/chain/allocate";
import type { ChainContext } from "@/lib/chain/context";
import { forcedTransferIntent } from "@/lib/chain/intents";
import { submitTransaction, waitForTransactions } from "@/lib/chain/signer-queue";
import { tokyoDate } from "@/lib/projects/dates";
import { makeInvestor, makeOfferingWithToken, makePaidOrder, startHardhatNode, testChainContext, type HardhatNode } from "@/test/chain-support";
import { setTestSettings } from "@/test/settings";
import { addMonths } from "./calendar";
import { sweepRecordSnapshots } from "./jobs";
import { bondSchedule, type BondPayment } from "./schedule";
import { frozenSnapshot, latestSnapshot, recordCutoff, takeRecordSnapshot } from "./snapshot";

let node: HardhatNode;
let ctx: ChainContext;
let offering: { id: string; token: Address };
let payments: BondPayment[];
const HOUR = 3_600_000;

/** A bond on the token: two semiannual payments, the first about a month after today in Tokyo. */
async function makeBond(): Promise<{ id: string; token: Address }> {
  const made = await makeOfferingWithToken(ctx);
  await getDb().update(offerings).set({ kind: "municipal_bond", approvedRevision: 1 }).where(eq(offerings.id, made.id));
  const today = tokyoDate(new Date());
  const firstCouponDate = addMonths(today, 1);
  await getDb()
    .insert(bondTerms)
    .values({ offeringId: made.id, issuePriceYen: 1_000, faceValueYen: 1_000, couponRateBp: 45, interestFrom: today, firstCouponDate, maturityDate: addMonths(firstCouponDate, 6) });
  return made;
}

const hardhat = () => createTestClient({ mode: "hardhat", transport: http(node.rpcUrl) });

beforeAll(async () => {
  node = await startHardhatNode();
  setTestSettings({ CHAIN_RPC_URL: node.rpcUrl });
  ctx = testChainContext(getDb(), node.rpcUrl);
  offering = await makeBond();
  const [terms] = await getDb().select().from(bondTerms).where(eq(bondTerms.offeringId, offering.id));
  payments = bondSchedule(terms!);
});
afterAll(async () => node?.stop());

async function holderWith(units: number) {
  const investor = await makeInvestor(getDb());
  await makePaidOrder(getDb(), { userId: investor.userId, offeringId: offering.id, units });
  await allocateWaiting(ctx);
  return investor;
}

const holdingsOf = async (snapshotId: string) =>
  (await getDb().select().from(snapshotHoldings).where(eq(snapshotHoldings.snapshotId, snapshotId)))
    .map(({ address, userId, units }) => ({ address, userId, units }))
    .sort((a, b) => a.units - b.units);
const snapshotRows = async (paymentDate: string) =>
  getDb()
    .select()
    .from(recordSnapshots)
    .where(and(eq(recordSnapshots.offeringId, offering.id), eq(recordSnapshots.paymentDate, paymentDate)));
const audits = async (action: string) =>
  getDb()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.targetId, offering.id)));

describe("record-date snapshots", () => {
  let seller: Awaited<ReturnType<typeof holderWith>>;
  let buyer: Awaited<ReturnType<typeof holderWith>>;
  let late: Awaited<ReturnType<typeof holderWith>>;

  it("ends the record date at midnight in Tokyo", () => {
    expect(recordCutoff("2030-04-30").toISOString()).toBe("2030-04-30T15:00:00.000Z");
    expect(recordCutoff("2030-12-31").toISOString()).toBe("2030-12-31T15:00:00.000Z");
    expect(() => recordCutoff("2030-02-30")).toThrow();
  });

  it("takes nothing before the record date has ended", async () => {
    const first = payments[0]!;
    const outcome = await takeRecordSnapshot({ offeringId: offering.id, paymentDate: first.paymentDate, now: new Date(recordCutoff(first.recordDate).getTime() - 1_000) }, ctx);
    expect(outcome).toEqual({ status: "not_due", snapshotId: null });
    expect(await snapshotRows(first.paymentDate)).toHaveLength(0);
  });

  it("holds who held at the end of the record date: a holder who transferred before is out, the receiver in, a later allocation out", async () => {
    const first = payments[0]!;
    const cutoff = recordCutoff(first.recordDate);
    seller = await holderWith(7);
    buyer = await holderWith(3);
    // Before the record date ends: the seller's 7 units move to the buyer (the contract's forced
    // transfer through the queue, with the ledger entries the portal writes for it).
    const [moved] = await waitForTransactions(ctx, [
      (await submitTransaction(getDb(), ctx, forcedTransferIntent(offering.token, { from: seller.address, to: buyer.address, units: 7, requestId: "test", offeringId: offering.id }))).id,
    ]);
    expect(moved!.status).toBe("confirmed");
    await getDb()
      .insert(ledgerEntries)
      .values([
        { kind: "tokens_transferred", offeringId: offering.id, userId: seller.userId, units: -7, detail: { txHash: moved!.txHash, address: seller.address } },
        { kind: "tokens_transferred", offeringId: offering.id, userId: buyer.userId, units: 7, detail: { txHash: moved!.txHash, address: buyer.address } },
      ]);
    // An hour after the record date has ended (chain time): a new holder, too late for this payment.
    await hardhat().setNextBlockTimestamp({ timestamp: BigInt(Math.floor((cutoff.getTime() + HOUR) / 1000)) });
    late = await holderWith(4);

    // The hourly sweep takes the first payment (its record date has ended), not the second.
    await sweepRecordSnapshots(ctx, new Date(cutoff.getTime() + 2 * HOUR));
    const snapshot = await frozenSnapshot(offering.id, first.paymentDate);
    expect(snapshot).toMatchObject({ status: "frozen", recordDate: first.recordDate, holders: 1, supplyChain: 10, supplyLedger: 10, mismatches: [] });
    expect(snapshot!.cutoffAt.toISOString()).toBe(cutoff.toISOString());
    expect(await holdingsOf(snapshot!.id)).toEqual([{ address: buyer.address, userId: buyer.userId, units: 10 }]);
    expect(await snapshotRows(payments[1]!.paymentDate)).toHaveLength(0);
    // The snapshot block is the last one before the cutoff, the late allocation's block is after it.
    const block = await ctx.client.getBlock({ blockNumber: BigInt(snapshot!.blockNumber!) });
    const next = await ctx.client.getBlock({ blockNumber: BigInt(snapshot!.blockNumber! + 1) });
    expect(Number(block.timestamp) * 1000).toBeLessThan(cutoff.getTime());
    expect(Number(next.timestamp) * 1000).toBeGreaterThanOrEqual(cutoff.getTime());
    expect(await audits("bond.snapshot_taken")).toHaveLength(1);
  });

  it("freezes a payment once", async () => {
    const first = payments[0]!;
    const frozen = await frozenSnapshot(offering.id, first.paymentDate);
    const again = await takeRecordSnapshot({ offeringId: offering.id, paymentDate: first.paymentDate, now: new Date(recordCutoff(first.recordDate).getTime() + 3 * HOUR) }, ctx);
    expect(again).toEqual({ status: "already_frozen", snapshotId: frozen!.id });
    await sweepRecordSnapshots(ctx, new Date(recordCutoff(first.recordDate).getTime() + 3 * HOUR));
    expect(await snapshotRows(first.paymentDate)).toHaveLength(1);
    expect(await holdingsOf(frozen!.id)).toHaveLength(1);
  });

  it("keeps a chain that cannot be read as an error row for staff", async () => {
    const second = payments[1]!;
    const unreachable = testChainContext(getDb(), "http://127.0.0.1:9", { waitTimeoutMs: 300 });
    const outcome = await takeRecordSnapshot({ offeringId: offering.id, paymentDate: second.paymentDate, now: new Date(recordCutoff(second.recordDate).getTime() + HOUR) }, unreachable);
    expect(outcome.status).toBe("error");
    const row = await latestSnapshot(offering.id, second.paymentDate);
    expect(row).toMatchObject({ id: outcome.snapshotId, status: "error", blockNumber: null });
    expect(row!.error).toMatch(/unreachable/);
  });

  it("stops at a ledger entry the chain never saw, naming exactly that holder, and freezes once the ledger is corrected", async () => {
    const second = payments[1]!;
    const now = new Date(recordCutoff(second.recordDate).getTime() + HOUR);
    const ghost = await makeInvestor(getDb());
    const demo = await makeInvestor(getDb());
    await getDb()
      .insert(ledgerEntries)
      .values([
        { kind: "tokens_allocated", offeringId: offering.id, userId: ghost.userId, units: 5, detail: { to: ghost.address } },
        // A demo grant never reaches the chain and is no difference.
        { kind: "tokens_allocated", offeringId: offering.id, userId: demo.userId, units: 2, detail: { demo: true } },
      ]);
    const outcome = await takeRecordSnapshot({ offeringId: offering.id, paymentDate: second.paymentDate, now }, ctx);
    expect(outcome.status).toBe("mismatch");
    const row = await latestSnapshot(offering.id, second.paymentDate);
    expect(row).toMatchObject({ id: outcome.snapshotId, status: "mismatch", supplyChain: 14, supplyLedger: 19 });
    expect(row!.mismatches).toEqual([{ address: ghost.address, userId: ghost.userId, chain: 0, ledger: 5 }]);
    expect(await holdingsOf(outcome.snapshotId!)).toEqual([]);
    expect(await frozenSnapshot(offering.id, second.paymentDate)).toBeNull();
    const [audit] = await audits("bond.snapshot_mismatch");
    expect(audit!.detail).toMatchObject({ snapshotId: outcome.snapshotId, mismatchCount: 1 });

    // The sweep never retakes a mismatch by itself.
    await sweepRecordSnapshots(ctx, now);
    expect(await snapshotRows(second.paymentDate)).toHaveLength(2);

    // Staff correct the ledger and take it again: it freezes, folded on from the first payment's snapshot.
    await getDb()
      .insert(ledgerEntries)
      .values({ kind: "tokens_clawed_back", offeringId: offering.id, userId: ghost.userId, units: -5, detail: { from: ghost.address } });
    const retaken = await takeRecordSnapshot({ offeringId: offering.id, paymentDate: second.paymentDate, now }, ctx);
    expect(retaken.status).toBe("frozen");
    expect(await latestSnapshot(offering.id, second.paymentDate)).toMatchObject({ id: retaken.snapshotId, status: "frozen", supplyChain: 14, supplyLedger: 14, holders: 2 });
    expect(await holdingsOf(retaken.snapshotId!)).toEqual([
      { address: late.address, userId: late.userId, units: 4 },
      { address: buyer.address, userId: buyer.userId, units: 10 },
    ]);
    expect(seller.address).not.toBe(buyer.address);
  });
});

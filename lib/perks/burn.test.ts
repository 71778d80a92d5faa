import { and, eq, sql } from "drizzle-orm";
import { getAddress } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";
import { getDb } from "@/db/client";
import { chainTransactions, forcedTransferRequests, offerings, perkClaims } from "@/db/schema";
import { recordCutoff } from "@/lib/bonds/snapshot";
import { allowlistWallets } from "@/lib/chain/allowlist";
import { listChainIssues } from "@/lib/chain/chain-issues";
import type { ChainContext } from "@/lib/chain/context";
import { forcedTransferIntent, redeemIntent } from "@/lib/chain/intents";
import { reconcileOffering } from "@/lib/chain/reconcile";
import { submitTransaction, waitForTransactions } from "@/lib/chain/signer-queue";
import { takeHoldersSnapshot, unitsAtSnapshot } from "@/lib/holders/snapshot";
import { translator } from "@/lib/i18n/catalog";
import { tokyoDate } from "@/lib/projects/dates";
import { getRegister, registerCsv } from "@/lib/register/register";
import { makeInvestor, startHardhatNode, testChainContext, type HardhatNode } from "@/test/chain-support";
import { makeUser } from "@/test/fixtures";
import { setTestSettings } from "@/test/settings";
import { runPerkBurns, sweepPerkBurns } from "./burn";
import { auditsOf, balanceOf, cancel, claimOf, entriesOf, type Holder, makeClaim, noticesOf, perkWorld, supplyOf, type World } from "@/test/perk-chain-world";
import { burnPerkClaim } from "./jobs";

let node: HardhatNode;
let ctx: ChainContext;

beforeAll(async () => {
  node = await startHardhatNode();
  setTestSettings({ CHAIN_RPC_URL: node.rpcUrl });
  ctx = testChainContext(getDb(), node.rpcUrl);
});
afterAll(async () => node?.stop());

const burnsOf = (claimId: string) =>
  getDb()
    .select()
    .from(chainTransactions)
    .where(and(eq(chainTransactions.kind, "perk_burn"), sql`${chainTransactions.payload}->'ref'->'perkClaimIds' ? ${claimId}`));
const redeemedEvents = async (world: World, seq: number) =>
  ctx.client.getContractEvents({ address: world.offering.token, abi: villageTokenAbi, eventName: "Redeemed", args: { redemptionSeq: BigInt(seq) }, fromBlock: 0n, strict: true });

describe("perk burns", () => {
  let world: World;
  let first: string;
  let second: string;

  it("burns a claim once and books it once when the job runs twice in a row", async () => {
    world = await perkWorld(ctx, [10, 7, 5], 4);
    const [holder] = world.holders;
    first = await makeClaim(world, holder!, 4);
    expect(await burnPerkClaim(first, ctx)).toEqual({ burned: 1, failed: 0 });
    expect(await burnPerkClaim(first, ctx)).toEqual({ burned: 1, failed: 0 });

    const claim = await claimOf(first);
    const sent = await burnsOf(first);
    expect(sent.map((row) => [row.status, row.payload?.functionName])).toEqual([["confirmed", "redeem"]]);
    expect(claim.burnedAt).not.toBeNull();
    expect(claim.burnChainTransactionId).toBe(sent[0]!.id);
    expect(await redeemedEvents(world, claim.burnSeq!)).toHaveLength(1);
    expect(await balanceOf(ctx, world.offering.token, holder!.address)).toBe(6n);
    expect(await supplyOf(ctx, world.offering.token)).toBe(18n);

    const entries = await entriesOf(first);
    expect(entries.map((entry) => [entry.kind, entry.units, entry.userId, entry.orderId])).toEqual([["tokens_redeemed", -4, holder!.userId, null]]);
    expect(entries[0]!.detail).toMatchObject({ from: holder!.address, txHash: sent[0]!.txHash, perkClaimId: first, seq: claim.burnSeq });
    expect(await auditsOf(first, "perk_claim.burned")).toHaveLength(1);
    const notices = await noticesOf(first, "perk_tokens_burned");
    expect(notices.map((notice) => [notice.userId, notice.detail])).toEqual([
      [holder!.userId, expect.objectContaining({ perkId: world.perkId, perkTitleJa: "民泊一泊", perkTitleEn: "A night at the guesthouse", units: 4, txHash: sent[0]!.txHash })],
    ]);
  });

  it("burns once when two workers run it at the same time, and the sweep after changes nothing", async () => {
    const holder = world.holders[1]!;
    second = await makeClaim(world, holder, 4);
    const other = testChainContext(getDb(), node.rpcUrl);
    expect(await Promise.all([runPerkBurns(ctx, [second]), runPerkBurns(other, [second])])).toEqual([
      { burned: 1, failed: 0 },
      { burned: 1, failed: 0 },
    ]);
    expect(await sweepPerkBurns(ctx)).toEqual({ burned: 0, failed: 0 });
    expect(await runPerkBurns(ctx, [second])).toEqual({ burned: 1, failed: 0 });

    expect(await burnsOf(second)).toHaveLength(1);
    expect(await redeemedEvents(world, (await claimOf(second)).burnSeq!)).toHaveLength(1);
    expect(await balanceOf(ctx, world.offering.token, holder.address)).toBe(3n);
    expect(await supplyOf(ctx, world.offering.token)).toBe(14n);
    expect((await entriesOf(second)).map((entry) => entry.units)).toEqual([-4]);
    expect(await auditsOf(second, "perk_claim.burned")).toHaveLength(1);
    expect(await noticesOf(second, "perk_tokens_burned")).toHaveLength(1);
  });

  it("leaves the ledger and the chain agreeing: reconciliation, the register and a holders' snapshot", async () => {
    const reconciled = await reconcileOffering(ctx, { id: world.offering.id, slug: world.offering.slug, token: world.offering.token });
    expect(reconciled).toMatchObject({ status: "ok", supplyChain: 14, supplyDb: 14, mismatches: [] });

    const register = await getRegister(world.offering.id, new Date());
    expect(register.totalUnits).toBe(14);
    const units = new Map(register.holders.map((holder) => [holder.userId, holder.units]));
    expect(world.holders.map((holder) => units.get(holder.userId))).toEqual([6, 3, 5]);
    const burned = register.holders.find((holder) => holder.userId === world.holders[0]!.userId)!;
    expect(burned.acquisitions.map((entry) => [entry.kind, entry.units, entry.perkClaimId])).toEqual([
      ["tokens_allocated", 10, null],
      ["tokens_redeemed", -4, first],
    ]);
    expect(registerCsv(register, "ja", translator("ja"))).toMatch(/ -4 \(特典と引き換え\)/);

    const recordDate = tokyoDate(new Date());
    const snapshot = await takeHoldersSnapshot({ offeringId: world.offering.id, recordDate, now: new Date(recordCutoff(recordDate).getTime() + 60_000) }, ctx);
    expect(snapshot.status).toBe("frozen");
    expect(await unitsAtSnapshot(getDb(), snapshot.snapshotId!, world.holders[0]!.userId)).toBe(6);
    expect(await unitsAtSnapshot(getDb(), snapshot.snapshotId!, world.holders[1]!.userId)).toBe(3);
  });

  it("takes a burn the chain did without this claim's transaction as done (AlreadyRedeemed), and books it from the Redeemed event", async () => {
    const holder = world.holders[2]!;
    const claimId = await makeClaim(world, holder, 2);
    const seq = (await claimOf(claimId)).burnSeq!;
    // The same key burned by another transaction the claim knows nothing of (a crash before it was recorded).
    const [elsewhere] = await waitForTransactions(ctx, [
      (await submitTransaction(getDb(), ctx, redeemIntent(world.offering.token, { runId: "lost", offeringId: world.offering.id, items: [{ burnId: "lost", seq, from: holder.address, units: 2 }] })))
        .id,
    ]);
    expect(elsewhere!.status).toBe("confirmed");

    expect(await runPerkBurns(ctx, [claimId])).toEqual({ burned: 1, failed: 0 });
    const [refused] = await burnsOf(claimId);
    expect(refused).toMatchObject({ status: "failed", payload: { resolution: { action: "retried", by: "system" } } });
    expect(refused!.error).toMatch(/AlreadyRedeemed/);
    expect(await balanceOf(ctx, world.offering.token, holder.address)).toBe(3n);
    const entries = await entriesOf(claimId);
    expect(entries.map((entry) => [entry.units, entry.detail?.txHash])).toEqual([[-2, elsewhere!.txHash]]);
    expect((await claimOf(claimId)).burnChainTransactionId).toBe(elsewhere!.id);
    // Nothing left for staff on the chain page, and the ledger still agrees with the chain.
    const [offering] = await getDb().select().from(offerings).where(eq(offerings.id, world.offering.id));
    expect((await listChainIssues({ db: getDb(), chainId: ctx.chainId }, offering!)).filter((issue) => issue.kind === "perk_burn")).toEqual([]);
    expect(await reconcileOffering(ctx, { id: world.offering.id, slug: world.offering.slug, token: world.offering.token })).toMatchObject({ status: "ok", supplyChain: 12 });
  });

  it("leaves a burn that fails on chain for staff, unbooked, and burns the units where they moved once the move is on record", async () => {
    const moved = await perkWorld(ctx, [5], 5);
    const holder = moved.holders[0]!;
    const claimId = await makeClaim(moved, holder, 5);
    // The holder's units leave their wallet on chain before the burn is sent.
    const replacement = await makeInvestor(getDb());
    await allowlistWallets(ctx, [replacement.userId]);
    const [transfer] = await waitForTransactions(ctx, [
      (await submitTransaction(getDb(), ctx, forcedTransferIntent(moved.offering.token, { from: holder.address, to: replacement.address, units: 5, requestId: "t", offeringId: moved.offering.id })))
        .id,
    ]);
    expect(transfer!.status).toBe("confirmed");

    expect(await runPerkBurns(ctx, [claimId])).toEqual({ burned: 0, failed: 1 });
    expect(await sweepPerkBurns(ctx)).toEqual({ burned: 0, failed: 1 });
    expect(await burnsOf(claimId)).toHaveLength(1);
    expect((await claimOf(claimId)).burnedAt).toBeNull();
    expect(await entriesOf(claimId)).toEqual([]);
    const [offering] = await getDb().select().from(offerings).where(eq(offerings.id, moved.offering.id));
    const issues = await listChainIssues({ db: getDb(), chainId: ctx.chainId }, offering!);
    expect(issues.map((issue) => [issue.kind, issue.functionName, issue.state, issue.orders])).toEqual([["perk_burn", "redeem", "failed", []]]);

    const staff = [await makeUser("staff"), await makeUser("staff")];
    await getDb().insert(forcedTransferRequests).values({
      offeringId: moved.offering.id,
      holderId: holder.userId,
      fromAddress: holder.address,
      toAddress: replacement.address,
      units: 5,
      reason: "test",
      status: "done",
      requestedBy: staff[0]!.id,
      decidedBy: staff[1]!.id,
      decidedAt: new Date(),
    });
    expect(await runPerkBurns(ctx, [claimId])).toEqual({ burned: 1, failed: 0 });
    expect(await balanceOf(ctx, moved.offering.token, replacement.address)).toBe(0n);
    expect((await entriesOf(claimId)).map((entry) => [entry.units, getAddress(String(entry.detail?.from))])).toEqual([[-5, replacement.address]]);
    expect((await listChainIssues({ db: getDb(), chainId: ctx.chainId }, offering!)).filter((issue) => issue.kind === "perk_burn")).toEqual([]);
    // Every unit given up for a perk: no longer a holder (a bond redeemed in full stays on the register at zero, a perk does not).
    expect((await getRegister(moved.offering.id, new Date())).holders).toEqual([]);
  });

  it("never burns a claim cancelled before its burn was sent, nor one cancelled after its burn failed, whatever the job or the sweep do", async () => {
    const quiet = await perkWorld(ctx, [6, 6], 3);
    const [early, failed] = quiet.holders as [Holder, Holder];
    const before = await makeClaim(quiet, early, 3);
    await cancel(before);
    const afterFailure = await makeClaim(quiet, failed, 3);
    const [row] = await getDb()
      .insert(chainTransactions)
      .values({ signer: ctx.account.address, chainId: ctx.chainId, kind: "perk_burn", status: "failed", payload: { ref: { perkClaimIds: [afterFailure] } } as never })
      .returning();
    await getDb().update(perkClaims).set({ burnChainTransactionId: row!.id }).where(eq(perkClaims.id, afterFailure));
    await cancel(afterFailure);
    for (const claimId of [before, afterFailure]) {
      await burnPerkClaim(claimId, ctx);
      await runPerkBurns(ctx, [claimId], { retryFailed: true });
    }
    await sweepPerkBurns(ctx);
    expect((await burnsOf(before)).length + (await burnsOf(afterFailure)).length).toBe(1);
    for (const holder of [early, failed]) expect(await balanceOf(ctx, quiet.offering.token, holder.address)).toBe(6n);
    expect([...(await entriesOf(before)), ...(await entriesOf(afterFailure))]).toEqual([]);
    expect(await getDb().select().from(perkClaims).where(eq(perkClaims.perkId, quiet.perkId))).toEqual([
      expect.objectContaining({ burnedAt: null, restoreSeq: null }),
      expect.objectContaining({ burnedAt: null, restoreSeq: null }),
    ]);
  });
});

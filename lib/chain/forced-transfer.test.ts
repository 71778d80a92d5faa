import { and, eq, sql } from "drizzle-orm";
import { getAddress, type Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";
import { getDb } from "@/db/client";
import { auditLog, chainTransactions, forcedTransferRequests, issuerStaff, ledgerEntries, offerings, users, wallets, type Offering } from "@/db/schema";
import { transitionOrder } from "@/lib/orders/transitions";
import { holderBalances } from "@/lib/register/ledger";
import { makeUser } from "@/test/fixtures";
import { as, form, run } from "@/test/session-mock";
import { makeInvestor, makeOfferingWithToken, makePaidOrder, startHardhatNode, testChainContext, type HardhatNode } from "@/test/chain-support";
import { approveForcedTransferAction, requestForcedTransferAction } from "@/app/(staff)/staff/offerings/[id]/chain/actions";
import { allocateWaiting } from "./allocate";
import { clawbackOrder } from "./compliance";
import type { ChainContext } from "./context";
import { approveForcedTransfer, rejectForcedTransfer, requestForcedTransfer } from "./forced-transfer";
import { followOperation } from "./operations";
import { operatorOf, type Operator } from "./operator";
import { reconcileAll } from "./reconcile";
import { setTestSettings } from "@/test/settings";

let node: HardhatNode;
let ctx: ChainContext;
let op: Operator;
let offering: Offering;
let token: Address;
let staffA: Awaited<ReturnType<typeof makeUser>>;
let staffB: Awaited<ReturnType<typeof makeUser>>;

beforeAll(async () => {
  node = await startHardhatNode();
  setTestSettings({ CHAIN_RPC_URL: node.rpcUrl });
  ctx = testChainContext(getDb(), node.rpcUrl);
  op = operatorOf(ctx);
  const made = await makeOfferingWithToken(ctx);
  token = made.token;
  [offering] = (await getDb().select().from(offerings).where(eq(offerings.id, made.id))) as [Offering];
  staffA = await makeUser("staff");
  staffB = await makeUser("staff");
  await getDb()
    .insert(issuerStaff)
    .values([staffA, staffB].map((staff) => ({ issuerId: offering.villageId, userId: staff.id })));
});
afterAll(async () => node?.stop());

const balance = (holder: string) => ctx.client.readContract({ address: token, abi: villageTokenAbi, functionName: "balanceOf", args: [getAddress(holder)] });
const allowlisted = (holder: string) => ctx.client.readContract({ address: token, abi: villageTokenAbi, functionName: "isAllowlisted", args: [getAddress(holder)] });
const walletOf = async (userId: string) => (await getDb().select().from(wallets).where(eq(wallets.userId, userId)))[0]!;
const requestRow = async (id: string) => (await getDb().select().from(forcedTransferRequests).where(eq(forcedTransferRequests.id, id)))[0]!;
const transfersQueued = async () => (await getDb().select({ n: sql<number>`count(*)::int` }).from(chainTransactions).where(eq(chainTransactions.kind, "forced_transfer")))[0]!.n;

async function holderWith(units: number) {
  const investor = await makeInvestor(getDb());
  const order = await makePaidOrder(getDb(), { userId: investor.userId, offeringId: offering.id, units });
  await allocateWaiting(ctx);
  const [user] = await getDb().select({ email: users.email }).from(users).where(eq(users.id, investor.userId));
  return { ...investor, order, email: user!.email };
}

describe("forced transfer of a lost wallet", () => {
  let holder: Awaited<ReturnType<typeof holderWith>>;
  let requestId: string;

  it("is only asked for by one staff member: nothing is queued, and the requester cannot decide it", async () => {
    holder = await holderWith(7);
    const queuedBefore = await transfersQueued();
    const asked = await requestForcedTransfer(op, { offering, staffId: staffA.id, holder: holder.email, reason: "investor lost access to the wallet" });
    if (!asked.ok) throw new Error(asked.error);
    requestId = asked.requestId;
    expect(asked.newWallet).toBe(true);

    // Asking changes nothing about the holder's wallet: it is replaced only on a second approval.
    const walletBefore = await walletOf(holder.userId);
    expect(getAddress(walletBefore.address)).toBe(holder.address);
    expect(await requestRow(requestId)).toMatchObject({ status: "pending", units: 7, fromAddress: holder.address, toAddress: null, chainTransactionId: null });
    expect(
      await getDb()
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.targetId, holder.userId), eq(auditLog.action, "wallet.replaced"))),
    ).toHaveLength(0);
    expect(await transfersQueued()).toBe(queuedBefore);
    expect(await balance(holder.address)).toBe(7n);

    expect(await approveForcedTransfer(op, { offering, requestId, staffId: staffA.id })).toEqual({ ok: false, error: "ownRequest" });
    expect(await rejectForcedTransfer(op, { offering, requestId, staffId: staffA.id, reason: "changed my mind" })).toEqual({ ok: false, error: "ownRequest" });
    // The table refuses it too (four eyes), whatever the code does.
    await expect(getDb().update(forcedTransferRequests).set({ decidedBy: staffA.id }).where(eq(forcedTransferRequests.id, requestId))).rejects.toThrow();
    expect(await requestRow(requestId)).toMatchObject({ status: "pending", decidedBy: null });
    expect(await transfersQueued()).toBe(queuedBefore);
    expect(await walletOf(holder.userId)).toEqual(walletBefore);
    expect(await requestForcedTransfer(op, { offering, staffId: staffB.id, holder: holder.email, reason: "twice" })).toEqual({ ok: false, error: "openRequest" });

    const audits = await getDb().select().from(auditLog).where(eq(auditLog.targetId, requestId));
    expect(audits).toMatchObject([{ action: "forced_transfer.requested", actorId: staffA.id, detail: { reason: "investor lost access to the wallet", units: 7, newWallet: true } }]);
    // While it waits, the ledger still places the units at the lost address, as the chain does.
    expect(await reconcileAll(ctx)).toMatchObject({ reconcile: "ok", mismatches: [] });
  });

  it("approved by a second staff member, moves the whole balance on chain and in the ledger; register and reconciliation agree", async () => {
    const approved = await approveForcedTransfer(op, { offering, requestId, staffId: staffB.id });
    if (!approved.ok) throw new Error(approved.error);
    // The approval made the holder's new wallet (not the lost one) in its own transaction, and names it on the request.
    const wallet = await walletOf(holder.userId);
    expect(getAddress(wallet.address)).not.toBe(holder.address);
    expect(wallet.allowlistedAt).toBeNull();
    expect(await requestRow(requestId)).toMatchObject({ status: "queued", decidedBy: staffB.id, chainTransactionId: approved.chainTransactionId, toAddress: getAddress(wallet.address) });
    const [replaced] = await getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, holder.userId), eq(auditLog.action, "wallet.replaced")));
    expect(replaced).toMatchObject({ actorId: staffB.id, detail: { oldAddress: holder.address, newAddress: getAddress(wallet.address), requestedBy: staffA.id } });
    await followOperation(ctx, approved.chainTransactionId);

    const request = await requestRow(requestId);
    expect(request.status).toBe("done");
    expect(await balance(holder.address)).toBe(0n);
    expect(await balance(request.toAddress!)).toBe(7n);
    const moved = await getDb()
      .select({ units: ledgerEntries.units, detail: ledgerEntries.detail })
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.kind, "tokens_transferred"), eq(ledgerEntries.userId, holder.userId)));
    expect(moved).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ units: -7, detail: expect.objectContaining({ address: holder.address }) }),
        expect.objectContaining({ units: 7, detail: expect.objectContaining({ address: request.toAddress }) }),
      ]),
    );
    const register = await holderBalances(getDb(), { offeringId: offering.id });
    expect(register.find((row) => row.userId === holder.userId)?.units).toBe(7);
    expect(await reconcileAll(ctx)).toMatchObject({ reconcile: "ok", mismatches: [] });
    const actions = (await getDb().select().from(auditLog).where(eq(auditLog.targetId, requestId))).map((row) => row.action);
    expect(actions).toEqual(["forced_transfer.requested", "forced_transfer.approved", "forced_transfer.done"]);
  });

  it("takes the lost address off the token's allowlist once its units moved; the new wallet stays allowlisted", async () => {
    const request = await requestRow(requestId);
    const [delist] = await getDb()
      .select()
      .from(chainTransactions)
      .where(and(eq(chainTransactions.kind, "delist"), sql`${chainTransactions.payload}->'ref'->>'forcedTransferId' = ${requestId}`));
    expect(delist?.payload?.args).toEqual([holder.address, false]);
    expect(await allowlisted(holder.address)).toBe(true);
    await followOperation(ctx, delist!.id);
    expect(await allowlisted(holder.address)).toBe(false);
    expect(await allowlisted(request.toAddress!)).toBe(true);
    const [audit] = await getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, holder.userId), eq(auditLog.action, "wallet.delisted")));
    expect(audit).toMatchObject({ detail: { address: holder.address, forcedTransferId: requestId, chainTransactionId: delist!.id } });
  });

  it("later issuance goes to the new wallet, and a refund claws back from where the units are now", async () => {
    const newAddress = (await requestRow(requestId)).toAddress!;
    const next = await makePaidOrder(getDb(), { userId: holder.userId, offeringId: offering.id, units: 2 });
    await allocateWaiting(ctx);
    expect(await balance(newAddress)).toBe(9n);
    await transitionOrder(getDb(), holder.order.id, "refunded", { detail: { test: true } });
    expect(await clawbackOrder(ctx, holder.order.id)).toBe("done");
    expect(await balance(newAddress)).toBe(2n);
    expect((await holderBalances(getDb(), { offeringId: offering.id })).find((row) => row.userId === holder.userId)?.units).toBe(2);
    expect(await reconcileAll(ctx)).toMatchObject({ reconcile: "ok", mismatches: [] });
    expect(next.id).toBeTruthy();
  });

  it("rejected by a second staff member, is never queued and changes nothing about the wallet", async () => {
    const other = await holderWith(3);
    const walletBefore = await walletOf(other.userId);
    const asked = await requestForcedTransfer(op, { offering, staffId: staffB.id, holder: other.address, reason: "reported lost by phone" });
    if (!asked.ok) throw new Error(asked.error);
    expect(await rejectForcedTransfer(op, { offering, requestId: asked.requestId, staffId: staffA.id, reason: "caller could not be verified" })).toEqual({ ok: true });
    expect(await requestRow(asked.requestId)).toMatchObject({ status: "rejected", decidedBy: staffA.id, chainTransactionId: null });
    expect(await approveForcedTransfer(op, { offering, requestId: asked.requestId, staffId: staffA.id })).toEqual({ ok: false, error: "notPending" });
    expect(await balance(other.address)).toBe(3n);
    expect(await walletOf(other.userId)).toEqual(walletBefore);
    expect(await requestRow(asked.requestId)).toMatchObject({ toAddress: null });
    const [audit] = await getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, asked.requestId), eq(auditLog.action, "forced_transfer.rejected")));
    expect(audit).toMatchObject({ actorId: staffA.id, detail: { reason: "caller could not be verified" } });
  });
});

describe("forced transfer actions", () => {
  it("refuse staff of another issuer and change nothing; the issuer's staff ask and approve", async () => {
    const holder = await holderWith(4);
    const stranger = await makeUser("staff");
    as.user = stranger;
    const asked = await run(requestForcedTransferAction, form({ offeringId: offering.id, holder: holder.email, reason: "not my issuer" }));
    expect(asked).toMatchObject({ status: "error", message: "このオファリングは見つかりません。" });
    expect(await getDb().select().from(forcedTransferRequests).where(eq(forcedTransferRequests.holderId, holder.userId))).toHaveLength(0);
    expect(getAddress((await walletOf(holder.userId)).address)).toBe(holder.address);

    as.user = staffA;
    expect(await run(requestForcedTransferAction, form({ offeringId: offering.id, holder: holder.email, reason: "lost phone" }))).toMatchObject({ status: "ok" });
    const [request] = await getDb().select().from(forcedTransferRequests).where(eq(forcedTransferRequests.holderId, holder.userId));
    as.user = stranger;
    expect(await run(approveForcedTransferAction, form({ offeringId: offering.id, requestId: request!.id }))).toMatchObject({ status: "error" });
    as.user = staffA;
    expect(await run(approveForcedTransferAction, form({ offeringId: offering.id, requestId: request!.id }))).toMatchObject({ status: "error", message: expect.stringContaining("ご自身の依頼") });
    expect((await requestRow(request!.id)).status).toBe("pending");
    as.user = staffB;
    expect(await run(approveForcedTransferAction, form({ offeringId: offering.id, requestId: request!.id }))).toMatchObject({ status: "ok" });
    expect((await requestRow(request!.id)).status).toBe("queued");
  });
});

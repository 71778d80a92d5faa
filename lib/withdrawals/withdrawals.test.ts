import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { createWalletClient, getAddress, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";
import { getDb } from "@/db/client";
import { auditLog, chainTransactions, forcedTransferRequests, ledgerEntries, linkedWalletApprovals, notifications, offerings, snapshotHoldings, users, withdrawals } from "@/db/schema";
import { recordCutoff } from "@/lib/bonds/snapshot";
import type { ChainContext } from "@/lib/chain/context";
import { getExplorerAddress } from "@/lib/chain/explorer";
import { requestForcedTransfer } from "@/lib/chain/forced-transfer";
import { operatorOf } from "@/lib/chain/operator";
import { reconcileOffering } from "@/lib/chain/reconcile";
import { submitTransaction, waitForTransactions } from "@/lib/chain/signer-queue";
import { takeHoldersSnapshot, unitsAtSnapshot } from "@/lib/holders/snapshot";
import { tokyoDate } from "@/lib/projects/dates";
import { startHardhatNode, testChainContext, type HardhatNode } from "@/test/chain-support";
import { makeUser } from "@/test/fixtures";
import { setTestSettings } from "@/test/settings";
import { linkWallet, sessionOf, withdrawalWorld, type Holder } from "@/test/withdrawal-world";
import { requestWithdrawal } from "./request";
import { sendWithdrawal, sweepWithdrawals, withdrawalTransactions } from "./send";

let node: HardhatNode;
let ctx: ChainContext;

beforeAll(async () => {
  node = await startHardhatNode();
  setTestSettings({ CHAIN_RPC_URL: node.rpcUrl });
  ctx = testChainContext(getDb(), node.rpcUrl);
});
afterAll(async () => node?.stop());

const balanceOf = (token: `0x${string}`, holder: string) => ctx.client.readContract({ address: token, abi: villageTokenAbi, functionName: "balanceOf", args: [getAddress(holder)] });
const rowsOf = (requestKey: string) => getDb().select().from(withdrawals).where(eq(withdrawals.requestKey, requestKey));
const ledgerOf = (withdrawalId: string) => getDb().select().from(ledgerEntries).where(sql`${ledgerEntries.detail}->>'withdrawalId' = ${withdrawalId}`).orderBy(ledgerEntries.id);
const auditsOf = (withdrawalId: string, action: "withdrawal.requested" | "withdrawal.confirmed" | "withdrawal.failed") =>
  getDb()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.targetId, withdrawalId), eq(auditLog.action, action)));
const noticesOf = (withdrawalId: string) => getDb().select().from(notifications).where(sql`${notifications.detail}->>'withdrawalId' = ${withdrawalId}`);
const sendJobs = async (withdrawalId: string) =>
  (await getDb().execute<{ n: number }>(sql`select count(*)::int as n from pgboss.job where name = 'withdrawals.send' and data->>'withdrawalId' = ${withdrawalId}`))[0]!.n;

function requested(outcome: Awaited<ReturnType<typeof requestWithdrawal>>) {
  if (outcome.status !== "requested") throw new Error(`not requested: ${JSON.stringify(outcome)}`);
  return outcome.withdrawal;
}

describe("a withdrawal from the custodial wallet to a linked wallet", () => {
  let world: Awaited<ReturnType<typeof withdrawalWorld>>;
  let holder: Holder;
  let linked: Awaited<ReturnType<typeof linkWallet>>;
  let withdrawalId: string;

  it("is one withdrawal however often, and however concurrently, the same form is sent", async () => {
    world = await withdrawalWorld(ctx, [10, 6]);
    holder = world.holders[0]!;
    linked = await linkWallet(ctx, holder.id, world.offering.id);
    const key = randomUUID();
    const input = { user: holder, offeringId: world.offering.id, linkedWalletId: linked.linkedWalletId, units: 4, requestKey: key };
    const first = requested(await requestWithdrawal(input));
    const again = requested(await requestWithdrawal(input));
    expect(again.id).toBe(first.id);
    const concurrentKey = randomUUID();
    const both = await Promise.all([requestWithdrawal({ ...input, units: 1, requestKey: concurrentKey }), requestWithdrawal({ ...input, units: 1, requestKey: concurrentKey })]);
    expect(new Set(both.map((outcome) => requested(outcome).id)).size).toBe(1);
    expect(await rowsOf(key)).toHaveLength(1);
    expect(await rowsOf(concurrentKey)).toHaveLength(1);
    expect(first).toMatchObject({ status: "requested", units: 4, fromAddress: holder.address, toAddress: linked.address, userId: holder.id });
    expect(await auditsOf(first.id, "withdrawal.requested")).toHaveLength(1);
    expect(await sendJobs(first.id)).toBe(1);
    withdrawalId = first.id;
    // The one-unit withdrawal goes first (it tops the wallet up), so the 4-unit one finds gas there.
    expect(await sendWithdrawal(ctx, requested(both[0]!).id)).toBe("confirmed");
  });

  it("moves the tokens once when the send job runs twice at the same time, and books them once", async () => {
    const other = testChainContext(getDb(), node.rpcUrl);
    expect(await Promise.all([sendWithdrawal(ctx, withdrawalId), sendWithdrawal(other, withdrawalId)])).toEqual(["confirmed", "confirmed"]);
    expect(await sendWithdrawal(ctx, withdrawalId)).toBe("confirmed");
    expect(await sweepWithdrawals(ctx)).toEqual({ followed: 0, errors: 0 });

    const sent = await withdrawalTransactions(getDb(), withdrawalId);
    expect(sent.map((row) => [row.kind, row.status, row.signer])).toEqual([["withdrawal", "confirmed", holder.address]]);
    const transfers = await ctx.client.getContractEvents({
      address: world.offering.token,
      abi: villageTokenAbi,
      eventName: "Transfer",
      args: { from: holder.address, to: linked.address },
      fromBlock: 0n,
      strict: true,
    });
    expect(transfers.map((log) => log.args.value)).toEqual([1n, 4n]);
    expect(await balanceOf(world.offering.token, holder.address)).toBe(5n);
    expect(await balanceOf(world.offering.token, linked.address)).toBe(5n);

    const entries = await ledgerOf(withdrawalId);
    expect(entries.map((entry) => [entry.kind, entry.units, entry.userId, entry.detail?.address])).toEqual([
      ["tokens_transferred", -4, holder.id, holder.address],
      ["tokens_transferred", 4, holder.id, linked.address],
    ]);
    expect(entries[0]!.detail).toMatchObject({ txHash: sent[0]!.txHash, from: holder.address, to: linked.address });
    const [row] = await getDb().select().from(withdrawals).where(eq(withdrawals.id, withdrawalId));
    expect(row).toMatchObject({ status: "confirmed", chainTransactionId: sent[0]!.id });
    expect(row!.confirmedAt).not.toBeNull();
    expect(await auditsOf(withdrawalId, "withdrawal.confirmed")).toHaveLength(1);
    const notices = await noticesOf(withdrawalId);
    expect(notices.map((notice) => [notice.kind, notice.userId, notice.detail.units, notice.detail.address, notice.detail.txHash])).toEqual([
      ["withdrawal_sent", holder.id, 4, linked.address, sent[0]!.txHash],
    ]);
  });

  it("paid the custodial wallet's gas with one top-up from the operator", async () => {
    const topUps = await getDb()
      .select()
      .from(chainTransactions)
      .where(and(eq(chainTransactions.kind, "gas_topup"), sql`lower(${chainTransactions.payload}->>'to') = ${holder.address.toLowerCase()}`));
    expect(topUps.map((row) => [row.status, row.signer])).toEqual([["confirmed", ctx.account.address]]);
    expect(BigInt(topUps[0]!.payload!.value!)).toBeGreaterThan(0n);
  });

  it("keeps the chain and the ledger agreeing, address by address", async () => {
    const result = await reconcileOffering(ctx, world.offering);
    expect(result).toMatchObject({ status: "ok", supplyChain: 16, supplyDb: 16, mismatches: [] });
  });

  it("shows the tokens and the withdrawal on the explorer page of the linked address", async () => {
    const view = await getExplorerAddress(linked.address);
    expect(view.holdings.map((line) => [line.tokenAddress, line.balance])).toContainEqual([world.offering.token, "5"]);
    const [sent] = await withdrawalTransactions(getDb(), withdrawalId);
    expect(view.recent.map((tx) => [tx.hash, tx.kind])).toContainEqual([sent!.txHash, "withdrawal"]);
  });

  it("leaves the holder their units at a record date after the withdrawal", async () => {
    const recordDate = tokyoDate(new Date());
    const outcome = await takeHoldersSnapshot({ offeringId: world.offering.id, recordDate, now: new Date(recordCutoff(recordDate).getTime() + 1_000) }, ctx);
    expect(outcome.status).toBe("frozen");
    expect(await unitsAtSnapshot(getDb(), outcome.snapshotId!, holder.id)).toBe(10);
    expect(await unitsAtSnapshot(getDb(), outcome.snapshotId!, world.holders[1]!.id)).toBe(6);
    const rows = await getDb().select().from(snapshotHoldings).where(eq(snapshotHoldings.snapshotId, outcome.snapshotId!));
    expect(rows.find((row) => getAddress(row.address) === linked.address)).toMatchObject({ userId: holder.id, units: 5 });
  });

  it("fails a withdrawal the token refuses, tells the holder, and gives its units and its day's limit back", async () => {
    const second = world.holders[1]!;
    // Approved here but never allowlisted on chain: the token refuses the transfer in simulation.
    const unlisted = await linkWallet(ctx, second.id, world.offering.id, { onChain: false });
    const failing = requested(await requestWithdrawal({ user: second, offeringId: world.offering.id, linkedWalletId: unlisted.linkedWalletId, units: 6, requestKey: randomUUID() }));
    expect(await sendWithdrawal(ctx, failing.id)).toBe("failed");
    const [row] = await getDb().select().from(withdrawals).where(eq(withdrawals.id, failing.id));
    expect(row!.error).toMatch(/WalletNotAllowlisted/);
    expect(await ledgerOf(failing.id)).toEqual([]);
    expect((await noticesOf(failing.id)).map((notice) => notice.kind)).toEqual(["withdrawal_failed"]);
    expect(await auditsOf(failing.id, "withdrawal.failed")).toHaveLength(1);
    expect(await balanceOf(world.offering.token, second.address)).toBe(6n);
    // The same six units can be asked for again (to a wallet that works).
    const working = await linkWallet(ctx, second.id, world.offering.id);
    const retry = requested(await requestWithdrawal({ user: second, offeringId: world.offering.id, linkedWalletId: working.linkedWalletId, units: 6, requestKey: randomUUID() }));
    expect(await sendWithdrawal(ctx, retry.id)).toBe("confirmed");
    expect(await balanceOf(world.offering.token, working.address)).toBe(6n);
    expect((await reconcileOffering(ctx, world.offering)).status).toBe("ok");
  });

  it("takes the custodial wallet, never the holder's own, when staff recover a lost wallet named by email", async () => {
    const [person] = await getDb().select({ email: users.email }).from(users).where(eq(users.id, holder.id));
    const staff = await makeUser("staff");
    const [offering] = await getDb().select().from(offerings).where(eq(offerings.id, world.offering.id));
    const asked = await requestForcedTransfer(operatorOf(ctx), { offering: offering!, staffId: staff.id, holder: person!.email, reason: "lost phone" });
    if (!asked.ok) throw new Error(asked.error);
    const [request] = await getDb().select().from(forcedTransferRequests).where(eq(forcedTransferRequests.id, asked.requestId));
    expect(request).toMatchObject({ fromAddress: holder.address, units: 5 });
    // While it is open, nothing more leaves the custodial wallet.
    expect(await requestWithdrawal({ user: sessionOf(holder.id), offeringId: world.offering.id, linkedWalletId: linked.linkedWalletId, units: 1, requestKey: randomUUID() })).toEqual({
      status: "walletInRecovery",
    });
    await getDb().update(forcedTransferRequests).set({ status: "rejected" }).where(eq(forcedTransferRequests.id, asked.requestId));
  });

  it("shows tokens the holder moved away from their own wallet outside the portal as a difference, as it should", async () => {
    // The linked wallet's owner pays their own gas and sends 2 units back to the custodial wallet.
    const own = privateKeyToAccount(linked.privateKey);
    const funding = await submitTransaction(ctx.db, ctx, {
      kind: "gas_topup",
      payload: { contract: "none", functionName: "", args: [], to: own.address, data: "0x", value: "10000000000000000", ref: {} },
    });
    await waitForTransactions(ctx, [funding.id]);
    const wallet = createWalletClient({ account: own, transport: http(node.rpcUrl) });
    const hash = await wallet.writeContract({ chain: null, address: world.offering.token, abi: villageTokenAbi, functionName: "transfer", args: [holder.address, 2n] });
    await ctx.client.waitForTransactionReceipt({ hash });
    const result = await reconcileOffering(ctx, world.offering);
    expect(result.status).toBe("mismatch");
    expect(result.mismatches.map((row) => [row.address, row.chain, row.db]).sort()).toEqual(
      [
        [holder.address, 7, 5],
        [linked.address, 3, 5],
      ].sort(),
    );
  });
});

describe("what a request is refused for", () => {
  let world: Awaited<ReturnType<typeof withdrawalWorld>>;
  let holder: Holder;
  let linked: { linkedWalletId: string };
  // A later `now` comes with a sign-in at that time.
  const ask = (overrides: Partial<Parameters<typeof requestWithdrawal>[0]> = {}) =>
    requestWithdrawal({
      user: overrides.now ? sessionOf(holder.id, overrides.now) : holder,
      offeringId: world.offering.id,
      linkedWalletId: linked.linkedWalletId,
      units: 1,
      requestKey: randomUUID(),
      ...overrides,
    });

  beforeAll(async () => {
    world = await withdrawalWorld(ctx, [20, 10], 5);
    holder = world.holders[0]!;
    linked = await linkWallet(null, holder.id, world.offering.id);
  });

  it("refuses the unit past the day's limit, and one of two requests that together pass it", async () => {
    requested(await ask({ units: 4 }));
    expect(await ask({ units: 2 })).toEqual({ status: "dailyLimit", limit: 5, left: 1 });
    requested(await ask({ units: 1 }));
    expect(await ask({ units: 1 })).toEqual({ status: "dailyLimit", limit: 5, left: 0 });
    // Tomorrow (Tokyo) the limit starts again.
    requested(await ask({ units: 1, now: new Date(Date.now() + 86_400_000) }));

    const other = world.holders[1]!;
    const theirs = await linkWallet(null, other.id, world.offering.id);
    const both = await Promise.all([3, 3].map((units) => requestWithdrawal({ user: other, offeringId: world.offering.id, linkedWalletId: theirs.linkedWalletId, units, requestKey: randomUUID() })));
    expect(both.map((outcome) => outcome.status).sort()).toEqual(["dailyLimit", "requested"]);
  });

  it("refuses more units than are free now (units on their way out count as gone)", async () => {
    // 20 held, 6 on their way out (requested above): 14 free.
    expect(await ask({ units: 15, now: new Date(Date.now() + 2 * 86_400_000) })).toEqual({ status: "insufficientUnits", free: 14 });
  });

  it("refuses a stale sign-in with the way back to the confirm step", async () => {
    const outcome = await ask({ user: sessionOf(holder.id, new Date(Date.now() - 11 * 60_000)) });
    expect(outcome.status).toBe("signInAgain");
    const path = (outcome as { path: string }).path;
    expect(path.startsWith("/sign-in?again=1&callbackUrl=")).toBe(true);
    expect(decodeURIComponent(path.split("callbackUrl=")[1]!)).toBe(`/account/wallets/withdraw?offeringId=${world.offering.id}&linkedWalletId=${linked.linkedWalletId}&units=1&step=confirm`);
  });

  it("refuses a linked wallet that is not approved and allowlisted for this token, or is someone else's", async () => {
    const pending = await linkWallet(null, holder.id, world.offering.id, { approval: "requested", allowlisted: false });
    const notListed = await linkWallet(null, holder.id, world.offering.id, { allowlisted: false });
    const unlinked = await linkWallet(null, holder.id, world.offering.id, { active: false });
    const delisted = await linkWallet(null, holder.id, world.offering.id);
    await getDb().update(linkedWalletApprovals).set({ status: "removed", delistedAt: new Date() }).where(eq(linkedWalletApprovals.linkedWalletId, delisted.linkedWalletId));
    const someoneElses = await linkWallet(null, world.holders[1]!.id, world.offering.id);
    for (const wallet of [pending, notListed, unlinked, delisted, someoneElses]) {
      expect(await ask({ linkedWalletId: wallet.linkedWalletId, now: new Date(Date.now() + 3 * 86_400_000) })).toEqual({ status: "walletNotEligible" });
    }
  });
});

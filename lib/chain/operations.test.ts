import { and, eq, sql } from "drizzle-orm";
import type { Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";
import { getDb } from "@/db/client";
import { allocations, auditLog, chainTransactions, issuerStaff, ledgerEntries, offerings, orders, type Offering } from "@/db/schema";
import type { PaymentProvider } from "@/lib/payments/provider";
import { handleDisputeClosed, handleDisputeOpened } from "@/lib/orders/charge-events";
import { requestRefund } from "@/lib/orders/refund";
import { transitionOrder } from "@/lib/orders/transitions";
import { holderBalances } from "@/lib/register/ledger";
import { makeUser } from "@/test/fixtures";
import { as, form, run } from "@/test/session-mock";
import { makeInvestor, makeOfferingWithToken, makePaidOrder, startHardhatNode, testChainContext, type HardhatNode } from "@/test/chain-support";
import { freezeWalletAction, giveUpTransactionAction, pauseTokenAction, retryTransactionAction } from "@/app/(staff)/staff/offerings/[id]/chain/actions";
import { allocateWaiting } from "./allocate";
import { giveUpChainTransaction, listChainIssues, listGivenUpOrders, retryChainTransaction } from "./chain-issues";
import { clawbackOrder, freezeOrder, unfreezeOrder } from "./compliance";
import type { ChainContext } from "./context";
import { followOperation, queueTokenPause, queueWalletFreeze, readTokenState } from "./operations";
import { operatorOf, type Operator } from "./operator";
import { allocationHoldOf } from "./queries";
import { reconcileAll } from "./reconcile";
import { setTestSettings } from "@/test/settings";

let node: HardhatNode;
let ctx: ChainContext;
let op: Operator;
let offering: Offering;
let token: Address;
let staff: Awaited<ReturnType<typeof makeUser>>;

beforeAll(async () => {
  node = await startHardhatNode();
  // The actions read the chain through the settings: point them at this node before anything reads them.
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

const read = <F extends "paused" | "isFrozen" | "balanceOf" | "totalSupply">(functionName: F, ...args: Address[]) =>
  ctx.client.readContract({ address: token, abi: villageTokenAbi, functionName, args } as never) as Promise<F extends "paused" | "isFrozen" ? boolean : bigint>;

async function setPaused(paused: boolean) {
  const queued = await queueTokenPause(op, { offering, staffId: staff.id, paused, reason: "maintenance of the register" });
  if (!queued.ok) throw new Error(queued.error);
  await followOperation(ctx, queued.chainTransactionId);
}

async function allocated(units: number) {
  const investor = await makeInvestor(getDb());
  const order = await makePaidOrder(getDb(), { userId: investor.userId, offeringId: offering.id, units });
  await allocateWaiting(ctx);
  return { ...investor, order };
}

/** A paid order whose allocation the chain refuses: the token is paused when it goes out. */
async function refusedAllocation(units: number) {
  await setPaused(true);
  const investor = await makeInvestor(getDb());
  const order = await makePaidOrder(getDb(), { userId: investor.userId, offeringId: offering.id, units });
  await allocateWaiting(ctx);
  const [allocation] = await getDb().select().from(allocations).where(eq(allocations.orderId, order.id));
  return { ...investor, order, txId: allocation!.chainTransactionId! };
}

const auditsOf = (action: string, targetId: string) =>
  getDb()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.targetId, targetId)));

describe("pause and freeze", () => {
  it("pause and unpause are queued with their reason, sent by the worker, and change the token; the sale pauses with the token", async () => {
    await getDb().update(offerings).set({ status: "open" }).where(eq(offerings.id, offering.id));
    const queued = await queueTokenPause(op, { offering, staffId: staff.id, paused: true, reason: "council review" });
    if (!queued.ok) throw new Error(queued.error);
    // Nobody pays for tokens that could not be issued: the sale is paused in the same transaction.
    const [sale] = await getDb().select({ status: offerings.status }).from(offerings).where(eq(offerings.id, offering.id));
    expect(sale?.status).toBe("paused");
    expect(await auditsOf("offering.paused", offering.id)).toMatchObject([{ actorId: staff.id, detail: { because: "token_paused", reason: "council review" } }]);
    // Queued, not sent from the request: the chain is unchanged until the worker follows it.
    expect(await read("paused")).toBe(false);
    const [row] = await getDb().select().from(chainTransactions).where(eq(chainTransactions.id, queued.chainTransactionId));
    expect(row).toMatchObject({ kind: "pause", status: "pending" });
    await followOperation(ctx, queued.chainTransactionId);
    expect(await read("paused")).toBe(true);
    expect((await readTokenState(op, offering)).paused).toBe(true);
    expect(await queueTokenPause(op, { offering, staffId: staff.id, paused: true, reason: "again" })).toEqual({ ok: false, error: "alreadyPaused" });
    expect(await auditsOf("token.paused", offering.id)).toMatchObject([{ actorId: staff.id, detail: { reason: "council review", chainTransactionId: queued.chainTransactionId } }]);
    await setPaused(false);
    expect(await read("paused")).toBe(false);
    expect(await auditsOf("token.unpaused", offering.id)).toHaveLength(1);
  });

  it("freezes a holder's wallet by email and unfreezes it by address, not while a dispute is open", async () => {
    const { address, userId, order } = await allocated(3);
    const [holder] = await getDb().execute<{ email: string }>(sql`select email from users where id = ${userId}`);
    const frozen = await queueWalletFreeze(op, { offering, staffId: staff.id, holder: holder!.email, frozen: true, reason: "suspected account takeover" });
    if (!frozen.ok) throw new Error(frozen.error);
    expect(frozen.address).toBe(address);
    await followOperation(ctx, frozen.chainTransactionId);
    expect(await read("isFrozen", address)).toBe(true);
    expect((await readTokenState(op, offering)).frozen).toContainEqual({ address, email: holder!.email, units: 3 });
    expect(await auditsOf("wallet.frozen", userId)).toMatchObject([{ detail: { reason: "suspected account takeover", address } }]);

    await transitionOrder(getDb(), order.id, "disputed", { detail: { test: true } });
    expect(await queueWalletFreeze(op, { offering, staffId: staff.id, holder: address, frozen: false, reason: "cleared" })).toEqual({ ok: false, error: "disputeOpen" });
    await transitionOrder(getDb(), order.id, "allocated", { from: ["disputed"], detail: { test: "won" } });
    const thawed = await queueWalletFreeze(op, { offering, staffId: staff.id, holder: address, frozen: false, reason: "cleared" });
    if (!thawed.ok) throw new Error(thawed.error);
    await followOperation(ctx, thawed.chainTransactionId);
    expect(await read("isFrozen", address)).toBe(false);
    expect(await queueWalletFreeze(op, { offering, staffId: staff.id, holder: "nobody@example.jp", frozen: true, reason: "x y z" })).toEqual({ ok: false, error: "notHolder" });
  });
});

describe("failed allocations", () => {
  it("are listed with their orders and a plain reason; retry sends them again once the cause is fixed", async () => {
    const { order, address, txId } = await refusedAllocation(4);
    expect((await getDb().select().from(orders).where(eq(orders.id, order.id)))[0]!.status).toBe("allocating");
    const issues = await listChainIssues(op, offering);
    const issue = issues.find((candidate) => candidate.id === txId);
    expect(issue).toMatchObject({ kind: "allocate", state: "failed", plain: "paused", orders: [{ id: order.id, units: 4 }] });
    expect(issue!.error).toMatch(/EnforcedPause/);
    expect(await allocationHoldOf((await getDb().select().from(orders).where(eq(orders.id, order.id)))[0]!)).toBe("delayed");

    await setPaused(false);
    expect(await retryChainTransaction(op, { offering, txId, staffId: staff.id })).toEqual({ ok: true });
    expect((await listChainIssues(op, offering)).map((candidate) => candidate.id)).not.toContain(txId);
    expect((await getDb().select().from(orders).where(eq(orders.id, order.id)))[0]!.status).toBe("paid");
    await allocateWaiting(ctx);
    expect((await getDb().select().from(orders).where(eq(orders.id, order.id)))[0]!.status).toBe("allocated");
    expect(await read("balanceOf", address)).toBe(4n);
    expect(await retryChainTransaction(op, { offering, txId, staffId: staff.id })).toEqual({ ok: false, error: "notOpen" });
    expect(await auditsOf("chain.transaction_retried", txId)).toHaveLength(1);
  });

  it("give up: the orders are refunded through the refund path and no longer wait for the chain", async () => {
    const { order, address, txId } = await refusedAllocation(2);
    await getDb()
      .update(orders)
      .set({ stripePaymentIntentId: `pi_${order.id}` })
      .where(eq(orders.id, order.id));
    const refunds: string[] = [];
    const refund = async (paymentIntentId: string) => {
      refunds.push(paymentIntentId);
      return { refundId: "re_test" };
    };
    const provider = { refund } as unknown as PaymentProvider;
    const result = await giveUpChainTransaction(op, { offering, txId, staffId: staff.id, reason: "token paused for weeks" }, (orderId, staffId) => requestRefund(orderId, staffId, provider));
    expect(result).toEqual({ ok: true, orderIds: [order.id], refundsRequested: 1 });
    expect(refunds).toEqual([`pi_${order.id}`]);
    expect(await getDb().select().from(allocations).where(eq(allocations.orderId, order.id))).toHaveLength(0);
    expect(await auditsOf("chain.transaction_given_up", txId)).toMatchObject([{ actorId: staff.id, detail: { reason: "token paused for weeks", orderIds: [order.id] } }]);
    expect(await auditsOf("order.refund_requested", order.id)).toHaveLength(1);
    expect((await listChainIssues(op, offering)).map((candidate) => candidate.id)).not.toContain(txId);
    expect((await listGivenUpOrders(getDb(), offering.id)).map((row) => row.id)).toEqual([order.id]);
    const [waiting] = await getDb().select().from(orders).where(eq(orders.id, order.id));
    expect(await allocationHoldOf(waiting!)).toBe("refunding");

    // Unpaused, the allocation job leaves it alone; the processor's refund then ends the order with nothing to claw back.
    await setPaused(false);
    await allocateWaiting(ctx);
    expect(await read("balanceOf", address)).toBe(0n);
    await transitionOrder(getDb(), order.id, "refunded", { detail: { test: true } });
    expect(await clawbackOrder(ctx, order.id)).toBe("nothing");
    expect(await listGivenUpOrders(getDb(), offering.id)).toHaveLength(0);
    expect(await giveUpChainTransaction(op, { offering, txId, staffId: staff.id, reason: "again" }, async () => ({ ok: true }))).toEqual({ ok: false, error: "notOpen" });
  });
});

describe("waiting transactions", () => {
  it("are listed; retry has the worker drive them; a waiting one given up is never sent", async () => {
    const queued = await queueTokenPause(op, { offering, staffId: staff.id, paused: true, reason: "audit of holders" });
    if (!queued.ok) throw new Error(queued.error);
    const txId = queued.chainTransactionId;
    expect((await listChainIssues(op, offering)).find((issue) => issue.id === txId)).toMatchObject({ kind: "pause", state: "waiting", status: "pending" });
    const jobs = async () => (await getDb().execute<{ n: number }>(sql`select count(*)::int as n from pgboss.job where name = 'chain.operation' and data->>'chainTransactionId' = ${txId}`))[0]!.n;
    expect(await jobs()).toBe(1);
    expect(await retryChainTransaction(op, { offering, txId, staffId: staff.id })).toEqual({ ok: true });
    expect(await jobs()).toBe(2);

    expect(await giveUpChainTransaction(op, { offering, txId, staffId: staff.id, reason: "not needed after all" })).toEqual({ ok: true, orderIds: [], refundsRequested: 0 });
    await followOperation(ctx, txId);
    expect(await read("paused")).toBe(false);
    const [row] = await getDb().select().from(chainTransactions).where(eq(chainTransactions.id, txId));
    expect(row).toMatchObject({ status: "failed", txHash: null, payload: { resolution: { action: "given_up", by: staff.id } } });
    expect((await listChainIssues(op, offering)).map((issue) => issue.id)).not.toContain(txId);
  });
});

describe("card disputes on the dev chain", () => {
  const event = (orderId: string, kind: "opened" | "won" | "lost") => {
    const base = { eventId: `evt_${kind}_${orderId}`, paymentIntentId: `pi_${orderId}`, chargeId: `ch_${orderId}`, disputeId: `dp_${orderId}` };
    return kind === "opened" ? { ...base, kind: "dispute_opened" as const, reason: "fraudulent" } : { ...base, kind: "dispute_closed" as const, outcome: kind, amountYen: 0 };
  };
  async function disputed(units: number) {
    const holder = await allocated(units);
    await getDb()
      .update(orders)
      .set({ stripePaymentIntentId: `pi_${holder.order.id}` })
      .where(eq(orders.id, holder.order.id));
    await getDb().transaction((tx) => handleDisputeOpened(tx, event(holder.order.id, "opened") as never, holder.order.id));
    expect(await freezeOrder(ctx, holder.order.id)).toBe("done");
    expect(await read("isFrozen", holder.address)).toBe(true);
    return holder;
  }

  it("won: the wallet is unfrozen on chain and the tokens stay", async () => {
    const { order, address } = await disputed(2);
    await getDb().transaction((tx) => handleDisputeClosed(tx, event(order.id, "won") as never, order.id));
    expect(await unfreezeOrder(ctx, order.id)).toBe("done");
    expect(await read("isFrozen", address)).toBe(false);
    expect(await read("balanceOf", address)).toBe(2n);
    expect((await getDb().select().from(orders).where(eq(orders.id, order.id)))[0]!.status).toBe("allocated");
  });

  it("lost: the units are clawed back, ledger and register follow, and supply on chain matches", async () => {
    const { order, address, userId } = await disputed(5);
    await getDb().transaction((tx) => handleDisputeClosed(tx, event(order.id, "lost") as never, order.id));
    expect(await clawbackOrder(ctx, order.id)).toBe("done");
    expect(await unfreezeOrder(ctx, order.id)).toBe("done");
    expect(await read("balanceOf", address)).toBe(0n);
    expect(await read("isFrozen", address)).toBe(false);
    const entries = await getDb().select({ kind: ledgerEntries.kind, units: ledgerEntries.units, yen: ledgerEntries.yen }).from(ledgerEntries).where(eq(ledgerEntries.orderId, order.id));
    expect(entries.filter((entry) => entry.kind === "tokens_clawed_back")).toEqual([{ kind: "tokens_clawed_back", units: -5, yen: 0 }]);
    expect(entries.reduce((sum, entry) => sum + entry.yen, 0)).toBe(0);
    const register = await holderBalances(getDb(), { offeringId: offering.id });
    expect(register.find((row) => row.userId === userId)).toBeUndefined();
    expect(Number(await read("totalSupply"))).toBe(register.reduce((sum, row) => sum + row.units, 0));
    expect(await reconcileAll(ctx)).toMatchObject({ reconcile: "ok", mismatches: [] });
  });
});

describe("staff of another issuer", () => {
  it("are refused every operation on the offering, and nothing changes", async () => {
    const { txId } = await refusedAllocation(1);
    await setPaused(false);
    const { address } = await allocated(1);
    const stranger = await makeUser("staff");
    const before = await getDb().select({ n: sql<number>`count(*)::int` }).from(chainTransactions);
    as.user = stranger;
    const fields = { offeringId: offering.id, reason: "not mine to touch" };
    for (const [action, data] of [
      [pauseTokenAction, { ...fields, paused: "true" }],
      [freezeWalletAction, { ...fields, frozen: "true", holder: address }],
      [retryTransactionAction, { offeringId: offering.id, chainTransactionId: txId }],
      [giveUpTransactionAction, { ...fields, chainTransactionId: txId }],
    ] as const) {
      expect(await run(action, form(data))).toMatchObject({ status: "error", message: "このオファリングは見つかりません。" });
    }
    expect(await getDb().select({ n: sql<number>`count(*)::int` }).from(chainTransactions)).toEqual(before);
    expect((await listChainIssues(op, offering)).map((issue) => issue.id)).toContain(txId);
    expect(await read("paused")).toBe(false);

    // The issuer's own staff may.
    as.user = staff;
    expect(await run(pauseTokenAction, form({ ...fields, paused: "true" }))).toMatchObject({ status: "ok" });
    expect(await run(pauseTokenAction, form({ offeringId: offering.id, paused: "false", reason: "" }))).toMatchObject({
      status: "invalid",
      fieldErrors: { reason: "理由を3文字以上で書いてください。" },
    });
  });
});

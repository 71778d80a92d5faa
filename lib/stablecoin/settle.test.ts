import { and, eq, sql } from "drizzle-orm";
import { createWalletClient, http, type Address } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";
import { yenStablecoinAbi } from "@/contracts/artifacts/YenStablecoin";
import { holderAddress } from "@/contracts/test-chain";
import { getDb } from "@/db/client";
import { auditLog, chainTransactions, ledgerEntries, notifications, offerings, orderEvents, orders, stablecoinPayments } from "@/db/schema";
import { allocateWaiting } from "@/lib/chain/allocate";
import { reconcileOffering } from "@/lib/chain/reconcile";
import { expireStaleReservations } from "@/lib/orders/expiry";
import type { PaymentProvider } from "@/lib/payments/provider";
import { freePort, HARDHAT_DEV_PRIVATE_KEYS } from "@/test/chain-support";
import { setTestSettings } from "@/test/settings";
import { coinBuyer, reservedCoinOrder, signedAuthorization, startCoinWorld, type CoinBuyer, type CoinWorld } from "@/test/stablecoin-world";
import { settlementFailure } from "./failure";
import { prepareStablecoinPayment, submitStablecoinPayment } from "./payment";
import { settleStablecoinPayment, sweepStablecoinPayments } from "./settle";

// The payment's balance check reads the chain through the settings: the node's port is fixed first.
const port = await freePort();
setTestSettings({ CHAIN_RPC_URL: `http://127.0.0.1:${port}` });

let world: CoinWorld;
beforeAll(async () => {
  world = await startCoinWorld(port);
});
afterAll(async () => world?.node.stop());

const db = () => getDb();
const noProcessor = {} as PaymentProvider; // stablecoin orders have no Checkout Session to expire

const coinsOf = (holder: Address) => world.ctx.client.readContract({ address: world.setup.stablecoin, abi: yenStablecoinAbi, functionName: "balanceOf", args: [holder] });
const tokensOf = (holder: Address) => world.ctx.client.readContract({ address: world.offering.token, abi: villageTokenAbi, functionName: "balanceOf", args: [holder] });
const isAllocated = (seq: number) => world.ctx.client.readContract({ address: world.offering.token, abi: villageTokenAbi, functionName: "isAllocated", args: [BigInt(seq)] });
const orderOf = async (id: string) => (await db().select().from(orders).where(eq(orders.id, id)))[0]!;
const offeringRow = async () => (await db().select().from(offerings).where(eq(offerings.id, world.offering.id)))[0]!;
const ledgerOf = (orderId: string) => db().select().from(ledgerEntries).where(eq(ledgerEntries.orderId, orderId));
const paymentOf = async (id: string) => (await db().select().from(stablecoinPayments).where(eq(stablecoinPayments.id, id)))[0]!;
const settlementsOf = (paymentId: string) =>
  db()
    .select()
    .from(chainTransactions)
    .where(and(eq(chainTransactions.kind, "settlement"), sql`${chainTransactions.payload}->'ref'->>'stablecoinPaymentId' = ${paymentId}`));
const ONE_COIN = 10n ** 18n;

/** Reserve, prepare, sign and submit (the balance check on unless `client` is null). */
async function submitted(buyer: CoinBuyer, units: number, options: { client?: null } = {}) {
  const order = await reservedCoinOrder({ userId: buyer.userId, offeringId: world.offering.id, units });
  const prepared = await prepareStablecoinPayment({ id: buyer.userId }, order.id, { from: buyer.payer.address });
  if (!prepared.ok) throw new Error(`prepare refused: ${prepared.error}`);
  const authorization = await signedAuthorization(buyer.payer, prepared.typedData);
  const result = await submitStablecoinPayment({ id: buyer.userId }, { orderId: order.id, authorization }, { client: options.client === null ? null : world.ctx.client });
  if (!result.ok) throw new Error(`submit refused: ${result.error}`);
  return { order, paymentId: result.paymentId, typedData: prepared.typedData };
}

describe("paying with the stablecoin: delivery versus payment", () => {
  it("pays and allocates in one chain transaction, recorded once, and reconciles", async () => {
    const buyer = await coinBuyer(world, 5_000);
    const before = await offeringRow();
    const payeeBefore = await coinsOf(world.payee);
    const { order, paymentId, typedData } = await submitted(buyer, 3);
    expect(typedData.message).toMatchObject({ to: world.setup.settlement, value: (3_000n * ONE_COIN).toString(), validAfter: "0" });
    expect((await orderOf(order.id)).status).toBe("awaiting_payment");

    expect(await settleStablecoinPayment(world.ctx, paymentId)).toBe("confirmed");
    const txs = await settlementsOf(paymentId);
    expect(txs).toHaveLength(1);
    expect(txs[0]).toMatchObject({ status: "confirmed", payload: expect.objectContaining({ contract: "VillageSettlement", functionName: "settleWithAuthorization" }) });
    expect(await paymentOf(paymentId)).toMatchObject({ status: "confirmed", chainTransactionId: txs[0]!.id });

    expect((await orderOf(order.id)).status).toBe("allocated");
    expect(await isAllocated(order.seq)).toBe(true);
    expect(await tokensOf(buyer.custodial)).toBe(3n);
    expect(await coinsOf(world.payee)).toBe(payeeBefore + 3_000n * ONE_COIN);
    expect(await coinsOf(buyer.payer.address)).toBe(2_000n * ONE_COIN);

    const ledger = await ledgerOf(order.id);
    expect(ledger.filter((entry) => entry.kind === "yen_received")).toMatchObject([{ yen: 3_000, detail: { method: "stablecoin", txHash: txs[0]!.txHash, payer: buyer.payer.address } }]);
    expect(ledger.filter((entry) => entry.kind === "tokens_allocated")).toMatchObject([{ units: 3, detail: { to: buyer.custodial, txHash: txs[0]!.txHash } }]);
    const after = await offeringRow();
    expect(after.reservedUnits).toBe(before.reservedUnits);
    expect(after.soldUnits).toBe(before.soldUnits + 3);

    const journey = await db().select().from(orderEvents).where(eq(orderEvents.orderId, order.id));
    expect(journey.map((event) => event.toStatus)).toEqual(["awaiting_payment", "paid", "allocating", "allocated"]);
    expect(journey.find((event) => event.toStatus === "paid")!.detail).toMatchObject({ txHash: txs[0]!.txHash, method: "stablecoin", dvp: true });
    const notices = await db().select({ kind: notifications.kind }).from(notifications).where(eq(notifications.orderId, order.id));
    expect(notices.map((notice) => notice.kind).sort()).toEqual(["payment_received", "tokens_allocated"]);
    expect(
      await db()
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, "stablecoin.settled"), eq(auditLog.targetId, order.id))),
    ).toHaveLength(1);

    // Nothing left for anyone: the job again, the sweep, the allocation job.
    expect(await settleStablecoinPayment(world.ctx, paymentId)).toBe("skipped");
    expect(await sweepStablecoinPayments(world.ctx)).toBe(0);
    expect(await allocateWaiting(world.ctx)).toMatchObject({ allocated: 0, transactions: 0 });
    expect(await ledgerOf(order.id)).toHaveLength(2);
    expect((await reconcileOffering(world.ctx, { id: world.offering.id, slug: "forest", token: world.offering.token })).status).toBe("ok");
  });

  it("refuses too little balance up front, and on chain when it gets through: nothing allocated, the order unpaid", async () => {
    const poor = await coinBuyer(world, 1_000);
    const order = await reservedCoinOrder({ userId: poor.userId, offeringId: world.offering.id, units: 2 });
    const prepared = await prepareStablecoinPayment({ id: poor.userId }, order.id);
    if (!prepared.ok) throw new Error(prepared.error);
    const authorization = await signedAuthorization(poor.payer, prepared.typedData);
    expect(await submitStablecoinPayment({ id: poor.userId }, { orderId: order.id, authorization }, { client: world.ctx.client })).toEqual({ ok: false, error: "notEnoughCoins" });

    // Without the early check (the chain unreadable then), the contract is the guard.
    const { order: unpaid, paymentId } = await submitted(poor, 2, { client: null });
    const reservedBefore = (await offeringRow()).reservedUnits;
    expect(await settleStablecoinPayment(world.ctx, paymentId)).toBe("failed");
    const payment = await paymentOf(paymentId);
    expect(payment.status).toBe("failed");
    expect(settlementFailure(payment.error)).toBe("insufficientBalance");
    expect((await orderOf(unpaid.id)).status).toBe("awaiting_payment");
    expect(await isAllocated(unpaid.seq)).toBe(false);
    expect(await ledgerOf(unpaid.id)).toEqual([]);
    expect((await offeringRow()).reservedUnits).toBe(reservedBefore);
    expect(await coinsOf(poor.payer.address)).toBe(1_000n * ONE_COIN);
    const [notice] = await db()
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, poor.userId), eq(notifications.kind, "stablecoin_payment_failed")));
    expect(notice?.detail).toMatchObject({ orderId: unpaid.id, reason: "ウォレットのJPYCの残高が足りませんでした。JPYCを補充してから、もう一度署名してください。" });
  });

  it("refuses an authorisation for less than the order, at submit and (forced through) on chain", async () => {
    const buyer = await coinBuyer(world, 5_000);
    const order = await reservedCoinOrder({ userId: buyer.userId, offeringId: world.offering.id, units: 2 });
    const prepared = await prepareStablecoinPayment({ id: buyer.userId }, order.id);
    if (!prepared.ok) throw new Error(prepared.error);
    const cheap = await signedAuthorization(buyer.payer, prepared.typedData, { value: (1_000n * ONE_COIN).toString() });
    expect(await submitStablecoinPayment({ id: buyer.userId }, { orderId: order.id, authorization: cheap }, { client: world.ctx.client })).toEqual({ ok: false, error: "mismatch" });

    // Past the server: the settlement asks the order's full price, which the signature does not cover.
    const [forced] = await db()
      .insert(stablecoinPayments)
      .values({ orderId: order.id, payer: buyer.payer.address, stablecoin: world.setup.stablecoin, amount: cheap.value, authorization: { kind: "eip3009", ...cheap } })
      .returning();
    expect(await settleStablecoinPayment(world.ctx, forced!.id)).toBe("failed");
    expect(settlementFailure((await paymentOf(forced!.id)).error)).toBe("invalidSignature");
    expect(await isAllocated(order.seq)).toBe(false);
    expect(await coinsOf(buyer.payer.address)).toBe(5_000n * ONE_COIN);
    expect(await ledgerOf(order.id)).toEqual([]);
  });

  it("a settlement reverted on chain leaves the order unpaid and its units reserved until expiry releases them", async () => {
    const buyer = await coinBuyer(world, 3_000);
    // The payer gets gas, to move the coins away between the simulation and the mining.
    const funder = createWalletClient({ account: privateKeyToAccount(HARDHAT_DEV_PRIVATE_KEYS[1]! as `0x${string}`), chain: hardhat, transport: http(world.node.rpcUrl) });
    await world.ctx.client.waitForTransactionReceipt({ hash: await funder.sendTransaction({ to: buyer.payer.address, value: 10n ** 17n }) });
    const payerWallet = createWalletClient({ account: buyer.payer, chain: hardhat, transport: http(world.node.rpcUrl) });
    const { order, paymentId } = await submitted(buyer, 3);
    const reserved = (await offeringRow()).reservedUnits;
    let moved = false;
    const ctx = {
      ...world.ctx,
      hooks: {
        beforeBroadcast: async (txId: string) => {
          const [row] = await db().select({ kind: chainTransactions.kind }).from(chainTransactions).where(eq(chainTransactions.id, txId));
          if (row?.kind !== "settlement" || moved) return;
          moved = true;
          const hash = await payerWallet.writeContract({ address: world.setup.stablecoin, abi: yenStablecoinAbi, functionName: "transfer", args: [holderAddress("elsewhere"), 3_000n * ONE_COIN] });
          await world.ctx.client.waitForTransactionReceipt({ hash });
        },
      },
    };
    expect(await settleStablecoinPayment(ctx, paymentId)).toBe("failed");
    const [tx] = await settlementsOf(paymentId);
    expect(moved).toBe(true);
    expect(tx).toMatchObject({ status: "failed", error: expect.stringContaining("reverted on chain") });
    const receipt = await world.ctx.client.getTransactionReceipt({ hash: tx!.txHash as `0x${string}` });
    expect(receipt.status).toBe("reverted");
    expect(settlementFailure((await paymentOf(paymentId)).error)).toBe("insufficientBalance");
    expect((await orderOf(order.id)).status).toBe("awaiting_payment");
    expect(await isAllocated(order.seq)).toBe(false);
    expect(await ledgerOf(order.id)).toEqual([]);
    expect((await offeringRow()).reservedUnits).toBe(reserved);

    // Not before its time; then expiry gives the units back.
    expect(await expireStaleReservations(new Date(), noProcessor)).toBe(0);
    expect((await orderOf(order.id)).status).toBe("awaiting_payment");
    await db()
      .update(orders)
      .set({ reservationExpiresAt: new Date(Date.now() - 1_000) })
      .where(eq(orders.id, order.id));
    expect(await expireStaleReservations(new Date(), noProcessor)).toBeGreaterThanOrEqual(1);
    expect((await orderOf(order.id)).status).toBe("expired");
    expect((await offeringRow()).reservedUnits).toBe(reserved - 3);
  });

  it("settles once when the job runs twice at the same time", async () => {
    const buyer = await coinBuyer(world, 2_000);
    const { order, paymentId } = await submitted(buyer, 2);
    const outcomes = await Promise.all([settleStablecoinPayment(world.ctx, paymentId), settleStablecoinPayment(world.ctx, paymentId)]);
    expect(outcomes.sort()).toEqual(["confirmed", "skipped"]);
    expect(await settlementsOf(paymentId)).toHaveLength(1);
    expect((await ledgerOf(order.id)).map((entry) => entry.kind).sort()).toEqual(["tokens_allocated", "yen_received"]);
    expect(await tokensOf(buyer.custodial)).toBe(2n);
  });

  it("refuses a second payment while one is on its way, and another investor's payment for my order", async () => {
    const buyer = await coinBuyer(world, 4_000);
    const { order, paymentId } = await submitted(buyer, 1);
    const again = await prepareStablecoinPayment({ id: buyer.userId }, order.id);
    expect(again).toEqual({ ok: false, error: "inFlight" });

    const other = await reservedCoinOrder({ userId: buyer.userId, offeringId: world.offering.id, units: 1 });
    const prepared = await prepareStablecoinPayment({ id: buyer.userId }, other.id);
    if (!prepared.ok) throw new Error(prepared.error);
    const [first, second] = await Promise.all(
      [0, 1].map(async () => submitStablecoinPayment({ id: buyer.userId }, { orderId: other.id, authorization: await signedAuthorization(buyer.payer, { ...prepared.typedData }) }, { client: null })),
    );
    expect([first, second].filter((result) => result!.ok)).toHaveLength(1);
    expect([first, second].find((result) => !result!.ok)).toEqual({ ok: false, error: "inFlight" });

    const intruder = await coinBuyer(world, 1_000);
    expect(await prepareStablecoinPayment({ id: intruder.userId }, order.id)).toEqual({ ok: false, error: "notFound" });
    const stolen = await signedAuthorization(intruder.payer, { ...prepared.typedData, message: { ...prepared.typedData.message, from: intruder.payer.address } });
    expect(await submitStablecoinPayment({ id: intruder.userId }, { orderId: other.id, authorization: stolen }, { client: null })).toEqual({ ok: false, error: "notFound" });
    expect(await settleStablecoinPayment(world.ctx, paymentId)).toBe("confirmed");
    expect(await sweepStablecoinPayments(world.ctx)).toBe(1);
    expect((await orderOf(other.id)).status).toBe("allocated");
  });

  it("expiry skips an order whose payment is on its way, and the settlement still lands", async () => {
    const buyer = await coinBuyer(world, 1_000);
    const { order, paymentId } = await submitted(buyer, 1);
    // Its time passes in the database only (the authorisation, valid on chain until the original time, still holds).
    await db()
      .update(orders)
      .set({ reservationExpiresAt: new Date(Date.now() - 1_000) })
      .where(eq(orders.id, order.id));
    await expireStaleReservations(new Date(), noProcessor);
    expect((await orderOf(order.id)).status).toBe("awaiting_payment");
    expect(await settleStablecoinPayment(world.ctx, paymentId)).toBe("confirmed");
    expect((await orderOf(order.id)).status).toBe("allocated");
  });
});

import { and, eq, sql } from "drizzle-orm";
import { getAddress, keccak256, slice, toHex, type Address } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { beforeAll, describe, expect, it } from "vitest";
import { as, form, run } from "../session-mock";
import { approvedInvestor, demoOffering } from "../orders/harness";
import { reservedCoinOrder, signedAuthorization } from "../stablecoin-world";
import { getDb } from "@/db/client";
import { linkedWallets, offerings, orders, platformContracts, stablecoinPayments, villages, type Offering } from "@/db/schema";
import { buyAction } from "@/app/(public)/offerings/[slug]/actions";
import { prepareStablecoinAction, submitStablecoinAction } from "@/app/(investor)/orders/[id]/actions";
import type { SessionUser } from "@/lib/auth/roles";
import { translator } from "@/lib/i18n/catalog";
import { JOBS } from "@/lib/jobs/names";
import { currentDisclosure } from "@/lib/orders/reserve";
import type { PaymentTypedData, SubmittedAuthorization } from "@/lib/stablecoin/authorization";
import { setTestSettings } from "@/test/settings";

// Attacks on paying with the stablecoin, through the server actions: the order is only its owner's,
// and what was signed must be exactly what the order implies. No chain: the contracts' addresses are
// recorded as the dev chain would (the balance check finds no node and leaves it to the contract).
setTestSettings({ CHAIN_RPC_URL: "http://127.0.0.1:9" });

const t = translator("ja");
const address = (label: string): Address => getAddress(slice(keccak256(toHex(label)), 12));
const STABLECOIN = address("stablecoin");
const SETTLEMENT = address("settlement");

let offering: Offering;
let disclosureId: string;
type Buyer = SessionUser & { payer: PrivateKeyAccount };

async function buyerWithWallet(): Promise<Buyer> {
  const user = await approvedInvestor();
  const payer = privateKeyToAccount(generatePrivateKey());
  await getDb().insert(linkedWallets).values({ userId: user.id, address: payer.address, siweMessage: "linked in a test", signature: "0x" });
  return { ...user, payer };
}

async function typedDataFor(buyer: Buyer, orderId: string): Promise<PaymentTypedData> {
  as.user = buyer;
  const prepared = await run(prepareStablecoinAction, form({ orderId, from: buyer.payer.address }));
  if (!("status" in prepared) || prepared.status !== "ok") throw new Error(`prepare refused: ${JSON.stringify(prepared)}`);
  return (prepared.data as { typedData: PaymentTypedData }).typedData;
}

const submit = (authorization: SubmittedAuthorization, orderId: string) => run(submitStablecoinAction, form({ orderId, ...authorization }));
const order = (buyer: Buyer, units = 2) => reservedCoinOrder({ userId: buyer.id, offeringId: offering.id, units });
const paymentsOf = (orderId: string) => getDb().select().from(stablecoinPayments).where(eq(stablecoinPayments.orderId, orderId));
const refusal = (key: Parameters<typeof t>[0]) => ({ status: "error", message: t(key) });

beforeAll(async () => {
  offering = await demoOffering();
  disclosureId = (await currentDisclosure(offering.id))!.id;
  await getDb()
    .update(villages)
    .set({ stablecoinPayee: address("treasury") })
    .where(eq(villages.id, offering.villageId));
  await getDb()
    .insert(platformContracts)
    .values([
      { chainId: 31337, name: "stablecoin", address: STABLECOIN, detail: { decimals: 18, eip712Name: "JPY Coin (dev)", eip712Version: "1" } },
      { chainId: 31337, name: "settlement", address: SETTLEMENT },
    ])
    .onConflictDoNothing();
});

describe("choosing the stablecoin when buying", () => {
  it("reserves like a card order but opens no Checkout Session: the buyer goes to the order to sign", async () => {
    const buyer = await buyerWithWallet();
    as.user = buyer;
    const before = (await getDb().select().from(offerings).where(eq(offerings.id, offering.id)))[0]!.reservedUnits;
    const result = await run(buyAction, form({ offeringId: offering.id, units: "2", disclosureId, confirmDisclosure: "on", paymentMethod: "stablecoin" }));
    const [placed] = await getDb().select().from(orders).where(eq(orders.userId, buyer.id));
    expect(result).toEqual({ redirect: `/orders/${placed!.id}` });
    expect(placed).toMatchObject({ paymentMethod: "stablecoin", status: "reserved", stripeCheckoutSessionId: null, units: 2, amountYen: 2 * offering.priceYen });
    expect((await getDb().select().from(offerings).where(eq(offerings.id, offering.id)))[0]!.reservedUnits).toBe(before + 2);
  });

  it("is refused by the server to a buyer without a linked wallet, whatever the form says", async () => {
    const walletless = await approvedInvestor();
    as.user = walletless;
    expect(await run(buyAction, form({ offeringId: offering.id, units: "1", disclosureId, confirmDisclosure: "on", paymentMethod: "stablecoin" }))).toEqual(refusal("stablecoin.buy.unavailable"));
    expect(await getDb().select().from(orders).where(eq(orders.userId, walletless.id))).toEqual([]);
    expect(await run(buyAction, form({ offeringId: offering.id, units: "1", disclosureId, confirmDisclosure: "on", paymentMethod: "bitcoin" }))).toMatchObject({ status: "invalid" });
  });
});

describe("signing and submitting the payment", () => {
  let owner: Buyer;
  let intruder: Buyer;
  beforeAll(async () => {
    [owner, intruder] = [await buyerWithWallet(), await buyerWithWallet()];
  });

  it("gives the owner the authorisation to sign, and nobody else", async () => {
    const mine = await order(owner);
    const typed = await typedDataFor(owner, mine.id);
    expect(typed.domain).toEqual({ name: "JPY Coin (dev)", version: "1", chainId: 31337, verifyingContract: STABLECOIN });
    expect(typed.message).toMatchObject({
      from: owner.payer.address,
      to: SETTLEMENT,
      value: (2_000n * 10n ** 18n).toString(),
      validAfter: "0",
      validBefore: String(Math.floor(mine.reservationExpiresAt.getTime() / 1000)),
    });
    expect(typed.message.nonce).toMatch(/^0x[0-9a-f]{64}$/);

    as.user = intruder;
    expect(await run(prepareStablecoinAction, form({ orderId: mine.id }))).toEqual(refusal("stablecoin.errors.notFound"));
    as.user = owner;
    expect(await run(prepareStablecoinAction, form({ orderId: mine.id, from: intruder.payer.address }))).toEqual(refusal("stablecoin.errors.walletNotLinked"));
    as.user = null;
    expect(await run(prepareStablecoinAction, form({ orderId: mine.id }))).toEqual(refusal("errors.signInRequired"));
  });

  it("refuses what does not match the order: amount, recipient, deadline, signer, wallet", async () => {
    const mine = await order(owner);
    const typed = await typedDataFor(owner, mine.id);
    as.user = owner;
    const tampered = [{ value: (1n * 10n ** 18n).toString() }, { to: address("attacker") }, { validBefore: String(Number(typed.message.validBefore) + 86_400) }, { validAfter: "1" }];
    for (const change of tampered) expect(await submit(await signedAuthorization(owner.payer, typed, change), mine.id)).toEqual(refusal("stablecoin.errors.mismatch"));
    // Signed by another key in the name of the owner's wallet.
    const forged = { ...(await signedAuthorization(intruder.payer, typed)), from: owner.payer.address };
    expect(await submit(forged, mine.id)).toEqual(refusal("stablecoin.errors.badSignature"));
    // A wallet the owner never linked, signing for itself.
    const stranger = privateKeyToAccount(generatePrivateKey());
    expect(await submit(await signedAuthorization(stranger, typed, { from: stranger.address }), mine.id)).toEqual(refusal("stablecoin.errors.walletNotLinked"));
    expect(await submit({ ...(await signedAuthorization(owner.payer, typed)), signature: "0x1234" }, mine.id)).toMatchObject({ status: "invalid" });
    expect(await paymentsOf(mine.id)).toEqual([]);
    expect((await getDb().select().from(orders).where(eq(orders.id, mine.id)))[0]!.status).toBe("reserved");
  });

  it("takes the owner's signed payment once; another investor cannot pay for it, nor a second payment follow", async () => {
    const mine = await order(owner);
    const typed = await typedDataFor(owner, mine.id);
    const good = await signedAuthorization(owner.payer, typed);

    // The intruder signs a valid authorisation of their own for my order.
    as.user = intruder;
    expect(await submit(await signedAuthorization(intruder.payer, typed, { from: intruder.payer.address }), mine.id)).toEqual(refusal("stablecoin.errors.notFound"));

    as.user = owner;
    expect(await submit(good, mine.id)).toEqual({ status: "ok", message: t("stablecoin.pay.sent") });
    const [payment] = await paymentsOf(mine.id);
    expect(payment).toMatchObject({ status: "submitted", payer: owner.payer.address, amount: typed.message.value, chainTransactionId: null });
    expect((await getDb().select().from(orders).where(eq(orders.id, mine.id)))[0]!.status).toBe("awaiting_payment");
    const queued = await getDb().execute<{ data: { paymentId: string } }>(sql`select data from pgboss.job where name = ${JOBS.stablecoinSettle} and data->>'paymentId' = ${payment!.id}`);
    expect(queued).toHaveLength(1);
    // Nothing queues the regular allocation for it.
    expect(await getDb().execute(sql`select 1 from pgboss.job where name = ${JOBS.allocate} and data->>'orderId' = ${mine.id}`)).toHaveLength(0);

    expect(await submit(good, mine.id)).toEqual(refusal("stablecoin.errors.inFlight"));
    expect(await submit(await signedAuthorization(owner.payer, withFreshNonce(typed)), mine.id)).toEqual(refusal("stablecoin.errors.inFlight"));
    expect(await paymentsOf(mine.id)).toHaveLength(1);
  });

  it("refuses a card order, an expired reservation and a paid order", async () => {
    as.user = owner;
    const [card] = await getDb()
      .insert(orders)
      .values({ userId: owner.id, offeringId: offering.id, units: 1, amountYen: 1_000, reservationExpiresAt: new Date(Date.now() + 600_000) })
      .returning();
    expect(await run(prepareStablecoinAction, form({ orderId: card!.id }))).toEqual(refusal("stablecoin.errors.notStablecoin"));

    const late = await order(owner, 1);
    const typed = await typedDataFor(owner, late.id);
    await getDb()
      .update(orders)
      .set({ reservationExpiresAt: new Date(Date.now() - 1_000) })
      .where(eq(orders.id, late.id));
    expect(await submit(await signedAuthorization(owner.payer, typed), late.id)).toEqual(refusal("stablecoin.errors.expired"));

    const paid = await order(owner, 1);
    const paidTyped = await typedDataFor(owner, paid.id);
    await getDb()
      .update(orders)
      .set({ status: "allocated" })
      .where(and(eq(orders.id, paid.id)));
    expect(await submit(await signedAuthorization(owner.payer, paidTyped), paid.id)).toEqual(refusal("stablecoin.errors.notOpen"));
  });
});

/** The same terms under a new nonce, as a second "sign" click would bring (prepare itself refuses while one is in flight). */
function withFreshNonce(typed: PaymentTypedData): PaymentTypedData {
  return { ...typed, message: { ...typed.message, nonce: keccak256(toHex(`again-${Math.random()}`)) } };
}

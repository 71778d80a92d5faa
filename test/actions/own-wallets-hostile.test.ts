import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { getAddress, zeroAddress, type Address } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { as, form, run } from "@/test/session-mock";
import { walletChallengeAction } from "@/app/(investor)/account/wallets/actions";
import { requestWithdrawalAction } from "@/app/(investor)/account/wallets/withdraw/actions";
import { prepareStablecoinAction, submitStablecoinAction } from "@/app/(investor)/orders/[id]/actions";
import { getDb } from "@/db/client";
import {
  chainTransactions,
  ledgerEntries,
  linkedWallets,
  notifications,
  offerings,
  orders,
  platformContracts,
  siweNonces,
  stablecoinPayments,
  villages,
  withdrawals,
  type Offering,
} from "@/db/schema";
import { demoIssuerAccount } from "@/lib/chain/context";
import { translator } from "@/lib/i18n/catalog";
import type { PaymentTypedData } from "@/lib/stablecoin/authorization";
import { settleStablecoinPayment } from "@/lib/stablecoin/settle";
import { linkWallet, MAX_ACTIVE_LINKS } from "@/lib/wallet-links/link";
import { issueSiweChallenge } from "@/lib/wallet-links/siwe";
import { requestWithdrawal, MAX_WITHDRAWALS_PER_DAY } from "@/lib/withdrawals/request";
import { makeInvestor, testChainContext } from "@/test/chain-support";
import { setTestSettings } from "@/test/settings";
import { reservedCoinOrder, signedAuthorization } from "@/test/stablecoin-world";
import { linkWallet as linkedForWithdrawal, sessionOf } from "@/test/withdrawal-world";
import { TOKEN_A, twoIssuerWorld } from "./attack-world";
import { approvedInvestor, browserWallet, linksOf, signedChallenge } from "./own-wallets-world";

// An attacker's second pass over own wallets, withdrawals and the stablecoin payment: addresses
// that are not anyone's "own" wallet, unbounded links and challenges, many tiny withdrawals paid
// for with the operator's gas, the issuer's treasury paying itself, and a settlement of an order
// that is no longer open. No chain: a dead node makes any chain step fail fast.
setTestSettings({ CHAIN_RPC_URL: "http://127.0.0.1:9" });

const ja = translator("ja");
const en = translator("en");
let offeringA: Offering;

beforeAll(async () => {
  ({ offeringA } = await twoIssuerWorld());
});

beforeEach(() => {
  as.locale = "ja";
});

const challenge = (address: string) => run(walletChallengeAction, form({ address }));

describe("what may be linked as an own wallet", () => {
  it("refuses the zero address, the operator, a token contract and someone's custodial wallet before any challenge is issued", async () => {
    const investor = await approvedInvestor();
    as.user = investor;
    const custodial = (await makeInvestor(getDb())).address;
    for (const address of [zeroAddress, demoIssuerAccount().address, TOKEN_A, custodial.toLowerCase()]) {
      expect(await challenge(address)).toEqual({ status: "error", message: ja("ownWallets.refusals.reservedAddress") });
    }
    as.locale = "en";
    expect(await challenge(demoIssuerAccount().address)).toEqual({ status: "error", message: en("ownWallets.refusals.reservedAddress") });
    const issued = await getDb().select().from(siweNonces).where(eq(siweNonces.userId, investor.id));
    expect(issued).toEqual([]);
  });

  it("refuses a signed proof for the operator's public dev key and for the issuer's stablecoin treasury", async () => {
    const investor = await approvedInvestor();
    // The operator's key is Hardhat's public one: anyone can sign for it.
    const operator = demoIssuerAccount();
    const forOperator = await issueSiweChallenge(investor.id, operator.address);
    if (!forOperator.ok) throw new Error(forOperator.reason);
    const signedByOperator = await operator.signMessage({ message: forOperator.message });
    expect(await linkWallet(investor.id, forOperator.message, signedByOperator)).toEqual({ ok: false, reason: "reservedAddress" });

    const treasury = browserWallet();
    await getDb().update(villages).set({ stablecoinPayee: treasury.address }).where(eq(villages.id, offeringA.villageId));
    try {
      const signed = await signedChallenge(investor.id, treasury);
      expect(await linkWallet(investor.id, signed.message, signed.signature)).toEqual({ ok: false, reason: "reservedAddress" });
    } finally {
      await getDb().update(villages).set({ stablecoinPayee: null }).where(eq(villages.id, offeringA.villageId));
    }
    expect(await linksOf(investor.id)).toEqual([]);
  });

  it(`links at most ${MAX_ACTIVE_LINKS} wallets at once; the same address again stays one link, and an unlink makes room`, async () => {
    const investor = await approvedInvestor();
    const wallets = Array.from({ length: MAX_ACTIVE_LINKS }, () => browserWallet());
    for (const wallet of wallets) {
      const signed = await signedChallenge(investor.id, wallet);
      expect(await linkWallet(investor.id, signed.message, signed.signature)).toMatchObject({ ok: true, created: true });
    }
    const extra = await signedChallenge(investor.id, browserWallet());
    expect(await linkWallet(investor.id, extra.message, extra.signature)).toEqual({ ok: false, reason: "tooManyWallets" });
    const again = await signedChallenge(investor.id, wallets[0]!);
    expect(await linkWallet(investor.id, again.message, again.signature)).toMatchObject({ ok: true, created: false });
    expect(await linksOf(investor.id)).toHaveLength(MAX_ACTIVE_LINKS);

    await getDb().update(linkedWallets).set({ status: "unlinked", unlinkedAt: new Date() }).where(eq(linkedWallets.address, wallets[1]!.address));
    const room = await signedChallenge(investor.id, browserWallet());
    expect(await linkWallet(investor.id, room.message, room.signature)).toMatchObject({ ok: true, created: true });
  });

  it("forgets expired challenges when a new one is asked for; the old signed message stays refused", async () => {
    const investor = await approvedInvestor();
    const wallet = browserWallet();
    const old = await signedChallenge(investor.id, wallet, new Date(Date.now() - 60 * 60_000));
    await signedChallenge(investor.id, browserWallet());
    const rows = await getDb().select().from(siweNonces).where(eq(siweNonces.userId, investor.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.expiresAt.getTime()).toBeGreaterThan(Date.now());
    expect(await linkWallet(investor.id, old.message, old.signature)).toEqual({ ok: false, reason: "expired" });
  });
});

describe("many small withdrawals", () => {
  async function holderWithWallet(units: number) {
    const investor = await makeInvestor(getDb());
    await getDb()
      .insert(ledgerEntries)
      .values({ kind: "tokens_allocated", offeringId: offeringA.id, userId: investor.userId, units, detail: { to: investor.address } });
    const wallet = await linkedForWithdrawal(null, investor.userId, offeringA.id);
    return { user: sessionOf(investor.userId), wallet };
  }

  const fields = (linkedWalletId: string) => form({ offeringId: offeringA.id, linkedWalletId, units: "1", requestKey: randomUUID() });

  it(`are refused past ${MAX_WITHDRAWALS_PER_DAY} a day per token (each may cost the operator gas); a failed one gives its turn back`, async () => {
    const { user, wallet } = await holderWithWallet(50);
    as.user = user;
    for (let i = 0; i < MAX_WITHDRAWALS_PER_DAY; i++) expect(await run(requestWithdrawalAction, fields(wallet.linkedWalletId))).toHaveProperty("redirect");
    expect(await run(requestWithdrawalAction, fields(wallet.linkedWalletId))).toEqual({ status: "error", message: ja("withdrawals.outcome.tooManyToday", { max: "5" }) });
    as.locale = "en";
    expect(await run(requestWithdrawalAction, fields(wallet.linkedWalletId))).toEqual({ status: "error", message: en("withdrawals.outcome.tooManyToday", { max: "5" }) });
    const mine = await getDb().select().from(withdrawals).where(eq(withdrawals.userId, user.id));
    expect(mine).toHaveLength(MAX_WITHDRAWALS_PER_DAY);

    await getDb().update(withdrawals).set({ status: "failed", error: "test" }).where(eq(withdrawals.id, mine[0]!.id));
    expect(await run(requestWithdrawalAction, fields(wallet.linkedWalletId))).toHaveProperty("redirect");
  });

  it("counts the Tokyo day: five just before midnight, one more just after", async () => {
    const { user, wallet } = await holderWithWallet(50);
    const late = new Date("2031-04-01T23:59:00+09:00");
    const early = new Date("2031-04-02T00:00:30+09:00");
    const ask = (now: Date) => requestWithdrawal({ user: { ...user, signedInAt: now }, offeringId: offeringA.id, linkedWalletId: wallet.linkedWalletId, units: 1, requestKey: randomUUID(), now });
    for (let i = 0; i < MAX_WITHDRAWALS_PER_DAY; i++) expect(await ask(late)).toMatchObject({ status: "requested" });
    expect(await ask(late)).toEqual({ status: "tooManyToday", max: MAX_WITHDRAWALS_PER_DAY });
    expect(await ask(early)).toMatchObject({ status: "requested" });
  });
});

describe("the stablecoin payment", () => {
  const address = (n: number): Address => getAddress(`0x${n.toString(16).padStart(40, "0")}`);

  beforeAll(async () => {
    await getDb()
      .insert(platformContracts)
      .values([
        { chainId: 31337, name: "stablecoin", address: address(0x5c01), detail: { decimals: 18, eip712Name: "JPY Coin (dev)", eip712Version: "1" } },
        { chainId: 31337, name: "settlement", address: address(0x5e77) },
      ])
      .onConflictDoNothing();
    await getDb()
      .update(villages)
      .set({ stablecoinPayee: address(0x7ea5) })
      .where(eq(villages.id, offeringA.villageId));
  });

  it("is refused when the payer is the issuer's treasury (it would pay itself and get the tokens)", async () => {
    const buyer = await approvedInvestor();
    const payer = privateKeyToAccount(generatePrivateKey());
    await getDb().insert(linkedWallets).values({ userId: buyer.id, address: payer.address, siweMessage: "linked in a test", signature: "0x" });
    const order = await reservedCoinOrder({ userId: buyer.id, offeringId: offeringA.id, units: 1 });
    as.user = buyer;
    const prepared = await run(prepareStablecoinAction, form({ orderId: order.id, from: payer.address }));
    const typed = (prepared as { data: { typedData: PaymentTypedData } }).data.typedData;
    const authorization = await signedAuthorization(payer, typed);

    // The village later names that very address as its treasury.
    await getDb().update(villages).set({ stablecoinPayee: payer.address }).where(eq(villages.id, offeringA.villageId));
    try {
      expect(await run(prepareStablecoinAction, form({ orderId: order.id, from: payer.address }))).toEqual({ status: "error", message: ja("stablecoin.errors.walletNotLinked") });
      expect(await run(submitStablecoinAction, form({ orderId: order.id, ...authorization }))).toEqual({ status: "error", message: ja("stablecoin.errors.mismatch") });
    } finally {
      await getDb()
        .update(villages)
        .set({ stablecoinPayee: address(0x7ea5) })
        .where(eq(villages.id, offeringA.villageId));
    }
    expect(await getDb().select().from(stablecoinPayments).where(eq(stablecoinPayments.orderId, order.id))).toEqual([]);
  });

  it("is not sent to the chain for an order no longer open: the payment fails, the buyer is told, nothing is queued", async () => {
    const buyer = await makeInvestor(getDb());
    const payer = privateKeyToAccount(generatePrivateKey());
    const order = await reservedCoinOrder({ userId: buyer.userId, offeringId: offeringA.id, units: 1 });
    const [payment] = await getDb()
      .insert(stablecoinPayments)
      .values({
        orderId: order.id,
        payer: payer.address,
        stablecoin: address(0x5c01),
        amount: "1000000000000000000000",
        authorization: { kind: "eip3009", from: payer.address, to: address(0x5e77), value: "1", validAfter: "0", validBefore: "1", nonce: `0x${"1".repeat(64)}`, signature: `0x${"2".repeat(130)}` },
      })
      .returning();
    // Released by a path that did not wait for the payment: its units may be someone else's by now.
    await getDb().update(orders).set({ status: "expired" }).where(eq(orders.id, order.id));
    await getDb()
      .update(offerings)
      .set({ reservedUnits: sql`${offerings.reservedUnits} - 1` })
      .where(eq(offerings.id, offeringA.id));

    const ctx = testChainContext(getDb(), "http://127.0.0.1:9", { waitTimeoutMs: 1_000 });
    expect(await settleStablecoinPayment(ctx, payment!.id)).toBe("failed");
    const [after] = await getDb().select().from(stablecoinPayments).where(eq(stablecoinPayments.id, payment!.id));
    expect(after).toMatchObject({ status: "failed", error: expect.stringContaining("expired"), chainTransactionId: null });
    expect(await getDb().select().from(chainTransactions).where(sql`${chainTransactions.payload}->'ref'->>'stablecoinPaymentId' = ${payment!.id}`)).toEqual([]);
    expect((await getDb().select().from(orders).where(eq(orders.id, order.id)))[0]!.status).toBe("expired");
    const told = await getDb()
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, buyer.userId), eq(notifications.kind, "stablecoin_payment_failed")));
    expect(told).toHaveLength(1);
  });
});

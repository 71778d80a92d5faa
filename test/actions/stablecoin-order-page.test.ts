import { eq } from "drizzle-orm";
import type { ReactNode } from "react";
import { renderToReadableStream } from "react-dom/server";
import { getAddress, keccak256, slice, toHex, type Address } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { approvedInvestor, demoOffering } from "../orders/harness";
import { reservedCoinOrder } from "../stablecoin-world";
import { getDb } from "@/db/client";
import { chainTransactions, linkedWallets, orderEvents, orders, platformContracts, stablecoinPayments, villages, type Offering } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/roles";
import { createWalletFor } from "@/lib/custody/wallets";
import { env } from "@/lib/env";
import { translator } from "@/lib/i18n/catalog";
import { setTestSettings } from "@/test/settings";

// The order page of a stablecoin order, as its buyer reads it: the pay step, a failed payment's
// reason, and the journey showing the payment and the tokens as one transaction.

setTestSettings({ CHAIN_RPC_URL: "http://127.0.0.1:9" });
const who: { user: SessionUser | null; locale: "ja" | "en" } = { user: null, locale: "en" };
vi.mock("@/lib/auth/session", () => ({ getCurrentUser: async () => who.user, requireUser: async () => who.user }));
vi.mock("@/lib/i18n/server", async () => {
  const { translator: make } = await import("@/lib/i18n/catalog");
  return { getLocale: async () => who.locale, getTranslator: async () => ({ locale: who.locale, t: make(who.locale) }) };
});
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
vi.mock("next/navigation", async (original) => ({ ...(await original<object>()), useRouter: () => ({ refresh: () => {} }) }));

const html = async (node: ReactNode) => new Response(await renderToReadableStream(node)).text();
const text = (page: string) =>
  page
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;/g, "'")
    .replace(/\s+/g, " ");
const orderPage = async (id: string) => html(await (await import("@/app/(investor)/orders/[id]/page")).default({ params: Promise.resolve({ id }), searchParams: Promise.resolve({}) }));
const address = (label: string): Address => getAddress(slice(keccak256(toHex(label)), 12));
const en = translator("en");

let offering: Offering;
let buyer: SessionUser;
let payer: Address;
let custodial: string;

beforeAll(async () => {
  offering = await demoOffering();
  await getDb()
    .update(villages)
    .set({ stablecoinPayee: address("treasury") })
    .where(eq(villages.id, offering.villageId));
  await getDb()
    .insert(platformContracts)
    .values([
      { chainId: 31337, name: "stablecoin", address: address("stablecoin"), detail: { decimals: 18, eip712Name: "JPY Coin (dev)", eip712Version: "1" } },
      { chainId: 31337, name: "settlement", address: address("settlement") },
    ])
    .onConflictDoNothing();
  buyer = await approvedInvestor();
  payer = privateKeyToAccount(generatePrivateKey()).address;
  await getDb().insert(linkedWallets).values({ userId: buyer.id, address: payer, siweMessage: "linked in a test", signature: "0x" });
  custodial = getAddress((await createWalletFor(getDb(), buyer.id, env().custodyMasterKeys)).address);
});

describe("a stablecoin order's page", () => {
  it("asks its buyer to sign, saying what is paid from where and where the tokens go", async () => {
    const order = await reservedCoinOrder({ userId: buyer.id, offeringId: offering.id, units: 2 });
    who.user = buyer;
    const raw = await orderPage(order.id);
    const page = text(raw);
    expect(page).toContain(en("stablecoin.pay.amountValue", { amount: "2,000" }));
    // Addresses are shown with their first and last characters emphasised: read them without those marks.
    const addresses = text(raw.replace(/<\/?(?:strong|span)[^>]*>/g, ""));
    expect(addresses).toContain(payer);
    expect(addresses).toContain(custodial);
    expect(page).toContain(`${2_000n * 10n ** 18n}`);
    expect(page).toContain(en("stablecoin.pay.balance", { amount: "2,000" }));
    expect(page).toContain(en("stablecoin.pay.sign"));
  });

  it("tells why the last payment failed and offers to sign again; says so while one is on its way", async () => {
    const order = await reservedCoinOrder({ userId: buyer.id, offeringId: offering.id, units: 1 });
    const authorization = { kind: "eip3009" as const, from: payer, to: address("settlement"), value: "1", validAfter: "0", validBefore: "1", nonce: `0x${"1".repeat(64)}`, signature: "0x" };
    await getDb()
      .insert(stablecoinPayments)
      .values({ orderId: order.id, payer, stablecoin: address("stablecoin"), amount: "1", authorization, status: "failed", error: "refused in simulation: ERC20InsufficientBalance(0x1, 0, 1)" });
    who.user = buyer;
    let page = text(await orderPage(order.id));
    expect(page).toContain(en("stablecoin.pay.failed", { reason: en("stablecoin.failure.insufficientBalance") }));
    expect(page).toContain(en("stablecoin.pay.tryAgain"));
    expect(page).toContain(en("stablecoin.pay.sign"));

    await getDb()
      .insert(stablecoinPayments)
      .values({ orderId: order.id, payer, stablecoin: address("stablecoin"), amount: "1", authorization });
    page = text(await orderPage(order.id));
    expect(page).toContain(en("stablecoin.pay.inFlight"));
    expect(page).not.toContain(en("stablecoin.pay.sign"));
  });

  it("shows the payment and the tokens as one step of the journey, with the transaction", async () => {
    const hash = `0x${"cd".repeat(32)}`;
    const [tx] = await getDb()
      .insert(chainTransactions)
      .values({ signer: address("operator"), chainId: 31337, kind: "settlement", status: "confirmed", txHash: hash })
      .returning();
    const [order] = await getDb()
      .insert(orders)
      .values({ userId: buyer.id, offeringId: offering.id, units: 3, amountYen: 3_000, status: "allocated", paymentMethod: "stablecoin", reservationExpiresAt: new Date() })
      .returning();
    const dvp = { txHash: hash, method: "stablecoin", dvp: true };
    await getDb()
      .insert(orderEvents)
      .values([
        { orderId: order!.id, fromStatus: null, toStatus: "reserved" },
        { orderId: order!.id, fromStatus: "reserved", toStatus: "awaiting_payment", detail: { method: "stablecoin" } },
        { orderId: order!.id, fromStatus: "awaiting_payment", toStatus: "paid", detail: dvp },
        { orderId: order!.id, fromStatus: "paid", toStatus: "allocating", detail: { ...dvp, step: "settled" } },
        { orderId: order!.id, fromStatus: "allocating", toStatus: "allocated", detail: { txHash: hash } },
      ]);
    await getDb()
      .insert(stablecoinPayments)
      .values({
        orderId: order!.id,
        payer,
        stablecoin: address("stablecoin"),
        amount: "3",
        status: "confirmed",
        chainTransactionId: tx!.id,
        authorization: { kind: "eip3009", from: payer, to: address("settlement"), value: "3", validAfter: "0", validBefore: "1", nonce: `0x${"2".repeat(64)}`, signature: "0x" },
      });
    who.user = buyer;
    const raw = await orderPage(order!.id);
    const page = text(raw);
    expect(page).toContain(en("stablecoin.journey.settled"));
    expect(page).toContain(en("stablecoin.journey.signed"));
    expect(raw).toContain(`/explorer/tx/${hash}`);
    // One step for both: reserved, signed, paid-and-delivered; no separate paid, issuing or issued step.
    const journey = raw.slice(raw.indexOf('data-testid="order-journey"'), raw.indexOf("</ol>"));
    expect(journey.match(/<li/g)).toHaveLength(3);
    for (const status of ["allocating", "allocated"] as const) expect(text(journey)).not.toContain(en(`orders.status.${status}`));
    expect(page).not.toContain(en("stablecoin.pay.sign"));
  });
});

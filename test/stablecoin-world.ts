// The stablecoin tests' world: a dev chain with a token, the stablecoin and the settlement contract,
// an issuer that takes the coin, buyers with a custodial wallet and a linked wallet of their own.
import "server-only";
import { eq, sql } from "drizzle-orm";
import { getAddress, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { getDb } from "@/db/client";
import { linkedWallets, offerings, orders, villages } from "@/db/schema";
import type { ChainContext } from "@/lib/chain/context";
import type { StablecoinSetup } from "@/lib/stablecoin/contracts";
import type { PaymentTypedData, SubmittedAuthorization } from "@/lib/stablecoin/authorization";
import { deployPlatformContracts, mintStablecoin } from "@/lib/stablecoin/platform";
import { holderAddress } from "@/contracts/test-chain";
import { makeInvestor, makeOfferingWithToken, startHardhatNode, testChainContext, type HardhatNode } from "./chain-support";

export type CoinWorld = { node: HardhatNode; ctx: ChainContext; offering: { id: string; token: Address }; setup: StablecoinSetup; payee: Address };

/** Starts the node (on `port`, which CHAIN_RPC_URL names), deploys everything and names the issuer's payee. */
export async function startCoinWorld(port: number): Promise<CoinWorld> {
  const node = await startHardhatNode({ port });
  const ctx = testChainContext(getDb(), node.rpcUrl);
  const offering = await makeOfferingWithToken(ctx);
  const setup = await deployPlatformContracts(ctx);
  const payee = holderAddress(`treasury-${offering.id}`);
  const [row] = await getDb().select({ villageId: offerings.villageId }).from(offerings).where(eq(offerings.id, offering.id));
  await getDb().update(villages).set({ stablecoinPayee: payee }).where(eq(villages.id, row!.villageId));
  return { node, ctx, offering, setup, payee };
}

export type CoinBuyer = { userId: string; custodial: Address; payer: PrivateKeyAccount };

/** An investor with a custodial wallet and a linked wallet holding `yen` of the stablecoin. */
export async function coinBuyer(world: Pick<CoinWorld, "ctx" | "setup">, yen: number): Promise<CoinBuyer> {
  const investor = await makeInvestor(getDb());
  const payer = privateKeyToAccount(generatePrivateKey());
  await getDb().insert(linkedWallets).values({ userId: investor.userId, address: payer.address, siweMessage: "linked in a test", signature: "0x" });
  if (yen > 0) await mintStablecoin(world.ctx, world.setup, payer.address, yen);
  return { userId: investor.userId, custodial: investor.address, payer };
}

/** A stablecoin order as placeOrder leaves it: reserved, its units taken from the cap. */
export async function reservedCoinOrder(input: { userId: string; offeringId: string; units: number; expiresAt?: Date }) {
  return getDb().transaction(async (tx) => {
    const [order] = await tx
      .insert(orders)
      .values({
        userId: input.userId,
        offeringId: input.offeringId,
        units: input.units,
        amountYen: input.units * 1_000,
        paymentMethod: "stablecoin",
        reservationExpiresAt: input.expiresAt ?? new Date(Date.now() + 30 * 60_000),
      })
      .returning();
    await tx
      .update(offerings)
      .set({ reservedUnits: sql`${offerings.reservedUnits} + ${input.units}` })
      .where(eq(offerings.id, input.offeringId));
    return order!;
  });
}

/** What the browser wallet does with the typed data: signs it (the domain's own type left to viem). */
async function signTyped(payer: PrivateKeyAccount, typed: PaymentTypedData): Promise<Hex> {
  const { EIP712Domain: _domain, ...types } = typed.types;
  return payer.signTypedData({
    domain: typed.domain,
    types,
    primaryType: typed.primaryType,
    message: { ...typed.message, value: BigInt(typed.message.value), validAfter: BigInt(typed.message.validAfter), validBefore: BigInt(typed.message.validBefore) },
  });
}

/** The signed authorisation as the form posts it. */
export async function signedAuthorization(payer: PrivateKeyAccount, typed: PaymentTypedData, change: Partial<PaymentTypedData["message"]> = {}): Promise<SubmittedAuthorization> {
  const message = { ...typed.message, ...change };
  const signature = await signTyped(payer, { ...typed, message });
  return { ...message, from: getAddress(message.from), signature };
}

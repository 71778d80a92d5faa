import "server-only";
import { encodeFunctionData, getAddress, type Address, type Hex } from "viem";
import { villageSettlementAbi } from "@/contracts/artifacts/VillageSettlement";
import type { Json, StablecoinAuthorization } from "@/db/schema";
import type { TxIntent } from "@/lib/chain/intents";
import { splitSignature } from "./authorization";

export type SettlementInput = {
  settlement: Address;
  token: Address;
  stablecoin: Address;
  order: { id: string; seq: number; units: number; offeringId: string };
  /** The buyer's custodial wallet: the tokens go there. */
  to: Address;
  payee: Address;
  /** Base units the order costs: from the order, never from the authorisation (a signature for less is then refused on chain). */
  amount: bigint;
  paymentId: string;
  authorization: StablecoinAuthorization;
};

const jsonArgs = (args: readonly unknown[]): Json[] => JSON.parse(JSON.stringify(args, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value))) as Json[];

/** settleWithAuthorization: the buyer's coins to the payee and the order's tokens to the buyer, in one transaction. */
export function settlementIntent(input: SettlementInput): TxIntent {
  const { authorization: auth, order } = input;
  const { v, r, s } = splitSignature(auth.signature as Hex);
  const delivery = { token: getAddress(input.token), orderSeq: BigInt(order.seq), to: getAddress(input.to), units: BigInt(order.units) };
  const payment = { stablecoin: getAddress(input.stablecoin), from: getAddress(auth.from), amount: input.amount, payee: getAddress(input.payee) };
  const signature = { validAfter: BigInt(auth.validAfter), validBefore: BigInt(auth.validBefore), nonce: auth.nonce as Hex, v, r, s };
  const args = [delivery, payment, signature] as const;
  const data = encodeFunctionData({ abi: villageSettlementAbi, functionName: "settleWithAuthorization", args });
  return {
    kind: "settlement",
    payload: {
      contract: "VillageSettlement",
      functionName: "settleWithAuthorization",
      args: jsonArgs(args),
      to: getAddress(input.settlement),
      data,
      ref: { orderIds: [order.id], seqs: [order.seq], stablecoinPaymentId: input.paymentId, offeringId: order.offeringId, token: getAddress(input.token).toLowerCase() },
    },
  };
}

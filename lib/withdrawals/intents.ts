import "server-only";
import { encodeFunctionData, getAddress, type Address } from "viem";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";
import type { TxIntent } from "@/lib/chain/intents";

/** The two transactions of a withdrawal: gas for the custodial wallet (from the operator), then its own transfer. */

type Ref = { withdrawalId: string; offeringId: string };

/** `transfer(to, units)` signed by the custodial key; args[0] names the receiving address (the explorer lists it there). */
export function withdrawalIntent(token: Address, input: Ref & { to: Address; units: number }): TxIntent {
  const to = getAddress(input.to);
  const data = encodeFunctionData({ abi: villageTokenAbi, functionName: "transfer", args: [to, BigInt(input.units)] });
  return {
    kind: "withdrawal",
    payload: {
      contract: "VillageToken",
      functionName: "transfer",
      args: [to, String(input.units)],
      to: getAddress(token),
      data,
      ref: { withdrawalId: input.withdrawalId, offeringId: input.offeringId },
    },
  };
}

/** Plain ETH from the operator to a custodial wallet, so it can pay for its transfer. */
export function gasTopupIntent(input: Ref & { to: Address; wei: bigint }): TxIntent {
  return {
    kind: "gas_topup",
    payload: {
      contract: "none",
      functionName: "",
      args: [],
      to: getAddress(input.to),
      data: "0x",
      value: input.wei.toString(),
      ref: { withdrawalId: input.withdrawalId, offeringId: input.offeringId },
    },
  };
}

import { toFunctionSelector, type Abi } from "viem";
import { villageSettlementAbi } from "@/contracts/artifacts/VillageSettlement";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";
import { yenStablecoinAbi } from "@/contracts/artifacts/YenStablecoin";

/**
 * Why a settlement failed, as one reason the buyer can act on. The signer queue stores the chain's
 * error as text: a custom error of the token is named in it, one of the stablecoin or the settlement
 * contract only as "revert data 0x<selector>…", which is read here by its selector.
 */

const SETTLEMENT_FAILURES = ["insufficientBalance", "invalidSignature", "expired", "notYetValid", "alreadyUsed", "alreadySettled", "notAllowlisted", "paused", "cancelled", "other"] as const;
export type SettlementFailure = (typeof SETTLEMENT_FAILURES)[number];

const BY_ERROR: Record<string, SettlementFailure> = {
  ERC20InsufficientBalance: "insufficientBalance",
  InvalidAuthorizationSignature: "invalidSignature",
  AuthorizationExpired: "expired",
  AuthorizationNotYetValid: "notYetValid",
  AuthorizationAlreadyUsed: "alreadyUsed",
  AlreadySettled: "alreadySettled",
  AlreadyAllocated: "alreadySettled",
  WalletNotAllowlisted: "notAllowlisted",
  WalletFrozen: "notAllowlisted",
  EnforcedPause: "paused",
};

function errorSelectors(abis: Abi[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const item of abis.flat()) {
    if (item.type !== "error") continue;
    map.set(toFunctionSelector(`${item.name}(${item.inputs.map((input) => input.type).join(",")})`), item.name);
  }
  return map;
}

let selectors: Map<string, string> | undefined;

export function settlementFailure(error: string | null | undefined): SettlementFailure {
  if (!error) return "other";
  if (/given up by staff/.test(error)) return "cancelled";
  const named = Object.keys(BY_ERROR).find((name) => new RegExp(`\\b${name}\\(`).test(error));
  if (named) return BY_ERROR[named]!;
  const data = /revert data (0x[0-9a-fA-F]{8})/.exec(error)?.[1]?.toLowerCase();
  if (data) {
    selectors ??= errorSelectors([villageSettlementAbi, yenStablecoinAbi, villageTokenAbi] as Abi[]);
    const name = selectors.get(data);
    if (name && BY_ERROR[name]) return BY_ERROR[name];
  }
  return "other";
}

import "server-only";
import { encodeDeployData, encodeFunctionData, getAddress, keccak256, toHex, type Address } from "viem";
import { villageSettlementAbi, villageSettlementBytecode } from "@/contracts/artifacts/VillageSettlement";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";
import { yenStablecoinAbi, yenStablecoinBytecode } from "@/contracts/artifacts/YenStablecoin";
import type { Json } from "@/db/schema";
import type { TxIntent } from "@/lib/chain/intents";

// Transactions of the stablecoin platform: its two contracts, the settlement's right to allocate, dev mints.

/** The dev chain's yen stablecoin: its ERC-20 name is also its EIP-712 domain name (ERC20Permit). */
const DEV_STABLECOIN = { name: "JPY Coin (dev)", symbol: "JPYC" } as const;

/** VillageToken's role for allocate(): keccak256("ISSUER_ROLE"). */
export const ISSUER_ROLE = keccak256(toHex("ISSUER_ROLE"));

const jsonArgs = (args: readonly unknown[]): Json[] => JSON.parse(JSON.stringify(args, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value))) as Json[];

export function deployStablecoinIntent(admin: Address): TxIntent {
  const args = [DEV_STABLECOIN.name, DEV_STABLECOIN.symbol, getAddress(admin)] as const;
  const data = encodeDeployData({ abi: yenStablecoinAbi, bytecode: yenStablecoinBytecode, args });
  return { kind: "platform_deploy", payload: { contract: "YenStablecoin", functionName: "constructor", args: jsonArgs(args), to: null, data, ref: { platform: "stablecoin" } } };
}

export function deploySettlementIntent(admin: Address): TxIntent {
  const args = [getAddress(admin)] as const;
  const data = encodeDeployData({ abi: villageSettlementAbi, bytecode: villageSettlementBytecode, args });
  return { kind: "platform_deploy", payload: { contract: "VillageSettlement", functionName: "constructor", args: jsonArgs(args), to: null, data, ref: { platform: "settlement" } } };
}

/** Lets the settlement contract allocate the token's units (VillageToken.grantRole(ISSUER_ROLE, settlement)). */
export function grantSettlementIntent(token: Address, settlement: Address): TxIntent {
  const args = [ISSUER_ROLE, getAddress(settlement)] as const;
  const data = encodeFunctionData({ abi: villageTokenAbi, functionName: "grantRole", args });
  return {
    kind: "grant_role",
    payload: { contract: "VillageToken", functionName: "grantRole", args: jsonArgs(args), to: getAddress(token), data, ref: { role: "ISSUER_ROLE", settlement: getAddress(settlement).toLowerCase() } },
  };
}

/** Dev chain only: `amount` base units of the stablecoin minted to `to`. */
export function mintStablecoinIntent(stablecoin: Address, to: Address, amount: bigint, ref: TxIntent["payload"]["ref"] = {}): TxIntent {
  const args = [getAddress(to), amount] as const;
  const data = encodeFunctionData({ abi: yenStablecoinAbi, functionName: "mint", args });
  return {
    kind: "stablecoin_mint",
    payload: { contract: "YenStablecoin", functionName: "mint", args: jsonArgs(args), to: getAddress(stablecoin), data, ref: { ...ref, to: getAddress(to).toLowerCase(), amount: amount.toString() } },
  };
}

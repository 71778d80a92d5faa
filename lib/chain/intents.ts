import "server-only";
import { encodeDeployData, encodeFunctionData, getAddress, type Address } from "viem";
import { villageTokenAbi, villageTokenBytecode } from "@/contracts/artifacts/VillageToken";
import type { Json, TxPayload } from "@/db/schema";
import type { ChainTxKind } from "./kinds";

export type { ChainTxKind };

export type TxIntent = { kind: ChainTxKind; payload: TxPayload };

export type AllocationItem = { orderId: string; seq: number; to: Address; units: number };

const jsonArgs = (args: readonly unknown[]): Json[] => JSON.parse(JSON.stringify(args, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value))) as Json[];

function call<const F extends string>(token: Address, functionName: F, args: readonly unknown[], kind: ChainTxKind, ref: TxPayload["ref"]): TxIntent {
  const data = encodeFunctionData({ abi: villageTokenAbi, functionName: functionName as never, args: args as never });
  return { kind, payload: { contract: "VillageToken", functionName, args: jsonArgs(args), to: getAddress(token), data, ref } };
}

export function deployTokenIntent(input: { name: string; symbol: string; admin: Address; offeringId: string }): TxIntent {
  const args = [input.name, input.symbol, getAddress(input.admin)] as const;
  const data = encodeDeployData({ abi: villageTokenAbi, bytecode: villageTokenBytecode, args });
  return { kind: "deploy", payload: { contract: "VillageToken", functionName: "constructor", args: jsonArgs(args), to: null, data, ref: { offeringId: input.offeringId } } };
}

/** One order goes out as `allocate`; several as one `allocateBatch`. */
export function allocateIntent(token: Address, items: AllocationItem[]): TxIntent {
  const ref = { orderIds: items.map((item) => item.orderId), seqs: items.map((item) => item.seq) };
  if (items.length === 1) {
    const [item] = items as [AllocationItem];
    return call(token, "allocate", [BigInt(item.seq), item.to, BigInt(item.units)], "allocate", ref);
  }
  return call(token, "allocateBatch", [items.map((item) => BigInt(item.seq)), items.map((item) => item.to), items.map((item) => BigInt(item.units))], "allocate", ref);
}

/** Allowlists the addresses, or with `allowed` false takes them off (kind "delist"; `ref` may say why). */
export function allowlistIntent(token: Address, addresses: Address[], allowed = true, ref: TxPayload["ref"] = {}): TxIntent {
  const kind = allowed ? "allowlist" : "delist";
  const full = { ...ref, addresses: addresses.map((address) => address.toLowerCase()) };
  if (addresses.length === 1) return call(token, "setAllowlisted", [addresses[0], allowed], kind, full);
  return call(token, "setAllowlistedBatch", [addresses, allowed], kind, full);
}

export function clawbackIntent(token: Address, input: { orderId: string; seq: number; from: Address; units: number }): TxIntent {
  return call(token, "clawback", [BigInt(input.seq), input.from, BigInt(input.units)], "clawback", { orderId: input.orderId });
}

export function freezeIntent(token: Address, input: { orderId: string; holder: Address }, frozen = true): TxIntent {
  return call(token, "setFrozen", [input.holder, frozen], frozen ? "freeze" : "unfreeze", { orderId: input.orderId, address: input.holder.toLowerCase() });
}

/** Staff operations on the token (lib/chain/operations.ts); `ref` names the offering and who asked. */
export function pauseIntent(token: Address, paused: boolean, ref: TxPayload["ref"]): TxIntent {
  return call(token, paused ? "pause" : "unpause", [], paused ? "pause" : "unpause", ref);
}

export function walletFreezeIntent(token: Address, holder: Address, frozen: boolean, ref: TxPayload["ref"]): TxIntent {
  return call(token, "setFrozen", [holder, frozen], frozen ? "freeze" : "unfreeze", { ...ref, address: holder.toLowerCase() });
}

export function forcedTransferIntent(token: Address, input: { from: Address; to: Address; units: number; requestId: string; offeringId: string }): TxIntent {
  return call(token, "forcedTransfer", [input.from, input.to, BigInt(input.units)], "forced_transfer", { forcedTransferId: input.requestId, offeringId: input.offeringId });
}

export type RedemptionItem = { burnId: string; seq: number; from: Address; units: number };

/** A bond's redemption burns (lib/bonds/redemption.ts): one holder as `redeem`, several as one `redeemBatch`. */
export function redeemIntent(token: Address, input: { runId: string; offeringId: string; items: RedemptionItem[] }): TxIntent {
  const { items } = input;
  const ref = { runId: input.runId, offeringId: input.offeringId, burnIds: items.map((item) => item.burnId), seqs: items.map((item) => item.seq) };
  if (items.length === 1) {
    const [item] = items as [RedemptionItem];
    return call(token, "redeem", [BigInt(item.seq), item.from, BigInt(item.units)], "redeem", ref);
  }
  return call(token, "redeemBatch", [items.map((item) => BigInt(item.seq)), items.map((item) => item.from), items.map((item) => BigInt(item.units))], "redeem", ref);
}

export type PerkBurnItem = { claimId: string; seq: number; from: Address; units: number };

/** Units given up for perks (lib/perks/burn.ts), in the same redeem-once bitmap as bond redemptions. */
export function perkBurnIntent(token: Address, input: { offeringId: string; items: PerkBurnItem[] }): TxIntent {
  const { items } = input;
  const ref = { offeringId: input.offeringId, perkClaimIds: items.map((item) => item.claimId), seqs: items.map((item) => item.seq) };
  if (items.length === 1) {
    const [item] = items as [PerkBurnItem];
    return call(token, "redeem", [BigInt(item.seq), item.from, BigInt(item.units)], "perk_burn", ref);
  }
  return call(token, "redeemBatch", [items.map((item) => BigInt(item.seq)), items.map((item) => item.from), items.map((item) => BigInt(item.units))], "perk_burn", ref);
}

export type PerkRestoreItem = { claimId: string; seq: number; to: Address; units: number };

/** Burned units of cancelled perk claims given back (lib/perks/restore.ts): an allocation keyed in the orders' bitmap. */
export function perkRestoreIntent(token: Address, input: { offeringId: string; items: PerkRestoreItem[] }): TxIntent {
  const { items } = input;
  const ref = { offeringId: input.offeringId, perkClaimIds: items.map((item) => item.claimId), seqs: items.map((item) => item.seq) };
  if (items.length === 1) {
    const [item] = items as [PerkRestoreItem];
    return call(token, "allocate", [BigInt(item.seq), item.to, BigInt(item.units)], "perk_restore", ref);
  }
  return call(token, "allocateBatch", [items.map((item) => BigInt(item.seq)), items.map((item) => item.to), items.map((item) => BigInt(item.units))], "perk_restore", ref);
}

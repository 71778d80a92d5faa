import "server-only";
import { zeroAddress, type Address } from "viem";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";
import type { ChainContext } from "@/lib/chain/context";
import { retrying } from "@/lib/chain/signer-queue";
import { deploymentBlock } from "@/lib/chain/token-reads";

/**
 * The token's holders at the end of a record date, read from the chain alone (see snapshot.ts for
 * the design): the last block before the cutoff by binary search over block timestamps, balances
 * folded from Transfer logs, and the fold checked against the contract's own totalSupply.
 */

/** Blocks per eth_getLogs call: public RPC providers refuse wider ranges. */
const LOG_CHUNK = 10_000n;

export type ChainHoldings = {
  blockNumber: bigint;
  /** False while the block has fewer confirmations than the context asks for: try again later. */
  final: boolean;
  /** Units per checksummed address, holders with units only. */
  balances: Map<Address, bigint>;
  /** totalSupply at the block. */
  supply: bigint;
};

/** A frozen snapshot to start from: its balances are the chain's at its block, checked then. */
export type SnapshotBase = { blockNumber: bigint; balances: Map<Address, bigint> };

const timestampOf = async (ctx: ChainContext, blockNumber: bigint) => (await retrying(ctx, () => ctx.client.getBlock({ blockNumber }))).timestamp;

/** The last block mined before `cutoff`, between `from` (inclusive) and the head; timestamps never decrease. */
async function lastBlockBefore(ctx: ChainContext, cutoff: Date, from: bigint, head: { number: bigint; timestamp: bigint }): Promise<bigint> {
  const target = BigInt(Math.floor(cutoff.getTime() / 1000));
  if (head.timestamp < target) return head.number;
  let lo = from;
  let hi = head.number;
  if ((await timestampOf(ctx, lo)) >= target) {
    // The token did not exist yet at the cutoff: the block before its deployment holds nothing of it.
    if (lo === 0n) throw new Error("the chain has no block before the record date");
    return lo - 1n;
  }
  // Invariant: block lo is before the cutoff, block hi is not.
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if ((await timestampOf(ctx, mid)) < target) lo = mid;
    else hi = mid;
  }
  return lo;
}

export async function chainHoldingsAt(ctx: ChainContext, token: Address, cutoff: Date, base: SnapshotBase | null): Promise<ChainHoldings> {
  const head = await retrying(ctx, () => ctx.client.getBlock({ blockTag: "latest" }));
  const start = base ? base.blockNumber : await deploymentBlock(ctx, token);
  const blockNumber = await lastBlockBefore(ctx, cutoff, start, { number: head.number, timestamp: head.timestamp });
  // Read at the pinned head (a recent block every node keeps), not at the snapshot block, which a
  // pruned node may no longer have: the supply then is the head's less what was minted since.
  const supplyAtHead = await retrying(ctx, () => ctx.client.readContract({ address: token, abi: villageTokenAbi, functionName: "totalSupply", blockNumber: head.number }));
  const balances = new Map(base?.balances ?? []);
  let mintedSince = 0n;
  for (let from = base ? base.blockNumber + 1n : start; from <= head.number; from += LOG_CHUNK) {
    const to = from + LOG_CHUNK - 1n < head.number ? from + LOG_CHUNK - 1n : head.number;
    const logs = await retrying(ctx, () => ctx.client.getContractEvents({ address: token, abi: villageTokenAbi, eventName: "Transfer", fromBlock: from, toBlock: to, strict: true }));
    for (const log of logs) {
      const { from: sender, to: receiver, value } = log.args;
      if (log.blockNumber > blockNumber) {
        if (sender === zeroAddress) mintedSince += value;
        if (receiver === zeroAddress) mintedSince -= value;
        continue;
      }
      if (sender !== zeroAddress) balances.set(sender, (balances.get(sender) ?? 0n) - value);
      if (receiver !== zeroAddress) balances.set(receiver, (balances.get(receiver) ?? 0n) + value);
    }
  }
  let sum = 0n;
  for (const [address, units] of balances) {
    if (units < 0n) throw new Error(`Transfer logs leave ${address} with ${units} units at block ${blockNumber}`);
    if (units === 0n) balances.delete(address);
    sum += units;
  }
  const supply = supplyAtHead - mintedSince;
  if (sum !== supply) throw new Error(`Transfer logs sum to ${sum} units at block ${blockNumber} but totalSupply there is ${supply}`);
  return { blockNumber, final: head.number - blockNumber + 1n >= BigInt(ctx.confirmations), balances, supply };
}

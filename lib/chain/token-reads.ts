import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Address, Hash, PublicClient } from "viem";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";
import { chainTransactions } from "@/db/schema";
import type { ChainContext } from "./context";
import { retrying } from "./signer-queue";

// Reads of the token. Concurrent calls share one JSON-RPC batch (see chainClient).

type Flag = "isAllocated" | "isClawedBack";
type WalletFlag = "isAllowlisted" | "isFrozen";

export function readSeqFlags(ctx: ChainContext, token: Address, functionName: Flag, seqs: number[]): Promise<boolean[]> {
  return retrying(ctx, () => Promise.all(seqs.map((seq) => ctx.client.readContract({ address: token, abi: villageTokenAbi, functionName, args: [BigInt(seq)] }))));
}

export function readWalletFlags(ctx: ChainContext, token: Address, functionName: WalletFlag, wallets: Address[]): Promise<boolean[]> {
  return retrying(ctx, () => Promise.all(wallets.map((wallet) => ctx.client.readContract({ address: token, abi: villageTokenAbi, functionName, args: [wallet] }))));
}

export function balancesOf(client: PublicClient, token: Address, holders: Address[]): Promise<bigint[]> {
  return Promise.all(holders.map((holder) => client.readContract({ address: token, abi: villageTokenAbi, functionName: "balanceOf", args: [holder] })));
}

export function totalSupplyOf(client: PublicClient, token: Address): Promise<bigint> {
  return client.readContract({ address: token, abi: villageTokenAbi, functionName: "totalSupply" });
}

/** The block the token was deployed in, when the queue deployed it (log searches start there). */
export async function deploymentBlock(ctx: Pick<ChainContext, "db" | "chainId">, token: Address): Promise<bigint> {
  const [row] = await ctx.db
    .select({ blockNumber: chainTransactions.blockNumber })
    .from(chainTransactions)
    .where(and(eq(chainTransactions.kind, "deploy"), eq(chainTransactions.chainId, ctx.chainId), sql`lower(${chainTransactions.payload}->>'createdAddress') = ${token.toLowerCase()}`));
  return BigInt(row?.blockNumber ?? 0);
}

export type OrderEvent = { txHash: Hash; blockNumber: bigint; wallet: Address; units: number };

/** The Allocated or ClawedBack event of one order sequence number, if the chain has one. */
export async function findOrderEvent(ctx: ChainContext, token: Address, eventName: "Allocated" | "ClawedBack", seq: number): Promise<OrderEvent | null> {
  const fromBlock = await deploymentBlock(ctx, token);
  const logs = await retrying(ctx, () => ctx.client.getContractEvents({ address: token, abi: villageTokenAbi, eventName, args: { orderSeq: BigInt(seq) }, fromBlock, toBlock: "latest" }));
  const log = logs[0];
  if (!log?.transactionHash) return null;
  const args = log.args as { to?: Address; from?: Address; units?: bigint };
  return { txHash: log.transactionHash, blockNumber: log.blockNumber ?? 0n, wallet: (args.to ?? args.from)!, units: Number(args.units ?? 0n) };
}

import "server-only";
import type { Account, Address, Chain, Hash, PublicClient, Transport, WalletClient } from "viem";
import { villageTokenAbi, villageTokenBytecode } from "@/contracts/artifacts/VillageToken";

export type VillageTokenParams = { name: string; symbol: string; admin: Address };
export type DeployedContract = { address: Address; blockNumber: bigint; txHash: Hash };

/** Deploys VillageToken from the wallet's account and waits for the receipt. */
export async function deployVillageToken(
  walletClient: WalletClient<Transport, Chain | undefined, Account>,
  publicClient: PublicClient,
  { name, symbol, admin }: VillageTokenParams,
): Promise<DeployedContract> {
  const txHash = await walletClient.deployContract({
    abi: villageTokenAbi,
    bytecode: villageTokenBytecode,
    args: [name, symbol, admin],
    account: walletClient.account,
    chain: walletClient.chain,
  });
  const receipt = await publicClient.waitForTransactionReceipt({ hash: txHash });
  if (receipt.status !== "success" || !receipt.contractAddress) {
    throw new Error(`VillageToken deployment ${txHash} failed (status ${receipt.status})`);
  }
  return { address: receipt.contractAddress, blockNumber: receipt.blockNumber, txHash };
}

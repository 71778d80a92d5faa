// Shared by the contract tests: a Hardhat node, viem clients for the dev accounts, and helpers.
import {
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
  getAddress,
  getContract,
  http,
  keccak256,
  slice,
  toHex,
  type Account,
  type Address,
  type Chain,
  type Hash,
  type PublicClient,
  type TransactionReceipt,
  type Transport,
  type WalletClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { expect } from "vitest";
import { baselineTokenAbi, baselineTokenBytecode } from "@/contracts/artifacts/BaselineToken";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";
import { deployVillageToken } from "@/lib/chain/deploy";
import { HARDHAT_DEV_PRIVATE_KEYS, startHardhatNode, type HardhatNode } from "@/scripts/lib/hardhat-node";

export type Wallet = WalletClient<Transport, Chain, Account>;

export type TestChain = {
  node: HardhatNode;
  publicClient: PublicClient;
  /** One wallet per Hardhat dev account; wallets[0] is the deployer and admin. */
  wallets: Wallet[];
};

export async function startTestChain(): Promise<TestChain> {
  const node = await startHardhatNode();
  // Hardhat reports reverts as -32603 "internal error", which viem would retry with backoff.
  const transport = http(node.rpcUrl, { retryCount: 0 });
  const publicClient = createPublicClient({ chain: hardhat, transport, pollingInterval: 50 });
  const wallets = HARDHAT_DEV_PRIVATE_KEYS.map((key) => createWalletClient({ account: privateKeyToAccount(key), chain: hardhat, transport }));
  return { node, publicClient, wallets };
}

export function wallet(chain: TestChain, index: number): Wallet {
  const w = chain.wallets[index];
  if (!w) throw new Error(`no dev wallet ${index}`);
  return w;
}

/** A fresh, unfunded address that looks like a real one (no runs of zero bytes to cheapen calldata). */
export function holderAddress(label: string): Address {
  return getAddress(slice(keccak256(toHex(label)), 12));
}

export async function deployToken(chain: TestChain): Promise<Address> {
  const admin = wallet(chain, 0);
  const { address } = await deployVillageToken(admin, chain.publicClient, {
    name: "Village Token",
    symbol: "VIL",
    admin: admin.account.address,
  });
  return address;
}

export async function deployBaseline(chain: TestChain): Promise<Address> {
  const owner = wallet(chain, 0);
  const hash = await owner.deployContract({
    abi: baselineTokenAbi,
    bytecode: baselineTokenBytecode,
    args: ["Baseline", "BASE", owner.account.address],
  });
  const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
  if (!receipt.contractAddress) throw new Error("baseline deployment failed");
  return receipt.contractAddress;
}

/** VillageToken bound to one wallet: `.read.*`, `.write.*` are typed from the generated ABI. */
export function tokenAs(chain: TestChain, token: Address, from: Wallet) {
  return getContract({ address: token, abi: villageTokenAbi, client: { public: chain.publicClient, wallet: from } });
}

/** Waits for the transaction of a `.write.*` call and asserts it succeeded. */
export async function mined(chain: TestChain, sent: Promise<Hash>): Promise<TransactionReceipt> {
  const receipt = await chain.publicClient.waitForTransactionReceipt({ hash: await sent });
  expect(receipt.status).toBe("success");
  return receipt;
}

/** Asserts that the call reverts with the named custom error (viem decodes it from the ABI). */
export async function expectRevert(call: Promise<unknown>, errorName: string): Promise<readonly unknown[] | undefined> {
  let caught: unknown;
  try {
    await call;
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected revert ${errorName}`).toBeInstanceOf(BaseError);
  const revert = (caught as BaseError).walk((e) => e instanceof ContractFunctionRevertedError);
  expect(revert, String(caught)).toBeInstanceOf(ContractFunctionRevertedError);
  const data = (revert as ContractFunctionRevertedError).data;
  expect(data?.errorName).toBe(errorName);
  return data?.args;
}

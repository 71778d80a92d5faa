// Shared by the stablecoin and settlement contract tests: deployments and the buyer's signatures.
import { getAddress, getContract, keccak256, parseSignature, toHex, type Abi, type Address, type Hex } from "viem";
import { villageSettlementAbi, villageSettlementBytecode } from "@/contracts/artifacts/VillageSettlement";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";
import { yenStablecoinAbi, yenStablecoinBytecode } from "@/contracts/artifacts/YenStablecoin";
import { wallet, type TestChain, type Wallet } from "./test-chain";

export const STABLECOIN_NAME = "JPY Coin (dev)";
export const YEN = 10n ** 18n;

/** Custom errors of all three contracts, so a revert bubbling up from the stablecoin or the token is decoded too. */
const errorsOf = (abi: Abi) => abi.filter((item) => item.type === "error");
const settlementWithErrorsAbi = [...villageSettlementAbi, ...errorsOf(yenStablecoinAbi), ...errorsOf(villageTokenAbi)] as const;

async function deploy(chain: TestChain, abi: Abi, bytecode: Hex, args: readonly unknown[]): Promise<Address> {
  const admin = wallet(chain, 0);
  const hash = await admin.deployContract({ abi, bytecode, args });
  const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success" || !receipt.contractAddress) throw new Error("deployment failed");
  return getAddress(receipt.contractAddress);
}

export function deployStablecoin(chain: TestChain): Promise<Address> {
  return deploy(chain, yenStablecoinAbi, yenStablecoinBytecode, [STABLECOIN_NAME, "JPYC", wallet(chain, 0).account.address]);
}

export function deploySettlement(chain: TestChain): Promise<Address> {
  return deploy(chain, villageSettlementAbi, villageSettlementBytecode, [wallet(chain, 0).account.address]);
}

export function stablecoinAs(chain: TestChain, address: Address, from: Wallet) {
  return getContract({ address, abi: yenStablecoinAbi, client: { public: chain.publicClient, wallet: from } });
}

export function settlementAs(chain: TestChain, address: Address, from: Wallet) {
  return getContract({ address, abi: settlementWithErrorsAbi, client: { public: chain.publicClient, wallet: from } });
}

export async function latestTimestamp(chain: TestChain): Promise<bigint> {
  return (await chain.publicClient.getBlock({ blockTag: "latest" })).timestamp;
}

export const randomNonce = (label: string): Hex => keccak256(toHex(`${label}-${Math.random()}`));

const AUTHORIZATION_FIELDS = [
  { name: "from", type: "address" },
  { name: "to", type: "address" },
  { name: "value", type: "uint256" },
  { name: "validAfter", type: "uint256" },
  { name: "validBefore", type: "uint256" },
  { name: "nonce", type: "bytes32" },
] as const;

export type Authorization = { from: Address; to: Address; value: bigint; validAfter: bigint; validBefore: bigint; nonce: Hex };

/** The buyer's EIP-3009 signature, as a browser wallet makes it (split for the contract call). */
export async function signAuthorization(
  chain: TestChain,
  signer: Wallet,
  stablecoin: Address,
  kind: "TransferWithAuthorization" | "ReceiveWithAuthorization",
  message: Authorization,
): Promise<{ v: number; r: Hex; s: Hex }> {
  const signature = await signer.signTypedData({
    domain: { name: STABLECOIN_NAME, version: "1", chainId: await chain.publicClient.getChainId(), verifyingContract: stablecoin },
    types: kind === "TransferWithAuthorization" ? { TransferWithAuthorization: AUTHORIZATION_FIELDS } : { ReceiveWithAuthorization: AUTHORIZATION_FIELDS },
    primaryType: kind,
    message,
  });
  return split(signature);
}

/** The buyer's EIP-2612 permit signature. */
export async function signPermit(
  chain: TestChain,
  signer: Wallet,
  stablecoin: Address,
  message: { owner: Address; spender: Address; value: bigint; nonce: bigint; deadline: bigint },
): Promise<{ v: number; r: Hex; s: Hex }> {
  const signature = await signer.signTypedData({
    domain: { name: STABLECOIN_NAME, version: "1", chainId: await chain.publicClient.getChainId(), verifyingContract: stablecoin },
    types: {
      Permit: [
        { name: "owner", type: "address" },
        { name: "spender", type: "address" },
        { name: "value", type: "uint256" },
        { name: "nonce", type: "uint256" },
        { name: "deadline", type: "uint256" },
      ],
    },
    primaryType: "Permit",
    message,
  });
  return split(signature);
}

function split(signature: Hex): { v: number; r: Hex; s: Hex } {
  const { r, s, v, yParity } = parseSignature(signature);
  return { r, s, v: v !== undefined ? Number(v) : yParity + 27 };
}

import type { Page } from "@playwright/test";
import { getAddress, hexToString, isHex, type Hex, type TypedDataDefinition } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";

/**
 * A browser wallet for the tests only: an EIP-1193 provider injected into the page as
 * `window.ethereum`, whose requests are answered in the test process by a local viem account.
 * It signs what a MetaMask-like wallet would sign (personal_sign, eth_signTypedData_v4) and
 * never sends transactions: the portal pays gas.
 */
export type TestWallet = {
  account: PrivateKeyAccount;
  address: `0x${string}`;
  /** The next signature request (personal_sign or eth_signTypedData_v4), or the next call of `method`, is refused as a person would (code 4001). */
  rejectNext(method?: string): void;
  /** What the page asked of the wallet, in order (signed messages decoded to text). */
  requests: { method: string; text?: string }[];
};

const SIGNING = ["personal_sign", "eth_signTypedData_v4"];

const CHAIN_ID_HEX = "0x7a69"; // 31337, the local Hardhat chain

type RpcRequest = { method: string; params?: unknown[] };
type RpcAnswer = { result: unknown } | { error: { code: number; message: string } };

function typedDataOf(json: string): TypedDataDefinition {
  const parsed = JSON.parse(json) as { types: Record<string, unknown>; domain: Record<string, unknown>; primaryType: string; message: Record<string, unknown> };
  const { EIP712Domain: _domain, ...types } = parsed.types;
  return { domain: parsed.domain, types, primaryType: parsed.primaryType, message: parsed.message } as TypedDataDefinition;
}

async function answer(account: PrivateKeyAccount, request: RpcRequest): Promise<RpcAnswer> {
  const params = request.params ?? [];
  switch (request.method) {
    case "eth_requestAccounts":
    case "eth_accounts":
      return { result: [account.address] };
    case "eth_chainId":
      return { result: CHAIN_ID_HEX };
    case "net_version":
      return { result: "31337" };
    case "wallet_switchEthereumChain":
    case "wallet_addEthereumChain":
      return { result: null };
    case "personal_sign": {
      const [message, address] = params as [Hex, string];
      if (getAddress(address) !== account.address) return { error: { code: 4100, message: "unknown account" } };
      return { result: await account.signMessage({ message: isHex(message) ? { raw: message } : message }) };
    }
    case "eth_signTypedData_v4": {
      const [address, json] = params as [string, string];
      if (getAddress(address) !== account.address) return { error: { code: 4100, message: "unknown account" } };
      return { result: await account.signTypedData(typedDataOf(json)) };
    }
    default:
      return { error: { code: 4200, message: `the test wallet does not support ${request.method}` } };
  }
}

/** The text a signature request shows the person: the message of personal_sign, the typed data's JSON. */
function textOf(request: RpcRequest): string | undefined {
  const params = request.params ?? [];
  if (request.method === "personal_sign" && typeof params[0] === "string") return isHex(params[0]) ? hexToString(params[0]) : params[0];
  if (request.method === "eth_signTypedData_v4" && typeof params[1] === "string") return params[1];
  return undefined;
}

/** Injects the wallet before any page script runs; a fresh key unless one is given. */
export async function injectTestWallet(page: Page, privateKey: Hex = generatePrivateKey()): Promise<TestWallet> {
  const account = privateKeyToAccount(privateKey);
  const requests: TestWallet["requests"] = [];
  let reject: string[] = [];
  await page.exposeFunction("__testWalletRequest", async (request: RpcRequest): Promise<RpcAnswer> => {
    requests.push({ method: request.method, text: textOf(request) });
    if (reject.includes(request.method)) {
      reject = [];
      return { error: { code: 4001, message: "User rejected the request." } };
    }
    return answer(account, request);
  });
  await page.addInitScript(() => {
    type Bridge = (request: { method: string; params?: unknown[] }) => Promise<{ result?: unknown; error?: { code: number; message: string } }>;
    const provider = {
      isMetaMask: true,
      async request(request: { method: string; params?: unknown[] }) {
        // Looked up per call: Playwright's binding is installed per document.
        const bridge = (window as unknown as { __testWalletRequest: Bridge }).__testWalletRequest;
        const reply = await bridge({ method: request.method, params: request.params ?? [] });
        if (reply.error) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
        return reply.result;
      },
      on() {},
      removeListener() {},
    };
    Object.defineProperty(window, "ethereum", { value: provider, configurable: true });
  });
  return {
    account,
    address: account.address,
    requests,
    rejectNext(method?: string) {
      reject = method ? [method] : SIGNING;
    },
  };
}

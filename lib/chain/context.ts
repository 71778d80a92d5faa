import "server-only";
import { createPublicClient, getAddress, http, type Address, type LocalAccount, type PublicClient } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { getDb, type Db } from "@/db/client";
import { env } from "@/lib/env";
import { openIssuerKey } from "./issuer-key";

/**
 * Everything the signer queue and the chain jobs need: the database, a client for one RPC and
 * the one signing account (issuer, compliance and admin roles are all held by it).
 */
export type ChainContext = {
  db: Db;
  chainId: number;
  rpcUrl: string;
  client: PublicClient;
  account: LocalAccount;
  confirmations: number;
  batchSize: number;
  /** How often a waiting job looks at its transactions again. */
  pollMs: number;
  /** A sent transaction without a receipt for this long is re-sent with higher fees. */
  stuckAfterMs: number;
  /** How long a job waits for its transactions (or for an unreachable node) before it gives up and is retried. */
  waitTimeoutMs: number;
  /** Test seams: throwing from one simulates a crash at that point. */
  hooks?: { beforeBroadcast?: (txId: string) => Promise<void> | void; afterBroadcast?: (txId: string) => Promise<void> | void };
};

/** Hardhat's public test mnemonic: account 0 signs in demo mode. It funds local chains only. */
const HARDHAT_TEST_MNEMONIC = "test test test test test test test test test test test junk";

export function demoIssuerAccount(): LocalAccount {
  return mnemonicToAccount(HARDHAT_TEST_MNEMONIC);
}

function chainClient(rpcUrl: string, pollMs = 250): PublicClient {
  // retryCount 0: a revert must surface at once (Hardhat reports it as an internal error, which
  // viem would otherwise retry); the queue does its own retrying. Concurrent reads share one HTTP batch.
  return createPublicClient({ transport: http(rpcUrl, { retryCount: 0, batch: { batchSize: 200 }, timeout: 10_000 }), pollingInterval: pollMs });
}

export function createChainContext(options: {
  db: Db;
  rpcUrl: string;
  chainId: number;
  account: LocalAccount;
  confirmations?: number;
  batchSize?: number;
  pollMs?: number;
  stuckAfterMs?: number;
  waitTimeoutMs?: number;
  hooks?: ChainContext["hooks"];
}): ChainContext {
  const pollMs = options.pollMs ?? 100;
  return {
    db: options.db,
    chainId: options.chainId,
    rpcUrl: options.rpcUrl,
    client: chainClient(options.rpcUrl, pollMs),
    account: options.account,
    confirmations: options.confirmations ?? 1,
    batchSize: options.batchSize ?? 100,
    pollMs,
    stuckAfterMs: options.stuckAfterMs ?? 60_000,
    waitTimeoutMs: options.waitTimeoutMs ?? 120_000,
    hooks: options.hooks,
  };
}

/** The signer the settings name: the sealed issuer key, or Hardhat's account 0 in demo mode. */
function issuerAccount(): LocalAccount {
  const settings = env();
  if (settings.chain.issuerKeySealed) return openIssuerKey(settings.chain.issuerKeySealed, settings.custodyMasterKeys);
  if (!settings.isDemo) throw new Error("CHAIN_ISSUER_KEY_SEALED is missing: live mode never signs with the public dev key");
  return demoIssuerAccount();
}

/** The issuer's address without opening its key (the sealed value names it in clear). */
export function issuerAddress(): Address {
  const sealed = env().chain.issuerKeySealed;
  if (!sealed) return demoIssuerAccount().address;
  return getAddress((JSON.parse(Buffer.from(sealed, "base64").toString("utf8")) as { address: string }).address);
}

let cached: ChainContext | undefined;

/** The process's chain context from the settings (built on first use). */
export function chainContext(): ChainContext {
  if (cached) return cached;
  const settings = env();
  cached = createChainContext({
    db: getDb(),
    rpcUrl: settings.chain.rpcUrl,
    chainId: settings.chain.chainId,
    account: issuerAccount(),
    confirmations: settings.chain.confirmations,
    batchSize: settings.chain.allocationBatchSize,
    pollMs: settings.isDemo ? 100 : 2_000,
    stuckAfterMs: settings.isDemo ? 20_000 : 90_000,
  });
  return cached;
}

/** For a request a person waits on: an unreachable node fails it in seconds, not the jobs' two minutes (their sweeps retry). */
export function requestChainContext(): ChainContext {
  return { ...chainContext(), waitTimeoutMs: 10_000 };
}

let reader: { client: PublicClient; chainId: number } | undefined;

/** Read-only access for pages: no signing key is opened. */
export function chainReader(): { client: PublicClient; chainId: number } {
  reader ??= { client: chainClient(env().chain.rpcUrl), chainId: env().chain.chainId };
  return reader;
}

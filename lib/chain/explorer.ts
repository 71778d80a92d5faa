import "server-only";
import { and, desc, eq, isNotNull, or, sql } from "drizzle-orm";
import { decodeEventLog, decodeFunctionData, formatEther, getAddress, type Address, type Hash, type Hex } from "viem";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";
import { getDb } from "@/db/client";
import { allocations, chainTransactions, offerings } from "@/db/schema";
import { env } from "@/lib/env";
import { chainReader } from "./context";

/**
 * The portal's own small block explorer, for the local dev chain (and any chain when no
 * CHAIN_EXPLORER_URL is set): it reads the node, and names what the journal knows.
 */

export function internalExplorerEnabled(): boolean {
  return env().explorerUrl.startsWith("/");
}

function show(value: unknown): string {
  if (Array.isArray(value)) {
    const items = value.slice(0, 5).map(show).join(", ");
    return value.length > 5 ? `[${items}, … (${value.length})]` : `[${items}]`;
  }
  return typeof value === "bigint" ? value.toString() : String(value);
}

export type ExplorerTx = {
  hash: Hash;
  from: Address;
  to: Address | null;
  nonce: number;
  blockNumber: number | null;
  status: "success" | "reverted" | "pending";
  gasUsed: string | null;
  call: { name: string; args: string[] } | null;
  events: { name: string; args: string[] }[];
  createdAddress: Address | null;
  journal: { kind: string; status: "pending" | "sent" | "confirmed" | "failed"; error: string | null } | null;
};

/** A transaction as the node has it (null when the node does not know it, or is unreachable). */
export async function getExplorerTransaction(hash: Hash): Promise<ExplorerTx | null> {
  const { client } = chainReader();
  const tx = await client.getTransaction({ hash }).catch(() => null);
  if (!tx) return null;
  const receipt = await client.getTransactionReceipt({ hash }).catch(() => null);
  let call: ExplorerTx["call"] = null;
  if (tx.to) {
    try {
      const decoded = decodeFunctionData({ abi: villageTokenAbi, data: tx.input });
      call = { name: decoded.functionName, args: (decoded.args ?? []).map(show) };
    } catch {
      call = null;
    }
  } else {
    call = { name: "constructor", args: [] };
  }
  const events = (receipt?.logs ?? []).flatMap((log) => {
    try {
      const decoded = decodeEventLog({ abi: villageTokenAbi, data: log.data, topics: log.topics });
      return [{ name: decoded.eventName, args: Object.entries(decoded.args ?? {}).map(([key, value]) => `${key}: ${show(value)}`) }];
    } catch {
      return [];
    }
  });
  const [journal] = await getDb()
    .select({ kind: chainTransactions.kind, status: chainTransactions.status, error: chainTransactions.error })
    .from(chainTransactions)
    .where(eq(chainTransactions.txHash, hash));
  return {
    hash,
    from: getAddress(tx.from),
    to: tx.to ? getAddress(tx.to) : null,
    nonce: tx.nonce,
    blockNumber: receipt ? Number(receipt.blockNumber) : null,
    status: receipt ? receipt.status : "pending",
    gasUsed: receipt ? receipt.gasUsed.toString() : null,
    call,
    events: events.slice(0, 50),
    createdAddress: receipt?.contractAddress ? getAddress(receipt.contractAddress) : null,
    journal: journal ?? null,
  };
}

export type ExplorerAddress = {
  address: Address;
  reachable: boolean;
  isContract: boolean;
  nativeBalance: string | null;
  transactionCount: number | null;
  token: { slug: string; symbol: string; totalSupply: string } | null;
  holdings: { slug: string; symbol: string; tokenAddress: Address; balance: string; allowlisted: boolean; frozen: boolean }[];
  recent: { hash: string; kind: string; status: "pending" | "sent" | "confirmed" | "failed"; blockNumber: number | null }[];
};

export async function getExplorerAddress(address: Address): Promise<ExplorerAddress> {
  const { client, chainId } = chainReader();
  const db = getDb();
  const tokens = await db
    .select({ slug: offerings.slug, symbol: offerings.tokenSymbol, token: offerings.tokenAddress })
    .from(offerings)
    .where(and(eq(offerings.chainId, chainId), isNotNull(offerings.tokenAddress)));
  const read = <T>(promise: Promise<T>) =>
    promise.then(
      (value) => value,
      () => null,
    );
  const [code, balance, count] = await Promise.all([read(client.getCode({ address })), read(client.getBalance({ address })), read(client.getTransactionCount({ address }))]);
  const own = tokens.find((token) => token.token && getAddress(token.token) === address);
  const supply = own ? await read(client.readContract({ address, abi: villageTokenAbi, functionName: "totalSupply" })) : null;
  const holdings = await Promise.all(
    tokens.map(async (token) => {
      const contract = getAddress(token.token!);
      const [units, allowlisted, frozen] = await Promise.all([
        read(client.readContract({ address: contract, abi: villageTokenAbi, functionName: "balanceOf", args: [address] })),
        read(client.readContract({ address: contract, abi: villageTokenAbi, functionName: "isAllowlisted", args: [address] })),
        read(client.readContract({ address: contract, abi: villageTokenAbi, functionName: "isFrozen", args: [address] })),
      ]);
      return units === null ? null : { slug: token.slug, symbol: token.symbol, tokenAddress: contract, balance: units.toString(), allowlisted: Boolean(allowlisted), frozen: Boolean(frozen) };
    }),
  );
  const recent = await db
    .select({ hash: chainTransactions.txHash, kind: chainTransactions.kind, status: chainTransactions.status, blockNumber: chainTransactions.blockNumber })
    .from(chainTransactions)
    .where(
      and(
        isNotNull(chainTransactions.txHash),
        or(
          eq(chainTransactions.signer, address),
          sql`lower(${chainTransactions.payload}->>'to') = ${address.toLowerCase()}`,
          sql`lower(${chainTransactions.payload}->>'createdAddress') = ${address.toLowerCase()}`,
          sql`${chainTransactions.id} in (select ${allocations.chainTransactionId} from ${allocations} where ${allocations.toAddress} = ${address})`,
          // A withdrawal is signed by the custodial wallet and sent to the token: it names the receiving address in its args.
          and(eq(chainTransactions.kind, "withdrawal"), sql`lower(${chainTransactions.payload}->'args'->>0) = ${address.toLowerCase()}`),
        ),
      ),
    )
    .orderBy(desc(chainTransactions.createdAt))
    .limit(20);
  return {
    address,
    reachable: code !== null || balance !== null,
    isContract: Boolean(code && code !== "0x"),
    nativeBalance: balance === null ? null : formatEther(balance),
    transactionCount: count,
    token: own && supply !== null ? { slug: own.slug, symbol: own.symbol, totalSupply: supply.toString() } : null,
    holdings: holdings.filter((line): line is NonNullable<typeof line> => line !== null && (line.balance !== "0" || line.allowlisted || line.frozen)),
    recent: recent.map((row) => ({ hash: row.hash!, kind: row.kind, status: row.status, blockNumber: row.blockNumber })),
  };
}

export function isHash(value: string): value is Hex {
  return /^0x[0-9a-fA-F]{64}$/.test(value);
}

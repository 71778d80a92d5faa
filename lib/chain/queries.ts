import "server-only";
import { and, desc, eq, inArray, isNotNull, ne, sql } from "drizzle-orm";
import { getAddress, type Address, type PublicClient } from "viem";
import { getDb } from "@/db/client";
import {
  allocations,
  chainTransactions,
  couponRuns,
  ledgerEntries,
  offerings,
  orders,
  reconciliations,
  redemptionBurns,
  SALE_YEN_KINDS,
  wallets,
  type Offering,
  type Order,
  type Reconciliation,
} from "@/db/schema";
import { env } from "@/lib/env";
import { SHOWN_TO_HOLDER, type ShownToHolderStatus } from "@/lib/orders/status";
import { chainReader } from "./context";
import { unitsByAddress } from "./holdings";
import { balancesOf, totalSupplyOf } from "./token-reads";

/** What investors and the public see of the chain. Chain reads are cached briefly and never break a page. */

type Reader = { client: PublicClient; chainId: number };

const TTL_MS = 10_000;
const cache = new Map<string, { at: number; value: Promise<unknown> }>();

function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.value as Promise<T>;
  const value = load();
  cache.set(key, { at: Date.now(), value });
  value.catch(() => cache.delete(key));
  if (cache.size > 5_000) cache.delete(cache.keys().next().value!);
  return value;
}

/** Units on chain, or null when the node cannot be reached right now. */
function onChainBalance(token: Address, holder: Address, reader: Reader = chainReader()): Promise<number | null> {
  return cached(`balance:${reader.chainId}:${token}:${holder}`, async () => Number((await balancesOf(reader.client, token, [holder]))[0])).catch(() => null);
}

function onChainTotalSupply(token: Address, reader: Reader = chainReader()): Promise<number | null> {
  return cached(`supply:${reader.chainId}:${token}`, async () => Number(await totalSupplyOf(reader.client, token))).catch(() => null);
}

/** A holder's units on chain: at their wallet, and at a replaced (lost) one whose units are not moved yet. */
async function chainUnitsOf(token: Address, offeringId: string, userId: string, wallet: Address, reader: Reader): Promise<number | null> {
  const elsewhere = (await unitsByAddress(getDb(), offeringId, userId)).filter((row) => row.units !== 0).map((row) => row.address);
  const balances = await Promise.all([...new Set([wallet, ...elsewhere])].map((address) => onChainBalance(token, address, reader)));
  return balances.some((units) => units === null) ? null : balances.reduce<number>((sum, units) => sum + units!, 0);
}

export type AllocationHold = "delayed" | "refunding";

const HELD_AFTER_MS = 10 * 60_000;

/**
 * Whether a paid order's tokens are held up, for an honest status on its page: its allocation
 * failed or is stuck (staff retry it or refund), it has waited long, or staff gave it up and the
 * payment is being refunded (the order is then `allocating` without an allocation).
 */
export async function allocationHoldOf(order: Pick<Order, "id" | "status" | "updatedAt">): Promise<AllocationHold | null> {
  if (order.status !== "allocating" && order.status !== "paid") return null;
  const [row] = await getDb()
    .select({ status: chainTransactions.status, sentAt: chainTransactions.sentAt })
    .from(allocations)
    .leftJoin(chainTransactions, eq(chainTransactions.id, allocations.chainTransactionId))
    .where(eq(allocations.orderId, order.id));
  const late = (at: Date | null | undefined) => Boolean(at && Date.now() - at.getTime() > HELD_AFTER_MS);
  if (order.status === "allocating" && !row) return "refunding";
  if (row?.status === "failed" || (row?.status === "sent" && late(row.sentAt))) return "delayed";
  if (order.status === "paid" && late(order.updatedAt)) return "delayed";
  return null;
}

export function explorerTxUrl(hash: string): string {
  return `${env().explorerUrl.replace(/\/$/, "")}/tx/${hash}`;
}

export function explorerAddressUrl(address: string): string {
  return `${env().explorerUrl.replace(/\/$/, "")}/address/${address}`;
}

const TOKEN_KINDS = ["tokens_allocated", "tokens_clawed_back", "tokens_transferred", "tokens_redeemed"] as const;

export type HoldingLine = { offeringId: string; slug: string; nameJa: string; nameEn: string; symbol: string; tokenAddress: string | null; ledgerUnits: number; chainUnits: number | null };
export type OrderAllocation = {
  orderId: string;
  seq: number;
  nameJa: string;
  nameEn: string;
  units: number;
  status: ShownToHolderStatus;
  txHash: string | null;
  blockNumber: number | null;
  allocatedAt: Date | null;
  chainStatus: "pending" | "sent" | "confirmed" | "failed" | null;
};

/** An investor's tokens: the ledger figure beside the on-chain balance, and each paid order's allocation. */
export async function getHoldings(userId: string, reader: Reader = chainReader()): Promise<{ walletAddress: string | null; holdings: HoldingLine[]; orders: OrderAllocation[] }> {
  const db = getDb();
  const [wallet] = await db.select({ address: wallets.address }).from(wallets).where(eq(wallets.userId, userId));
  const ledger = await db
    .select({ offeringId: ledgerEntries.offeringId, units: sql<string>`sum(${ledgerEntries.units})` })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.userId, userId), inArray(ledgerEntries.kind, [...TOKEN_KINDS])))
    .groupBy(ledgerEntries.offeringId);
  const rows = await db
    .select({ order: orders, offering: offerings, allocation: allocations, tx: chainTransactions })
    .from(orders)
    .innerJoin(offerings, eq(offerings.id, orders.offeringId))
    .leftJoin(allocations, eq(allocations.orderId, orders.id))
    .leftJoin(chainTransactions, eq(chainTransactions.id, allocations.chainTransactionId))
    .where(and(eq(orders.userId, userId), inArray(orders.status, [...SHOWN_TO_HOLDER])))
    .orderBy(desc(orders.createdAt));
  const byOffering = new Map<string, Offering>();
  for (const row of rows) byOffering.set(row.offering.id, row.offering);
  const holdings = await Promise.all(
    [...byOffering.values()].map(async (offering): Promise<HoldingLine> => {
      const token = offering.tokenAddress && offering.chainId === reader.chainId ? getAddress(offering.tokenAddress) : null;
      return {
        offeringId: offering.id,
        slug: offering.slug,
        nameJa: offering.nameJa,
        nameEn: offering.nameEn,
        symbol: offering.tokenSymbol,
        tokenAddress: token,
        ledgerUnits: Number(ledger.find((line) => line.offeringId === offering.id)?.units ?? 0),
        chainUnits: token && wallet ? await chainUnitsOf(token, offering.id, userId, getAddress(wallet.address), reader) : null,
      };
    }),
  );
  return {
    walletAddress: wallet?.address ?? null,
    holdings,
    orders: rows.map(({ order, offering, allocation, tx }) => ({
      orderId: order.id,
      seq: order.seq,
      nameJa: offering.nameJa,
      nameEn: offering.nameEn,
      units: order.units,
      status: order.status as OrderAllocation["status"],
      txHash: tx?.status === "failed" ? null : (tx?.txHash ?? null),
      blockNumber: tx?.blockNumber ?? null,
      allocatedAt: allocation?.allocatedAt ?? null,
      chainStatus: tx?.status ?? null,
    })),
  };
}

export type TransparencyLine = {
  slug: string;
  nameJa: string;
  nameEn: string;
  symbol: string;
  chainId: number;
  tokenAddress: string;
  totalSupply: number | null;
  yenRaised: number;
  holders: number;
  /** A bond whose final payment burned every holder's units: its redemption (payment) date, at 00:00 in Tokyo. */
  redeemedOn: Date | null;
  lastReconciliation: Pick<Reconciliation, "status" | "at" | "supplyChain" | "supplyDb" | "holdersChecked"> | null;
};

/** The payment date of the bond's approved final run once none of its burns is left to do. */
async function redeemedOn(offeringId: string): Promise<Date | null> {
  const [run] = await getDb()
    .select({ paymentDate: couponRuns.paymentDate })
    .from(couponRuns)
    .where(
      and(
        eq(couponRuns.offeringId, offeringId),
        eq(couponRuns.kind, "final"),
        inArray(couponRuns.status, ["approved", "paid"]),
        sql`not exists (select 1 from ${redemptionBurns} where ${redemptionBurns.runId} = ${couponRuns.id} and ${redemptionBurns.burnedAt} is null)`,
      ),
    )
    .limit(1);
  return run ? new Date(`${run.paymentDate}T00:00:00+09:00`) : null;
}

/** Per issued offering: the contract, its supply on chain, yen raised (ledger), holders, a bond's redemption and the last reconciliation. */
export async function getTransparency(reader: Reader = chainReader()): Promise<TransparencyLine[]> {
  const db = getDb();
  const issued = await db
    .select()
    .from(offerings)
    .where(and(isNotNull(offerings.tokenAddress), ne(offerings.status, "draft")))
    .orderBy(desc(offerings.opensAt));
  return Promise.all(
    issued.map(async (offering) => {
      const [yen] = await db
        .select({ total: sql<string>`coalesce(sum(${ledgerEntries.yen}), 0)` })
        .from(ledgerEntries)
        .where(and(eq(ledgerEntries.offeringId, offering.id), inArray(ledgerEntries.kind, [...SALE_YEN_KINDS])));
      const [holders] = await db.execute<{ n: string }>(sql`
        select count(*) as n from (
          select ${ledgerEntries.userId} from ${ledgerEntries}
          where ${ledgerEntries.offeringId} = ${offering.id} and ${ledgerEntries.kind} in ('tokens_allocated', 'tokens_clawed_back', 'tokens_transferred', 'tokens_redeemed')
          group by ${ledgerEntries.userId} having sum(${ledgerEntries.units}) > 0
        ) as holding`);
      const [last] = await db.select().from(reconciliations).where(eq(reconciliations.offeringId, offering.id)).orderBy(desc(reconciliations.at)).limit(1);
      const token = getAddress(offering.tokenAddress!);
      return {
        slug: offering.slug,
        nameJa: offering.nameJa,
        nameEn: offering.nameEn,
        symbol: offering.tokenSymbol,
        chainId: offering.chainId ?? reader.chainId,
        tokenAddress: token,
        totalSupply: offering.chainId === reader.chainId ? await onChainTotalSupply(token, reader) : null,
        yenRaised: Number(yen?.total ?? 0),
        holders: Number(holders?.n ?? 0),
        redeemedOn: offering.kind === "municipal_bond" ? await redeemedOn(offering.id) : null,
        lastReconciliation: last ? { status: last.status, at: last.at, supplyChain: last.supplyChain, supplyDb: last.supplyDb, holdersChecked: last.holdersChecked } : null,
      };
    }),
  );
}

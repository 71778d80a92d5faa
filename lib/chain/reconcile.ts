import "server-only";
import { and, eq, inArray, isNotNull, isNull, notExists, sql } from "drizzle-orm";
import { getAddress, type Address } from "viem";
import {
  allocations,
  chainTransactions,
  ledgerEntries,
  linkedWalletApprovals,
  linkedWallets,
  offerings,
  orders,
  reconciliations,
  redemptionBurns,
  wallets,
  withdrawals,
  type HolderMismatch,
} from "@/db/schema";
import { perkUnitsInFlight } from "@/lib/perks/chain-carriers";
import type { ChainContext } from "./context";
import { classifyChainError } from "./errors";
import { unitsByAddress } from "./holdings";
import { balancesOf, totalSupplyOf } from "./token-reads";

/**
 * The chain is a second ledger: on-chain total supply and every holder's balance are compared
 * with the database (tokens allocated − clawed back − redeemed, moved by forced transfers, per
 * wallet, the investors' linked wallets included) for every wallet that can hold them. Units of
 * allocation (or redemption, perk burn and give-back, withdrawal) transactions already mined but
 * not yet recorded are not a mismatch: they are on their way.
 */

export type ReconcileResult = {
  reconcile: "ok" | "mismatch" | "error";
  supply_chain: number;
  supply_db: number;
  holders_checked: number;
  mismatches: HolderMismatch[];
  error?: string;
};

type Reader = Pick<ChainContext, "db" | "client" | "chainId"> & { account?: { address: Address } };

async function databaseHoldings(ctx: Reader, offeringId: string) {
  // Per address, not per holder: a replaced wallet keeps its units until the forced transfer moves them.
  const held = await unitsByAddress(ctx.db, offeringId);
  const onTheirWay = await ctx.db
    .select({ address: allocations.toAddress, units: sql<string>`sum(${allocations.units})` })
    .from(allocations)
    .innerJoin(orders, eq(orders.id, allocations.orderId))
    .innerJoin(chainTransactions, eq(chainTransactions.id, allocations.chainTransactionId))
    .where(and(eq(orders.offeringId, offeringId), isNull(allocations.allocatedAt), inArray(chainTransactions.status, ["sent", "confirmed"])))
    .groupBy(allocations.toAddress);
  const burning = await ctx.db
    .select({ address: redemptionBurns.address, units: sql<string>`sum(${redemptionBurns.units})` })
    .from(redemptionBurns)
    .innerJoin(chainTransactions, eq(chainTransactions.id, redemptionBurns.chainTransactionId))
    .where(and(eq(redemptionBurns.offeringId, offeringId), isNull(redemptionBurns.burnedAt), inArray(chainTransactions.status, ["sent", "confirmed"])))
    .groupBy(redemptionBurns.address);
  // A refund's clawback mined but not booked yet: its units are burned from the wallet it names.
  const clawing = await ctx.db
    .select({ from: sql<string>`${chainTransactions.payload}->'args'->>1`, units: sql<string>`${chainTransactions.payload}->'args'->>2` })
    .from(chainTransactions)
    .innerJoin(orders, sql`${orders.id}::text = ${chainTransactions.payload}->'ref'->>'orderId'`)
    .where(
      and(
        eq(chainTransactions.kind, "clawback"),
        eq(chainTransactions.chainId, ctx.chainId),
        eq(orders.offeringId, offeringId),
        inArray(chainTransactions.status, ["sent", "confirmed"]),
        notExists(
          ctx.db
            .select({ id: ledgerEntries.id })
            .from(ledgerEntries)
            .where(and(eq(ledgerEntries.orderId, orders.id), eq(ledgerEntries.kind, "tokens_clawed_back"))),
        ),
      ),
    );
  const perksMoving = await perkUnitsInFlight(ctx.db, offeringId);
  // A withdrawal mined but not booked yet: its units have left the custodial wallet for the linked one.
  const withdrawing = await ctx.db
    .select({ from: withdrawals.fromAddress, to: withdrawals.toAddress, units: withdrawals.units })
    .from(withdrawals)
    .innerJoin(chainTransactions, eq(chainTransactions.id, withdrawals.chainTransactionId))
    .where(and(eq(withdrawals.offeringId, offeringId), eq(withdrawals.status, "submitted"), inArray(chainTransactions.status, ["sent", "confirmed"])));
  const holders = new Map<Address, { db: number; inFlight: number }>();
  const entry = (address: string) => {
    const key = getAddress(address);
    if (!holders.has(key)) holders.set(key, { db: 0, inFlight: 0 });
    return holders.get(key)!;
  };
  // Only allowlisted wallets can receive tokens, so these (and the issuer) are every holder in
  // custody; units anywhere else show as a difference in total supply.
  const allowlisted = await ctx.db.select({ address: wallets.address }).from(wallets).where(isNotNull(wallets.allowlistedAt));
  for (const row of allowlisted) entry(row.address);
  // Investors' own (linked) wallets allowlisted for this token hold their tokens too: a token moved
  // away from one outside the portal shows as a difference there, as it should.
  const linked = await ctx.db
    .select({ address: linkedWallets.address })
    .from(linkedWallets)
    .innerJoin(linkedWalletApprovals, eq(linkedWalletApprovals.linkedWalletId, linkedWallets.id))
    .where(and(eq(linkedWalletApprovals.offeringId, offeringId), isNotNull(linkedWalletApprovals.allowlistedAt)));
  for (const row of linked) entry(row.address);
  if (ctx.account) entry(ctx.account.address);
  for (const row of held) entry(row.address).db += row.units;
  for (const row of onTheirWay) entry(row.address).inFlight += Number(row.units);
  for (const row of burning) entry(row.address).inFlight -= Number(row.units);
  for (const row of clawing) if (row.from) entry(row.from).inFlight -= Number(row.units);
  for (const row of perksMoving) entry(row.address).inFlight += row.units;
  for (const row of withdrawing) {
    entry(row.from).inFlight -= row.units;
    entry(row.to).inFlight += row.units;
  }
  return holders;
}

/** Reconciles one offering's token and records the result (a settlement report runs it for its offering). */
export async function reconcileOffering(ctx: Reader, offering: { id: string; slug: string; token: Address }) {
  const holders = await databaseHoldings(ctx, offering.id);
  const addresses = [...holders.keys()];
  const [supply, balances] = await Promise.all([totalSupplyOf(ctx.client, offering.token), balancesOf(ctx.client, offering.token, addresses)]);
  const mismatches: HolderMismatch[] = [];
  let supplyDb = 0;
  let inFlight = 0;
  addresses.forEach((address, i) => {
    const { db, inFlight: coming } = holders.get(address)!;
    const chain = Number(balances[i]);
    supplyDb += db;
    inFlight += coming;
    if (chain !== db && !(coming !== 0 && chain === db + coming)) mismatches.push({ offering: offering.slug, address, chain, db });
  });
  const supplyChain = Number(supply);
  const supplyOk = supplyChain === supplyDb || (inFlight !== 0 && supplyChain === supplyDb + inFlight);
  const status = supplyOk && mismatches.length === 0 ? ("ok" as const) : ("mismatch" as const);
  await ctx.db.insert(reconciliations).values({ offeringId: offering.id, status, supplyChain, supplyDb, holdersChecked: addresses.length, mismatches });
  return { status, supplyChain, supplyDb, holdersChecked: addresses.length, mismatches };
}

/** Reconciles every offering with a token on this chain, one reconciliations row each. */
export async function reconcileAll(ctx: Reader): Promise<ReconcileResult> {
  const rows = await ctx.db
    .select({ id: offerings.id, slug: offerings.slug, token: offerings.tokenAddress })
    .from(offerings)
    .where(and(eq(offerings.chainId, ctx.chainId), isNotNull(offerings.tokenAddress)));
  const result: ReconcileResult = { reconcile: "ok", supply_chain: 0, supply_db: 0, holders_checked: 0, mismatches: [] };
  for (const row of rows) {
    try {
      const one = await reconcileOffering(ctx, { id: row.id, slug: row.slug, token: getAddress(row.token!) });
      result.supply_chain += one.supplyChain;
      result.supply_db += one.supplyDb;
      result.holders_checked += one.holdersChecked;
      result.mismatches.push(...one.mismatches);
      if (one.status === "mismatch" && result.reconcile === "ok") result.reconcile = "mismatch";
    } catch (error) {
      const message = classifyChainError(error).message;
      await ctx.db.insert(reconciliations).values({ offeringId: row.id, status: "error", mismatches: [{ error: message }] });
      result.reconcile = "error";
      result.error = message;
    }
  }
  return result;
}

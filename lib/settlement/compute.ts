import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import { getAddress } from "viem";
import { getDb } from "@/db/client";
import { ledgerEntries, offerings, orderEvents, orders, users, villages } from "@/db/schema";
import { chainReader, issuerAddress } from "@/lib/chain/context";
import { classifyChainError } from "@/lib/chain/errors";
import { reconcileOffering } from "@/lib/chain/reconcile";
import { HOLDING_UNITS } from "@/lib/orders/status";
import type { PaymentProvider } from "@/lib/payments/provider";
import { paymentProvider } from "@/lib/payments/stripe";
import { listPublishedProjects } from "@/lib/projects/queries";
import { holderBalances } from "@/lib/register/ledger";
import { allocateToProjects, type Figures } from "./figures";

/** What a report reads besides the database: the card processor and the chain (tests pass their own). */
export type SettlementDeps = { provider: PaymentProvider; chain: Parameters<typeof reconcileOffering>[0] };

export function defaultDeps(): SettlementDeps {
  return { provider: paymentProvider(), chain: { db: getDb(), ...chainReader(), account: { address: issuerAddress() } } };
}

const num = (value: unknown) => Number(value ?? 0);

/** Yen and units per ledger kind, signs normalised (writers may choose either sign). */
async function ledgerTotals(offeringId: string) {
  const rows = await getDb()
    .select({ kind: ledgerEntries.kind, yen: sql<string>`coalesce(sum(abs(${ledgerEntries.yen})), 0)`, units: sql<string>`coalesce(sum(abs(${ledgerEntries.units})), 0)` })
    .from(ledgerEntries)
    .where(eq(ledgerEntries.offeringId, offeringId))
    .groupBy(ledgerEntries.kind);
  const of = (kind: (typeof rows)[number]["kind"]) => rows.find((row) => row.kind === kind);
  return {
    yenReceived: num(of("yen_received")?.yen),
    yenRefunded: num(of("yen_refunded")?.yen),
    allocatedUnits: num(of("tokens_allocated")?.units),
    clawedBackUnits: num(of("tokens_clawed_back")?.units),
    redeemedUnits: num(of("tokens_redeemed")?.units),
  };
}

async function orderTotals(offeringId: string) {
  const db = getDb();
  const everPaid = sql`exists (select 1 from ${orderEvents} where ${orderEvents.orderId} = ${orders.id} and ${orderEvents.toStatus} = 'paid')`;
  const [holding] = await db
    .select({
      count: sql<string>`count(*)`,
      units: sql<string>`coalesce(sum(${orders.units}), 0)`,
      yen: sql<string>`coalesce(sum(${orders.amountYen}), 0)`,
      awaiting: sql<string>`coalesce(sum(${orders.units}) filter (where ${orders.status} in ('paid', 'allocating')), 0)`,
    })
    .from(orders)
    .where(and(eq(orders.offeringId, offeringId), inArray(orders.status, [...HOLDING_UNITS])));
  // A late payment that found the offering sold out was refunded without ever holding units.
  const [refunded] = await db
    .select({ count: sql<string>`count(*)`, units: sql<string>`coalesce(sum(${orders.units}), 0)` })
    .from(orders)
    .where(and(eq(orders.offeringId, offeringId), eq(orders.status, "refunded"), everPaid));
  return {
    paidOrders: num(holding?.count),
    unitsSold: num(holding?.units),
    paidOrdersYen: num(holding?.yen),
    unitsAwaitingAllocation: num(holding?.awaiting),
    refundedOrders: num(refunded?.count),
    unitsRefunded: num(refunded?.units),
  };
}

/** Every payment booked as received for the offering, with the processor's id when it has one (stablecoin payments have none and no card fee). */
async function receivedPayments(offeringId: string) {
  const rows = await getDb()
    .select({ paymentIntentId: orders.stripePaymentIntentId, method: orders.paymentMethod, yen: ledgerEntries.yen })
    .from(ledgerEntries)
    .leftJoin(orders, eq(orders.id, ledgerEntries.orderId))
    .where(and(eq(ledgerEntries.offeringId, offeringId), eq(ledgerEntries.kind, "yen_received")));
  const ids = new Set(rows.map((row) => row.paymentIntentId).filter((id): id is string => Boolean(id)));
  const inStablecoin = rows.filter((row) => row.method === "stablecoin").reduce((sum, row) => sum + row.yen, 0);
  return { paymentIntentIds: [...ids], yenInStablecoin: inStablecoin, withoutProcessorRecord: rows.filter((row) => !row.paymentIntentId && row.method !== "stablecoin").length };
}

type Offering = typeof offerings.$inferSelect;

async function chainFigures(offering: Offering, chain: SettlementDeps["chain"]): Promise<Pick<Figures["chain"], "totalSupply" | "reconciliation">> {
  if (!offering.tokenAddress) {
    return { totalSupply: null, reconciliation: { status: "no_token", supplyChain: null, supplyDb: null, holdersChecked: 0, mismatches: 0, error: null } };
  }
  if (offering.chainId !== chain.chainId) {
    const error = `token on chain ${offering.chainId}, the portal reads chain ${chain.chainId}`;
    return { totalSupply: null, reconciliation: { status: "error", supplyChain: null, supplyDb: null, holdersChecked: 0, mismatches: 0, error } };
  }
  let result: Awaited<ReturnType<typeof reconcileOffering>>;
  try {
    result = await reconcileOffering(chain, { id: offering.id, slug: offering.slug, token: getAddress(offering.tokenAddress) });
  } catch (error) {
    // A node that does not answer: the job tries again later, with the reason in plain words.
    throw new Error(`chain unreachable: ${classifyChainError(error).message}`);
  }
  return {
    totalSupply: result.supplyChain,
    reconciliation: {
      status: result.status,
      supplyChain: result.supplyChain,
      supplyDb: result.supplyDb,
      holdersChecked: result.holdersChecked,
      mismatches: result.mismatches.length,
      error: null,
    },
  };
}

async function preparerEmail(userId: string | null): Promise<string | null> {
  if (!userId) return null;
  const [row] = await getDb().select({ email: users.email }).from(users).where(eq(users.id, userId));
  return row?.email ?? null;
}

/**
 * The figures of an offering as they stand now: sales and refunds from the orders and the ledger,
 * card fees from the processor, supply and reconciliation from the chain, holders from the
 * register, and net proceeds shared among the offering's published projects. Throws when the
 * processor or the chain cannot answer (the job retries), null when the offering does not exist.
 */
export async function computeFigures(offeringId: string, requestedBy: string | null, deps: SettlementDeps): Promise<Figures | null> {
  const [row] = await getDb().select({ offering: offerings, issuer: villages }).from(offerings).innerJoin(villages, eq(villages.id, offerings.villageId)).where(eq(offerings.id, offeringId));
  if (!row) return null;
  const { offering, issuer } = row;
  const [ledger, sales, payments, holders, projects, preparedBy] = await Promise.all([
    ledgerTotals(offeringId),
    orderTotals(offeringId),
    receivedPayments(offeringId),
    holderBalances(getDb(), { offeringId }),
    listPublishedProjects(),
    preparerEmail(requestedBy),
  ]);
  const fees = await deps.provider.paymentFees(payments.paymentIntentIds);
  const chain = await chainFigures(offering, deps.chain);
  const feeYen = fees.reduce((sum, fee) => sum + fee.feeYen, 0);
  const netProceedsYen = ledger.yenReceived - ledger.yenRefunded - feeYen;
  const allocation = allocateToProjects(
    netProceedsYen,
    projects
      .filter((line) => line.offering.id === offeringId)
      .map(({ project, figures }) => ({ id: project.id, slug: project.slug, titleJa: project.titleJa, titleEn: project.titleEn, budgetYen: project.budgetYen, spentYen: figures.spentYen })),
  );
  return {
    format: 1,
    issuer: { id: issuer.id, nameJa: issuer.nameJa, nameEn: issuer.nameEn, prefectureJa: issuer.prefectureJa, prefectureEn: issuer.prefectureEn },
    offering: {
      id: offering.id,
      slug: offering.slug,
      nameJa: offering.nameJa,
      nameEn: offering.nameEn,
      tokenSymbol: offering.tokenSymbol,
      priceYen: offering.priceYen,
      capUnits: offering.capUnits,
      opensAt: offering.opensAt.toISOString(),
      closesAt: offering.closesAt.toISOString(),
      closedAt: offering.closedAt?.toISOString() ?? null,
      status: offering.status,
      chainId: offering.chainId,
      tokenAddress: offering.tokenAddress,
    },
    sales: { ...sales, yenReceived: ledger.yenReceived, yenRefunded: ledger.yenRefunded, yenReceivedInStablecoin: payments.yenInStablecoin },
    fees: { payments: fees.length, feeYen, withoutProcessorRecord: payments.withoutProcessorRecord },
    netProceedsYen,
    chain: { ...chain, allocatedUnits: ledger.allocatedUnits, clawedBackUnits: ledger.clawedBackUnits, redeemedUnits: ledger.redeemedUnits, holders: holders.length },
    projects: allocation.projects,
    unallocatedYen: allocation.unallocatedYen,
    preparedBy,
    preparedAt: new Date().toISOString(),
  };
}

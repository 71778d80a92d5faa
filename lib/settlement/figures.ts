import { z } from "zod";
import { fundedShare } from "@/lib/projects/funding";

/**
 * The frozen figures of a settlement report, as stored in settlement_reports.figures. Everything
 * the page, the CSV and the PDF show is in here, so a report reads the same years later whatever
 * happens to the offering, its projects or its staff. Integer yen; times as ISO strings.
 */
const yen = z.number().int();
const count = z.number().int().nonnegative();

const figuresSchema = z.object({
  format: z.literal(1),
  issuer: z.object({ id: z.string(), nameJa: z.string(), nameEn: z.string(), prefectureJa: z.string(), prefectureEn: z.string() }),
  offering: z.object({
    id: z.string(),
    slug: z.string(),
    nameJa: z.string(),
    nameEn: z.string(),
    tokenSymbol: z.string(),
    priceYen: yen,
    capUnits: count,
    opensAt: z.string(),
    closesAt: z.string(),
    closedAt: z.string().nullable(),
    status: z.string(),
    chainId: z.number().int().nullable(),
    tokenAddress: z.string().nullable(),
  }),
  sales: z.object({
    /** Orders whose money was received and kept (paid, allocating, allocated, disputed). */
    paidOrders: count,
    unitsSold: count,
    /** Orders refunded in full after payment, and their units. */
    refundedOrders: count,
    unitsRefunded: count,
    /** Units of sold orders not on chain yet. */
    unitsAwaitingAllocation: count,
    /** From the ledger: every yen received, every yen refunded. */
    yenReceived: yen,
    yenRefunded: yen,
    /** The amounts of the orders that hold their units: invariant 4 compares the ledger with it. */
    paidOrdersYen: yen,
    /** Of yenReceived, paid in the stablecoin straight to the issuer's address (the portal never held it). Absent in reports made before. */
    yenReceivedInStablecoin: yen.optional(),
  }),
  fees: z.object({ payments: count, feeYen: yen, withoutProcessorRecord: count }),
  netProceedsYen: yen,
  chain: z.object({
    totalSupply: z.number().int().nullable(),
    allocatedUnits: count,
    clawedBackUnits: count,
    /** Burned: bond redemptions and units given up for perks (a perk's give-back counts as issued). Absent in reports made before. */
    redeemedUnits: count.optional(),
    holders: count,
    reconciliation: z.object({
      status: z.enum(["ok", "mismatch", "error", "no_token"]),
      supplyChain: z.number().int().nullable(),
      supplyDb: z.number().int().nullable(),
      holdersChecked: count,
      mismatches: count,
      error: z.string().nullable(),
    }),
  }),
  projects: z.array(z.object({ id: z.string(), slug: z.string(), titleJa: z.string(), titleEn: z.string(), budgetYen: yen, allocatedYen: yen, spentYen: yen, remainingYen: yen })),
  unallocatedYen: yen,
  preparedBy: z.string().nullable(),
  preparedAt: z.string(),
});

export type Figures = z.infer<typeof figuresSchema>;
type ProjectInput = Omit<Figures["projects"][number], "allocatedYen" | "remainingYen">;

/**
 * Net proceeds shared among the projects in proportion to their budgets, never more than a
 * budget (the rule the project pages use for the money raised); what no budget takes is unallocated.
 */
export function allocateToProjects(netProceedsYen: number, projects: ProjectInput[]): { projects: Figures["projects"]; unallocatedYen: number } {
  const totalBudget = projects.reduce((sum, project) => sum + project.budgetYen, 0);
  const lines = projects.map((project) => {
    const allocatedYen = fundedShare(netProceedsYen, project.budgetYen, totalBudget);
    return { ...project, allocatedYen, remainingYen: allocatedYen - project.spentYen };
  });
  const allocated = lines.reduce((sum, line) => sum + line.allocatedYen, 0);
  return { projects: lines, unallocatedYen: Math.max(0, netProceedsYen) - allocated };
}

/** The invariants of DESIGN.md as they held when the report was made; null where there is nothing to compare. */
export function invariantsOf(figures: Figures) {
  const { sales, chain } = figures;
  return {
    /** 4: yen received − refunds = the orders that hold their units. */
    yenMatchesOrders: sales.yenReceived - sales.yenRefunded === sales.paidOrdersYen,
    /** 3 and 8: supply on chain = allocated − clawed back − burned. */
    supplyMatchesLedger: chain.totalSupply === null ? null : chain.totalSupply === chain.allocatedUnits - chain.clawedBackUnits - (chain.redeemedUnits ?? 0),
  };
}

export function parseFigures(value: unknown): Figures {
  return figuresSchema.parse(value);
}

/**
 * How much of an offering's proceeds a project has: the yen received (net of refunds) shared
 * among the offering's published projects in proportion to their budgets, never more than the
 * project's own budget. Derived on every read; nothing is typed twice.
 */
export function fundedShare(raisedYen: number, budgetYen: number, totalBudgetYen: number): number {
  if (totalBudgetYen <= 0 || raisedYen <= 0 || budgetYen <= 0) return 0;
  // BigInt: yen × yen can pass 2^53.
  const share = Number((BigInt(raisedYen) * BigInt(budgetYen)) / BigInt(totalBudgetYen));
  return Math.min(budgetYen, share);
}

export type ChartPoint = { at: Date; fundedYen: number; spentYen: number };

/** Funded and spent as step series over time, one point per event, starting from zero at `start`. */
export function fundingTimeline(options: {
  budgetYen: number;
  totalBudgetYen: number;
  raised: { at: Date; totalYen: number }[];
  spending: { spentOn: Date; amountYen: number }[];
  start: Date;
  end: Date;
}): ChartPoint[] {
  const events = [
    ...options.raised.map((entry) => ({ at: entry.at, raisedTotal: entry.totalYen, spent: 0 })),
    ...options.spending.map((entry) => ({ at: entry.spentOn, raisedTotal: undefined, spent: entry.amountYen })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  const first = events[0]?.at;
  const start = first && first < options.start ? first : options.start;
  const points: ChartPoint[] = [{ at: start, fundedYen: 0, spentYen: 0 }];
  let raised = 0;
  let spent = 0;
  for (const event of events) {
    if (event.raisedTotal !== undefined) raised = event.raisedTotal;
    spent += event.spent;
    points.push({ at: event.at, fundedYen: fundedShare(raised, options.budgetYen, options.totalBudgetYen), spentYen: spent });
  }
  const last = points[points.length - 1]!;
  if (options.end > last.at) points.push({ ...last, at: options.end });
  return points;
}

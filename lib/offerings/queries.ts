import "server-only";
import { and, asc, countDistinct, eq, inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { offerings, orders, type Offering } from "@/db/schema";
import { PAID_UNDISPUTED } from "@/lib/orders/status";
import { publicView } from "./public-view";

export type OfferingSummary = Offering & {
  raisedYen: number;
  targetYen: number;
  unitsLeft: number;
  investorCount: number;
};

/** Public figures over the approved terms (publicView): these summaries are for public pages only. */
async function withFigures(current: Offering[]): Promise<OfferingSummary[]> {
  const rows = current.map(publicView);
  if (rows.length === 0) return [];
  const investors = await getDb()
    .select({ offeringId: orders.offeringId, n: countDistinct(orders.userId) })
    .from(orders)
    .where(
      and(
        inArray(
          orders.offeringId,
          rows.map((row) => row.id),
        ),
        inArray(orders.status, [...PAID_UNDISPUTED]),
      ),
    )
    .groupBy(orders.offeringId);
  return rows.map((row) => ({
    ...row,
    raisedYen: row.soldUnits * row.priceYen,
    targetYen: row.capUnits * row.priceYen,
    unitsLeft: row.capUnits - row.soldUnits - row.reservedUnits,
    investorCount: investors.find((entry) => entry.offeringId === row.id)?.n ?? 0,
  }));
}

export async function listOpenOfferings(): Promise<OfferingSummary[]> {
  const rows = await getDb().select().from(offerings).where(eq(offerings.status, "open")).orderBy(asc(offerings.closesAt));
  return withFigures(rows);
}

export async function getOfferingBySlug(slug: string): Promise<OfferingSummary | null> {
  const rows = await getDb().select().from(offerings).where(eq(offerings.slug, slug));
  const visible = rows.filter((row) => row.status !== "draft");
  return (await withFigures(visible))[0] ?? null;
}

import "server-only";
import { and, desc, eq, inArray, ne, type SQL } from "drizzle-orm";
import { getDb } from "@/db/client";
import { offerings, reconciliations, villages, type Offering, type Village } from "@/db/schema";
import { explorerAddressUrl } from "@/lib/chain/queries";
import { publicView } from "@/lib/offerings/public-view";
import { portalUrl } from "./http";
import { afterCursor, keysetOrder, micros, pageOf } from "./keyset";
import type { ApiIssuer, ApiOffering, Paging } from "./schemas";

export const imageUrl = (imageId: string | null) => (imageId ? portalUrl(`/api/images/${imageId}`) : null);

function issuerShape(row: Village): ApiIssuer {
  return {
    slug: row.slug,
    kind: row.kind,
    name: { ja: row.nameJa, en: row.nameEn },
    prefecture: { ja: row.prefectureJa, en: row.prefectureEn },
    description: { ja: row.descriptionJa, en: row.descriptionEn },
    population: row.population,
    logoUrl: imageUrl(row.logoImageId),
  };
}

/** Every issuer, by slug. */
export async function listIssuers({ limit, cursor }: Paging) {
  const rows = await getDb()
    .select()
    .from(villages)
    .where(afterCursor(cursor, villages.slug, null))
    .orderBy(...keysetOrder(villages.slug, null))
    .limit(limit + 1);
  const page = pageOf(rows, limit, (row) => ({ k: row.slug }));
  return { data: page.rows.map(issuerShape), nextCursor: page.nextCursor };
}

export async function getIssuer(slug: string) {
  const [row] = await getDb().select().from(villages).where(eq(villages.slug, slug));
  return row ? { data: issuerShape(row) } : null;
}

/** The newest reconciliation of each offering: supply on chain as last read, never a chain call per request. */
async function latestReconciliations(offeringIds: string[]) {
  if (offeringIds.length === 0) return new Map<string, typeof reconciliations.$inferSelect>();
  const rows = await getDb()
    .selectDistinctOn([reconciliations.offeringId])
    .from(reconciliations)
    .where(inArray(reconciliations.offeringId, offeringIds))
    .orderBy(reconciliations.offeringId, desc(reconciliations.at));
  return new Map(rows.map((row) => [row.offeringId!, row]));
}

async function offeringShapes(rows: { offering: Offering; issuer: string }[]): Promise<ApiOffering[]> {
  const latest = await latestReconciliations(rows.map((row) => row.offering.id));
  return rows.map(({ offering: current, issuer }) => {
    // The approved terms, never a revision still awaiting its second approval.
    const offering = publicView(current);
    const last = latest.get(offering.id);
    return {
      slug: offering.slug,
      issuer,
      kind: offering.kind,
      // Drafts are filtered out by every query; the type does not know that.
      status: offering.status as ApiOffering["status"],
      name: { ja: offering.nameJa, en: offering.nameEn },
      description: { ja: offering.descriptionJa, en: offering.descriptionEn },
      terms: {
        priceYen: offering.priceYen,
        capUnits: offering.capUnits,
        minUnitsPerOrder: offering.minUnitsPerOrder,
        maxUnitsPerOrder: offering.maxUnitsPerOrder,
        yearlyCapYenPerInvestor: offering.yearlyCapYenPerInvestor,
        opensAt: offering.opensAt.toISOString(),
        closesAt: offering.closesAt.toISOString(),
      },
      progress: {
        soldUnits: offering.soldUnits,
        reservedUnits: offering.reservedUnits,
        availableUnits: offering.capUnits - offering.soldUnits - offering.reservedUnits,
        soldYen: offering.soldUnits * offering.priceYen,
        targetYen: offering.capUnits * offering.priceYen,
      },
      token: {
        symbol: offering.tokenSymbol,
        chainId: offering.chainId,
        address: offering.tokenAddress,
        explorerUrl: offering.tokenAddress ? portalUrl(explorerAddressUrl(offering.tokenAddress)) : null,
      },
      reconciliation: last ? { result: last.status, at: last.at.toISOString(), supplyOnChain: last.supplyChain, supplyRecorded: last.supplyDb, holdersChecked: last.holdersChecked } : null,
      closedAt: offering.closedAt?.toISOString() ?? null,
    };
  });
}

const visible = ne(offerings.status, "draft");

/** Offerings other than drafts, newest opening first. */
export async function listOfferings(query: Paging & { issuer?: string; status?: ApiOffering["status"] }) {
  const filters: (SQL | undefined)[] = [visible, afterCursor(query.cursor, offerings.slug, offerings.opensAt)];
  if (query.issuer) filters.push(eq(villages.slug, query.issuer));
  if (query.status) filters.push(eq(offerings.status, query.status));
  const rows = await getDb()
    .select({ offering: offerings, issuer: villages.slug, t: micros(offerings.opensAt) })
    .from(offerings)
    .innerJoin(villages, eq(villages.id, offerings.villageId))
    .where(and(...filters))
    .orderBy(...keysetOrder(offerings.slug, offerings.opensAt))
    .limit(query.limit + 1);
  const page = pageOf(rows, query.limit, (row) => ({ t: row.t, k: row.offering.slug }));
  return { data: await offeringShapes(page.rows), nextCursor: page.nextCursor };
}

export async function getOffering(slug: string) {
  const rows = await getDb()
    .select({ offering: offerings, issuer: villages.slug })
    .from(offerings)
    .innerJoin(villages, eq(villages.id, offerings.villageId))
    .where(and(eq(offerings.slug, slug), visible));
  const [shape] = await offeringShapes(rows);
  return shape ? { data: shape } : null;
}

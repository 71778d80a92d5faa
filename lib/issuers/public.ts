import "server-only";
import { and, asc, count, desc, eq, ne, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { images, offerings, villages, type Issuer } from "@/db/schema";
import { getOfferingBySlug, type OfferingSummary } from "@/lib/offerings/queries";
import { listPublishedProjects } from "@/lib/projects/queries";

/** What the public sees of issuers: their pages, and the list on the home page. */

type Logo = { id: string; width: number; height: number } | null;
const logoColumns = { id: images.id, width: images.width, height: images.height };

export type IssuerCard = { issuer: Issuer; logo: Logo; openOfferings: number };

/** Every issuer with at least one offering open for sale, the one with the most open offerings first. */
export async function listIssuersWithOpenOffering(): Promise<IssuerCard[]> {
  const openOfferings = count(offerings.id);
  const rows = await getDb()
    .select({ issuer: villages, logo: logoColumns, openOfferings })
    .from(villages)
    .innerJoin(offerings, and(eq(offerings.villageId, villages.id), eq(offerings.status, "open")))
    .leftJoin(images, eq(images.id, villages.logoImageId))
    .groupBy(villages.id, images.id)
    .orderBy(desc(openOfferings), asc(villages.createdAt));
  return rows.map((row) => ({ ...row, logo: row.logo?.id ? row.logo : null }));
}

/** Every issuer, for the public list of issuers. */
export async function listIssuers(): Promise<IssuerCard[]> {
  const rows = await getDb()
    .select({
      issuer: villages,
      logo: logoColumns,
      openOfferings: sql<number>`(select count(*)::int from ${offerings} where ${offerings.villageId} = ${villages.id} and ${offerings.status} = 'open')`,
    })
    .from(villages)
    .leftJoin(images, eq(images.id, villages.logoImageId))
    .orderBy(asc(villages.createdAt));
  return rows.map((row) => ({ ...row, logo: row.logo?.id ? row.logo : null }));
}

/** An issuer's public page: its offerings past their draft (open ones first) with progress, and its published projects. */
export async function getPublicIssuer(slug: string, now = new Date()) {
  const db = getDb();
  const [row] = await db.select({ issuer: villages, logo: logoColumns }).from(villages).leftJoin(images, eq(images.id, villages.logoImageId)).where(eq(villages.slug, slug));
  if (!row) return null;
  const visible = await db
    .select({ slug: offerings.slug })
    .from(offerings)
    .where(and(eq(offerings.villageId, row.issuer.id), ne(offerings.status, "draft")))
    .orderBy(sql`${offerings.status} = 'open' desc`, desc(offerings.opensAt));
  const [found, projects] = await Promise.all([Promise.all(visible.map((offering) => getOfferingBySlug(offering.slug))), listPublishedProjects(now, row.issuer.id)]);
  const issuerOfferings = found.filter((offering): offering is OfferingSummary => offering !== null);
  return { issuer: row.issuer, logo: row.logo?.id ? row.logo : null, offerings: issuerOfferings, projects };
}

import "server-only";
import { and, asc, eq, inArray, isNotNull, lte, ne, type SQL, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { images, ledgerEntries, offerings, projects, projectSpending, projectUpdateImages, projectUpdates, SALE_YEN_KINDS, villages, type Project } from "@/db/schema";
import { fundedShare } from "@/lib/projects/funding";
import { tokyoDate } from "@/lib/projects/dates";
import { afterCursor, keysetOrder, micros, pageOf } from "./keyset";
import { imageUrl } from "./offerings";
import type { ApiProjectSummary, ApiSpending, ApiUpdate, Paging } from "./schemas";

/** Public: published (now or earlier) and funded by an offering that is not a draft. */
const publicProject = (now: Date) => and(isNotNull(projects.publishedAt), lte(projects.publishedAt, now), ne(offerings.status, "draft"));

type Row = { project: Project; offering: string; issuer: string; t: string };

function selectProjects(where: SQL | undefined) {
  return getDb()
    .select({ project: projects, offering: offerings.slug, issuer: villages.slug, t: micros(projects.publishedAt) })
    .from(projects)
    .innerJoin(offerings, eq(offerings.id, projects.offeringId))
    .innerJoin(villages, eq(villages.id, offerings.villageId))
    .where(where);
}

/** Money figures as the project pages show them: budget, share of the yen received, spent. */
async function withFigures(rows: Row[], now: Date): Promise<ApiProjectSummary[]> {
  if (rows.length === 0) return [];
  const db = getDb();
  const offeringIds = [...new Set(rows.map((row) => row.project.offeringId))];
  const [raised, budgets, spent] = await Promise.all([
    db
      .select({ offeringId: ledgerEntries.offeringId, yen: sql<string>`coalesce(sum(${ledgerEntries.yen}), 0)::bigint` })
      .from(ledgerEntries)
      .where(and(inArray(ledgerEntries.offeringId, offeringIds), inArray(ledgerEntries.kind, [...SALE_YEN_KINDS])))
      .groupBy(ledgerEntries.offeringId),
    db
      .select({ offeringId: projects.offeringId, yen: sql<string>`sum(${projects.budgetYen})::bigint` })
      .from(projects)
      .innerJoin(offerings, eq(offerings.id, projects.offeringId))
      .where(and(inArray(projects.offeringId, offeringIds), publicProject(now)))
      .groupBy(projects.offeringId),
    db
      .select({ projectId: projectSpending.projectId, yen: sql<string>`sum(${projectSpending.amountYen})::bigint` })
      .from(projectSpending)
      .where(
        inArray(
          projectSpending.projectId,
          rows.map((row) => row.project.id),
        ),
      )
      .groupBy(projectSpending.projectId),
  ]);
  const sumOf = <K extends string>(list: ({ yen: string } & Record<K, string>)[], key: K, id: string) => Number(list.find((entry) => entry[key] === id)?.yen ?? 0);
  return rows.map(({ project, offering, issuer }) => ({
    slug: project.slug,
    offering,
    issuer,
    title: { ja: project.titleJa, en: project.titleEn },
    summary: { ja: project.summaryJa, en: project.summaryEn },
    status: project.status,
    budgetYen: project.budgetYen,
    fundedYen: fundedShare(sumOf(raised, "offeringId", project.offeringId), project.budgetYen, sumOf(budgets, "offeringId", project.offeringId)),
    spentYen: sumOf(spent, "projectId", project.id),
    coverImageUrl: imageUrl(project.coverImageId),
    publishedAt: project.publishedAt!.toISOString(),
    updatedAt: project.updatedAt.toISOString(),
  }));
}

/** Published projects, newest first, optionally of one issuer or one offering. */
export async function listProjects(query: Paging & { issuer?: string; offering?: string }, now = new Date()) {
  const filters = [publicProject(now), afterCursor(query.cursor, projects.slug, projects.publishedAt)];
  if (query.issuer) filters.push(eq(villages.slug, query.issuer));
  if (query.offering) filters.push(eq(offerings.slug, query.offering));
  const rows = await selectProjects(and(...filters))
    .orderBy(...keysetOrder(projects.slug, projects.publishedAt))
    .limit(query.limit + 1);
  const page = pageOf(rows, query.limit, (row) => ({ t: row.t, k: row.project.slug }));
  return { data: await withFigures(page.rows, now), nextCursor: page.nextCursor };
}

async function findProject(slug: string, now: Date) {
  const [row] = await selectProjects(and(eq(projects.slug, slug), publicProject(now)));
  return row ?? null;
}

export async function getProject(slug: string, now = new Date()) {
  const row = await findProject(slug, now);
  if (!row) return null;
  const [summary] = await withFigures([row], now);
  return { data: { ...summary!, body: { ja: row.project.bodyJa, en: row.project.bodyEn } } };
}

/** A published project's spending, latest day first; null when the project is not public. */
export async function listSpending(slug: string, { limit, cursor }: Paging, now = new Date()) {
  const found = await findProject(slug, now);
  if (!found) return null;
  const rows = await getDb()
    .select({
      id: projectSpending.id,
      spentOn: projectSpending.spentOn,
      amountYen: projectSpending.amountYen,
      descriptionJa: projectSpending.descriptionJa,
      descriptionEn: projectSpending.descriptionEn,
      hasReceipt: sql<boolean>`${projectSpending.receiptImageId} is not null`,
      t: micros(projectSpending.spentOn),
    })
    .from(projectSpending)
    .where(and(eq(projectSpending.projectId, found.project.id), afterCursor(cursor, projectSpending.id, projectSpending.spentOn)))
    .orderBy(...keysetOrder(projectSpending.id, projectSpending.spentOn))
    .limit(limit + 1);
  const page = pageOf(rows, limit, (row) => ({ t: row.t, k: row.id }));
  const data: ApiSpending[] = page.rows.map((row) => ({
    id: row.id,
    spentOn: tokyoDate(row.spentOn),
    amountYen: row.amountYen,
    description: { ja: row.descriptionJa, en: row.descriptionEn },
    hasReceipt: row.hasReceipt,
  }));
  return { data, nextCursor: page.nextCursor };
}

/** A published project's published updates, newest first, with their photos; null when the project is not public. */
export async function listUpdates(slug: string, { limit, cursor }: Paging, now = new Date()) {
  const found = await findProject(slug, now);
  if (!found) return null;
  const db = getDb();
  const rows = await db
    .select({ update: projectUpdates, t: micros(projectUpdates.publishedAt) })
    .from(projectUpdates)
    .where(
      and(
        eq(projectUpdates.projectId, found.project.id),
        isNotNull(projectUpdates.publishedAt),
        lte(projectUpdates.publishedAt, now),
        afterCursor(cursor, projectUpdates.id, projectUpdates.publishedAt),
      ),
    )
    .orderBy(...keysetOrder(projectUpdates.id, projectUpdates.publishedAt))
    .limit(limit + 1);
  const page = pageOf(rows, limit, (row) => ({ t: row.t, k: row.update.id }));
  const ids = page.rows.map((row) => row.update.id);
  const photos = ids.length
    ? await db
        .select({ updateId: projectUpdateImages.updateId, imageId: images.id, width: images.width, height: images.height })
        .from(projectUpdateImages)
        .innerJoin(images, eq(images.id, projectUpdateImages.imageId))
        .where(inArray(projectUpdateImages.updateId, ids))
        .orderBy(asc(projectUpdateImages.position))
    : [];
  const data: ApiUpdate[] = page.rows.map(({ update }) => ({
    id: update.id,
    title: { ja: update.titleJa, en: update.titleEn },
    body: { ja: update.bodyJa, en: update.bodyEn },
    figures: update.figures,
    revision: update.revision,
    publishedAt: update.publishedAt!.toISOString(),
    editedAt: update.editedAt?.toISOString() ?? null,
    images: photos.filter((photo) => photo.updateId === update.id).map((photo) => ({ url: imageUrl(photo.imageId)!, width: photo.width, height: photo.height })),
  }));
  return { data, nextCursor: page.nextCursor };
}

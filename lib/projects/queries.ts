import "server-only";
import { and, asc, desc, eq, inArray, isNotNull, lte, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { images, offerings, projects, projectSpending, projectUpdateImages, projectUpdates } from "@/db/schema";
import { yenReceivedSeries } from "@/lib/register/ledger";
import { fundedShare, fundingTimeline } from "./funding";

export type ProjectFigures = { budgetYen: number; fundedYen: number; spentYen: number };

const publishedBy = (now: Date) => and(isNotNull(projects.publishedAt), lte(projects.publishedAt, now));
const offeringColumns = { id: offerings.id, slug: offerings.slug, nameJa: offerings.nameJa, nameEn: offerings.nameEn };
const coverColumns = { id: images.id, width: images.width, height: images.height };

/** Per offering: the yen received so far and the budgets of its published projects. */
async function offeringTotals(offeringIds: string[], now: Date) {
  const db = getDb();
  const unique = [...new Set(offeringIds)];
  type Totals = { raisedYen: number; totalBudgetYen: number; series: { at: Date; totalYen: number }[] };
  if (unique.length === 0) return new Map<string, Totals>();
  const budgets = await db
    .select({ offeringId: projects.offeringId, total: sql<number>`sum(${projects.budgetYen})::bigint` })
    .from(projects)
    .where(and(inArray(projects.offeringId, unique), publishedBy(now)))
    .groupBy(projects.offeringId);
  const series = await Promise.all(unique.map((id) => yenReceivedSeries(id)));
  return new Map<string, Totals>(
    unique.map((id, i) => [id, { raisedYen: series[i]!.at(-1)?.totalYen ?? 0, totalBudgetYen: Number(budgets.find((row) => row.offeringId === id)?.total ?? 0), series: series[i]! }]),
  );
}

async function spentByProject(projectIds: string[]) {
  if (projectIds.length === 0) return new Map<string, number>();
  const rows = await getDb()
    .select({ projectId: projectSpending.projectId, total: sql<number>`sum(${projectSpending.amountYen})::bigint` })
    .from(projectSpending)
    .where(inArray(projectSpending.projectId, projectIds))
    .groupBy(projectSpending.projectId);
  return new Map(rows.map((row) => [row.projectId, Number(row.total)]));
}

/** Published projects (of one issuer, when given), with the offering that funds each, its cover and its money figures. */
export async function listPublishedProjects(now = new Date(), issuerId?: string) {
  const rows = await getDb()
    .select({ project: projects, offering: offeringColumns, cover: coverColumns })
    .from(projects)
    .innerJoin(offerings, eq(projects.offeringId, offerings.id))
    .leftJoin(images, eq(images.id, projects.coverImageId))
    .where(and(publishedBy(now), issuerId ? eq(offerings.villageId, issuerId) : undefined))
    .orderBy(desc(projects.budgetYen), asc(projects.slug));
  const [totals, spent] = await Promise.all([
    offeringTotals(
      rows.map((row) => row.offering.id),
      now,
    ),
    spentByProject(rows.map((row) => row.project.id)),
  ]);
  return rows.map((row) => {
    const total = totals.get(row.offering.id);
    const figures: ProjectFigures = {
      budgetYen: row.project.budgetYen,
      fundedYen: fundedShare(total?.raisedYen ?? 0, row.project.budgetYen, total?.totalBudgetYen ?? 0),
      spentYen: spent.get(row.project.id) ?? 0,
    };
    return { ...row, figures };
  });
}

/** A published project with its published updates (and their photos), spending and figures over time. */
export async function getPublishedProject(slug: string, now = new Date()) {
  const db = getDb();
  const [row] = await db
    .select({ project: projects, offering: offeringColumns, cover: coverColumns })
    .from(projects)
    .innerJoin(offerings, eq(projects.offeringId, offerings.id))
    .leftJoin(images, eq(images.id, projects.coverImageId))
    .where(and(eq(projects.slug, slug), publishedBy(now)));
  if (!row) return null;
  const [updates, spending, totals] = await Promise.all([
    db
      .select()
      .from(projectUpdates)
      .where(and(eq(projectUpdates.projectId, row.project.id), isNotNull(projectUpdates.publishedAt), lte(projectUpdates.publishedAt, now)))
      .orderBy(desc(projectUpdates.publishedAt)),
    db
      .select({
        id: projectSpending.id,
        spentOn: projectSpending.spentOn,
        amountYen: projectSpending.amountYen,
        descriptionJa: projectSpending.descriptionJa,
        descriptionEn: projectSpending.descriptionEn,
        hasReceipt: sql<boolean>`${projectSpending.receiptImageId} is not null`,
      })
      .from(projectSpending)
      .where(eq(projectSpending.projectId, row.project.id))
      .orderBy(desc(projectSpending.spentOn), desc(projectSpending.createdAt)),
    offeringTotals([row.offering.id], now),
  ]);
  const photos = updates.length
    ? await db
        .select({ updateId: projectUpdateImages.updateId, id: images.id, width: images.width, height: images.height })
        .from(projectUpdateImages)
        .innerJoin(images, eq(images.id, projectUpdateImages.imageId))
        .where(
          inArray(
            projectUpdateImages.updateId,
            updates.map((update) => update.id),
          ),
        )
        .orderBy(asc(projectUpdateImages.position))
    : [];
  const total = totals.get(row.offering.id)!;
  const spentYen = spending.reduce((sum, entry) => sum + entry.amountYen, 0);
  const figures: ProjectFigures = { budgetYen: row.project.budgetYen, fundedYen: fundedShare(total.raisedYen, row.project.budgetYen, total.totalBudgetYen), spentYen };
  const timeline = fundingTimeline({
    budgetYen: row.project.budgetYen,
    totalBudgetYen: total.totalBudgetYen,
    raised: total.series,
    spending,
    start: row.project.publishedAt ?? row.project.createdAt,
    end: now,
  });
  return {
    ...row,
    figures,
    timeline,
    spending,
    updates: updates.map((update) => ({ ...update, images: photos.filter((photo) => photo.updateId === update.id).map(({ updateId: _, ...image }) => image) })),
  };
}

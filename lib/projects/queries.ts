import "server-only";
import { and, asc, desc, eq, isNotNull, lte } from "drizzle-orm";
import { getDb } from "@/db/client";
import { offerings, projects, projectUpdates } from "@/db/schema";

/** Published projects, with the offering that funds each. */
export async function listPublishedProjects(now = new Date()) {
  return getDb()
    .select({ project: projects, offering: { slug: offerings.slug, nameJa: offerings.nameJa, nameEn: offerings.nameEn } })
    .from(projects)
    .innerJoin(offerings, eq(projects.offeringId, offerings.id))
    .where(and(isNotNull(projects.publishedAt), lte(projects.publishedAt, now)))
    .orderBy(desc(projects.budgetYen), asc(projects.slug));
}

export async function getPublishedProject(slug: string, now = new Date()) {
  const db = getDb();
  const [row] = await db
    .select({ project: projects, offering: { slug: offerings.slug, nameJa: offerings.nameJa, nameEn: offerings.nameEn } })
    .from(projects)
    .innerJoin(offerings, eq(projects.offeringId, offerings.id))
    .where(and(eq(projects.slug, slug), isNotNull(projects.publishedAt), lte(projects.publishedAt, now)));
  if (!row) return null;
  const updates = await db
    .select()
    .from(projectUpdates)
    .where(and(eq(projectUpdates.projectId, row.project.id), isNotNull(projectUpdates.publishedAt), lte(projectUpdates.publishedAt, now)))
    .orderBy(desc(projectUpdates.publishedAt));
  return { ...row, updates };
}

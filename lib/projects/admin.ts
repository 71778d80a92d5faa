import "server-only";
import { and, asc, count, desc, eq, inArray, ne, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { images, offerings, projects, projectSpending, projectUpdates } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { offeringIdsOf } from "@/lib/issuers/scope";
import { checkImageFile, type ImageError } from "@/lib/uploads/image-check";
import { withStoredFiles } from "@/lib/uploads/images";
import type { ProjectInput } from "./schemas";

export type SaveProjectResult =
  | { ok: true; projectId: string; created: boolean }
  | { ok: false; error: "notFound" | "slugTaken" | "slugLocked" | "offering" }
  | { ok: false; error: "image"; imageError: ImageError };

const EDITABLE = ["slug", "titleJa", "titleEn", "summaryJa", "summaryEn", "bodyJa", "bodyEn", "budgetYen", "status", "offeringId"] as const;

/**
 * Creates a project (as a draft) or edits one, for staff acting for `issuerIds`: both the project
 * and the offering it is moved to must be theirs. A published project keeps its address (slug).
 */
export async function saveProject(input: ProjectInput, actorId: string, uploadDir: string, issuerIds: readonly string[]): Promise<SaveProjectResult> {
  const db = getDb();
  const cover = input.cover ? await checkImageFile(input.cover) : null;
  if (cover && !cover.ok) return { ok: false, error: "image", imageError: cover.error };
  const [offering] = await db
    .select({ id: offerings.id })
    .from(offerings)
    .where(and(eq(offerings.id, input.offeringId), inArray(offerings.villageId, [...issuerIds])));
  if (!offering) return { ok: false, error: "offering" };
  const [clash] = await db
    .select({ id: projects.id })
    .from(projects)
    .where(and(eq(projects.slug, input.slug), input.projectId ? ne(projects.id, input.projectId) : undefined));
  if (clash) return { ok: false, error: "slugTaken" };

  return withStoredFiles(uploadDir, (files) =>
    db.transaction(async (tx): Promise<SaveProjectResult> => {
      const coverImageId = cover?.ok ? (await files.save(tx, cover.image, "cover", actorId)).id : undefined;
      const values = Object.fromEntries(EDITABLE.map((key) => [key, input[key]])) as Pick<ProjectInput, (typeof EDITABLE)[number]>;
      if (!input.projectId) {
        const [row] = await tx
          .insert(projects)
          .values({ ...values, coverImageId })
          .returning({ id: projects.id });
        await recordAudit(tx, { actorId, action: "project.created", targetType: "project", targetId: row!.id, detail: { slug: input.slug, budgetYen: input.budgetYen } });
        return { ok: true, projectId: row!.id, created: true };
      }
      const [existing] = await tx
        .select()
        .from(projects)
        .where(and(eq(projects.id, input.projectId), inArray(projects.offeringId, offeringIdsOf(issuerIds, tx))))
        .for("update");
      if (!existing) return { ok: false, error: "notFound" };
      if (existing.publishedAt && existing.slug !== input.slug) return { ok: false, error: "slugLocked" };
      const changed = EDITABLE.filter((key) => existing[key] !== values[key]);
      await tx
        .update(projects)
        .set({ ...values, ...(coverImageId ? { coverImageId } : {}), updatedAt: sql`now()` })
        .where(eq(projects.id, existing.id));
      const before = Object.fromEntries(changed.filter((key) => !key.startsWith("body")).map((key) => [key, existing[key]]));
      await recordAudit(tx, {
        actorId,
        action: "project.updated",
        targetType: "project",
        targetId: existing.id,
        detail: { changed: coverImageId ? [...changed, "coverImageId"] : changed, before },
      });
      return { ok: true, projectId: existing.id, created: false };
    }),
  );
}

/** Publishes (keeping the first publication time) or takes a project back to draft. */
export async function setProjectPublished(projectId: string, publish: boolean, actorId: string, issuerIds: readonly string[]): Promise<boolean> {
  return getDb().transaction(async (tx) => {
    const [row] = await tx
      .update(projects)
      .set({ publishedAt: publish ? sql`coalesce(${projects.publishedAt}, now())` : null, updatedAt: sql`now()` })
      .where(and(eq(projects.id, projectId), inArray(projects.offeringId, offeringIdsOf(issuerIds, tx))))
      .returning({ id: projects.id, slug: projects.slug });
    if (!row) return false;
    await recordAudit(tx, { actorId, action: publish ? "project.published" : "project.unpublished", targetType: "project", targetId: row.id, detail: { slug: row.slug } });
    return true;
  });
}

/** The projects of the issuers a staff member acts for. */
export async function listProjectsForStaff(issuerIds: readonly string[]) {
  const db = getDb();
  const rows = await db
    .select({ project: projects, offeringJa: offerings.nameJa, offeringEn: offerings.nameEn })
    .from(projects)
    .innerJoin(offerings, eq(offerings.id, projects.offeringId))
    .where(inArray(offerings.villageId, [...issuerIds]))
    .orderBy(desc(projects.createdAt));
  const updateCounts = await db
    .select({ projectId: projectUpdates.projectId, total: count(), published: count(projectUpdates.publishedAt) })
    .from(projectUpdates)
    .groupBy(projectUpdates.projectId);
  return rows.map((row) => ({ ...row, updates: updateCounts.find((entry) => entry.projectId === row.project.id) ?? { total: 0, published: 0 } }));
}

/** The offerings a project may be funded by: those of the issuers a staff member acts for. */
export async function listOfferingOptions(issuerIds: readonly string[]) {
  return getDb()
    .select({ id: offerings.id, nameJa: offerings.nameJa, nameEn: offerings.nameEn })
    .from(offerings)
    .where(inArray(offerings.villageId, [...issuerIds]))
    .orderBy(asc(offerings.createdAt));
}

/** A project with its updates and spending; null when it does not exist or belongs to another issuer. */
export async function getProjectForStaff(projectId: string, issuerIds: readonly string[]) {
  const db = getDb();
  const [row] = await db
    .select({ project: projects, offeringJa: offerings.nameJa, offeringEn: offerings.nameEn, cover: images })
    .from(projects)
    .innerJoin(offerings, eq(offerings.id, projects.offeringId))
    .leftJoin(images, eq(images.id, projects.coverImageId))
    .where(and(eq(projects.id, projectId), inArray(offerings.villageId, [...issuerIds])));
  if (!row) return null;
  const [updates, spending] = await Promise.all([
    db.select().from(projectUpdates).where(eq(projectUpdates.projectId, projectId)).orderBy(desc(projectUpdates.createdAt)),
    db.select().from(projectSpending).where(eq(projectSpending.projectId, projectId)).orderBy(desc(projectSpending.spentOn), desc(projectSpending.createdAt)),
  ]);
  const spentYen = spending.reduce((sum, entry) => sum + entry.amountYen, 0);
  return { ...row, updates, spending, spentYen, publishedUpdates: updates.filter((update) => update.publishedAt).length };
}

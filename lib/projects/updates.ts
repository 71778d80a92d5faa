import "server-only";
import { and, asc, desc, eq, inArray, max, sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/db/client";
import { images, projects, projectUpdateImages, projectUpdateRevisions, projectUpdates } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { projectIdsOf } from "@/lib/issuers/scope";
import { notifyHolders } from "@/lib/notifications";
import { checkImageFile, type CheckedImage, type ImageError } from "@/lib/uploads/image-check";
import { withStoredFiles } from "@/lib/uploads/images";
import type { UpdateInput } from "./schemas";

export type SaveUpdateResult = { ok: true; updateId: string; created: boolean } | { ok: false; error: "notFound" } | { ok: false; error: "image"; imageError: ImageError };

async function imageIdsOf(tx: DbOrTx, updateId: string): Promise<string[]> {
  const rows = await tx.select({ imageId: projectUpdateImages.imageId }).from(projectUpdateImages).where(eq(projectUpdateImages.updateId, updateId)).orderBy(asc(projectUpdateImages.position));
  return rows.map((row) => row.imageId);
}

/**
 * Creates a draft update or edits one. Editing a published update first copies the version
 * readers saw into project_update_revisions, so its history is kept.
 */
export async function saveUpdate(input: UpdateInput, actorId: string, uploadDir: string, issuerIds: readonly string[]): Promise<SaveUpdateResult> {
  const checked: CheckedImage[] = [];
  for (const file of input.images) {
    const result = await checkImageFile(file);
    if (!result.ok) return { ok: false, error: "image", imageError: result.error };
    checked.push(result.image);
  }
  const db = getDb();
  return withStoredFiles(uploadDir, (files) =>
    db.transaction(async (tx): Promise<SaveUpdateResult> => {
      const [project] = await tx
        .select({ id: projects.id })
        .from(projects)
        .where(and(eq(projects.id, input.projectId), inArray(projects.id, projectIdsOf(issuerIds, tx))));
      if (!project) return { ok: false, error: "notFound" };
      const content = { titleJa: input.titleJa, titleEn: input.titleEn, bodyJa: input.bodyJa, bodyEn: input.bodyEn, figures: input.figures };
      let updateId: string;
      let created = false;
      if (input.updateId) {
        const [existing] = await tx
          .select()
          .from(projectUpdates)
          .where(and(eq(projectUpdates.id, input.updateId), eq(projectUpdates.projectId, input.projectId)))
          .for("update");
        if (!existing) return { ok: false, error: "notFound" };
        updateId = existing.id;
        const wasPublished = existing.publishedAt !== null;
        if (wasPublished) {
          await tx.insert(projectUpdateRevisions).values({
            updateId,
            revision: existing.revision,
            titleJa: existing.titleJa,
            titleEn: existing.titleEn,
            bodyJa: existing.bodyJa,
            bodyEn: existing.bodyEn,
            figures: existing.figures,
            imageIds: await imageIdsOf(tx, updateId),
            supersededBy: actorId,
          });
        }
        await tx
          .update(projectUpdates)
          .set({
            ...content,
            updatedAt: sql`now()`,
            ...(wasPublished ? { revision: existing.revision + 1, editedAt: sql`now()` } : {}),
          })
          .where(eq(projectUpdates.id, updateId));
        if (input.removeImageIds.length > 0) {
          // The image rows and files stay: earlier revisions still point at them.
          await tx.delete(projectUpdateImages).where(and(eq(projectUpdateImages.updateId, updateId), inArray(projectUpdateImages.imageId, input.removeImageIds)));
        }
        await recordAudit(tx, {
          actorId,
          action: "update.edited",
          targetType: "project_update",
          targetId: updateId,
          detail: {
            projectId: input.projectId,
            published: wasPublished,
            revision: wasPublished ? existing.revision + 1 : existing.revision,
            imagesAdded: checked.length,
            imagesRemoved: input.removeImageIds.length,
          },
        });
      } else {
        const [row] = await tx
          .insert(projectUpdates)
          .values({ ...content, projectId: input.projectId, authorId: actorId })
          .returning({ id: projectUpdates.id });
        updateId = row!.id;
        created = true;
        await recordAudit(tx, { actorId, action: "update.created", targetType: "project_update", targetId: updateId, detail: { projectId: input.projectId, images: checked.length } });
      }
      if (checked.length > 0) {
        const [last] = await tx
          .select({ position: max(projectUpdateImages.position) })
          .from(projectUpdateImages)
          .where(eq(projectUpdateImages.updateId, updateId));
        let position = (last?.position ?? -1) + 1;
        for (const image of checked) {
          const row = await files.save(tx, image, "update", actorId);
          await tx.insert(projectUpdateImages).values({ updateId, imageId: row.id, position: position++ });
        }
      }
      return { ok: true, updateId, created };
    }),
  );
}

export type PublishResult = { ok: true; notified: number } | { ok: false; error: "notFound" | "projectDraft" };

/**
 * Publishes an update and, in the same transaction, notifies the holders of the project's
 * offering (their email is a job enqueued here, see lib/notifications/jobs). Withdrawing
 * takes it off the public pages again; a later publication notifies nobody twice.
 */
export async function setUpdatePublished(updateId: string, publish: boolean, actorId: string, issuerIds: readonly string[]): Promise<PublishResult> {
  return getDb().transaction(async (tx): Promise<PublishResult> => {
    const [row] = await tx
      .select({ update: projectUpdates, project: { id: projects.id, offeringId: projects.offeringId, publishedAt: projects.publishedAt } })
      .from(projectUpdates)
      .innerJoin(projects, eq(projects.id, projectUpdates.projectId))
      .where(and(eq(projectUpdates.id, updateId), inArray(projects.id, projectIdsOf(issuerIds, tx))))
      .for("update", { of: projectUpdates });
    if (!row) return { ok: false, error: "notFound" };
    if (!publish) {
      await tx.update(projectUpdates).set({ publishedAt: null, updatedAt: sql`now()` }).where(eq(projectUpdates.id, updateId));
      await recordAudit(tx, { actorId, action: "update.withdrawn", targetType: "project_update", targetId: updateId, detail: { projectId: row.project.id } });
      return { ok: true, notified: 0 };
    }
    if (!row.project.publishedAt) return { ok: false, error: "projectDraft" };
    if (row.update.publishedAt) return { ok: true, notified: 0 };
    await tx.update(projectUpdates).set({ publishedAt: sql`now()`, updatedAt: sql`now()` }).where(eq(projectUpdates.id, updateId));
    const notified = await notifyHolders(tx, updateId, row.project.offeringId);
    await recordAudit(tx, { actorId, action: "update.published", targetType: "project_update", targetId: updateId, detail: { projectId: row.project.id, notified } });
    return { ok: true, notified };
  });
}

/** An update with its photos and earlier versions; null when it does not exist or belongs to another issuer. */
export async function getUpdateForStaff(updateId: string, issuerIds: readonly string[]) {
  const db = getDb();
  const [row] = await db
    .select()
    .from(projectUpdates)
    .where(and(eq(projectUpdates.id, updateId), inArray(projectUpdates.projectId, projectIdsOf(issuerIds, db))));
  if (!row) return null;
  const [attached, revisions] = await Promise.all([
    db
      .select({ id: images.id, width: images.width, height: images.height })
      .from(projectUpdateImages)
      .innerJoin(images, eq(images.id, projectUpdateImages.imageId))
      .where(eq(projectUpdateImages.updateId, updateId))
      .orderBy(asc(projectUpdateImages.position)),
    db.select().from(projectUpdateRevisions).where(eq(projectUpdateRevisions.updateId, updateId)).orderBy(desc(projectUpdateRevisions.revision)),
  ]);
  return { update: row, images: attached, revisions };
}

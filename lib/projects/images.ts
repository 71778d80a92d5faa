import "server-only";
import { and, eq, isNotNull, lte, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { images, projects, projectUpdateImages, projectUpdates, type Image } from "@/db/schema";

/**
 * An image as a given viewer may see it: staff see every image; anyone else only a cover of a
 * published project or a photo attached to a published update of one. Receipts stay staff-only.
 */
export async function imageForViewer(imageId: string, viewer: { isStaff: boolean }, now = new Date()) {
  const db = getDb();
  const [image] = await db.select().from(images).where(eq(images.id, imageId));
  if (!image) return null;
  if (viewer.isStaff) return { image, isPublic: await isPublic(image.id, image.purpose, now) };
  return (await isPublic(image.id, image.purpose, now)) ? { image, isPublic: true } : null;
}

async function isPublic(imageId: string, purpose: Image["purpose"], now: Date): Promise<boolean> {
  const db = getDb();
  const published = and(isNotNull(projects.publishedAt), lte(projects.publishedAt, now));
  if (purpose === "cover") {
    const [row] = await db
      .select({ one: sql`1` })
      .from(projects)
      .where(and(eq(projects.coverImageId, imageId), published))
      .limit(1);
    return Boolean(row);
  }
  if (purpose === "update") {
    const [row] = await db
      .select({ one: sql`1` })
      .from(projectUpdateImages)
      .innerJoin(projectUpdates, eq(projectUpdates.id, projectUpdateImages.updateId))
      .innerJoin(projects, eq(projects.id, projectUpdates.projectId))
      .where(and(eq(projectUpdateImages.imageId, imageId), isNotNull(projectUpdates.publishedAt), lte(projectUpdates.publishedAt, now), published))
      .limit(1);
    return Boolean(row);
  }
  return false;
}

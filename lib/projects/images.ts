import "server-only";
import { and, eq, inArray, isNotNull, lte, ne, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { images, offerings, perks, projects, projectSpending, projectUpdateImages, projectUpdates, villages, type Image } from "@/db/schema";
import { hasRole, type SessionUser } from "@/lib/auth/roles";
import { projectIdsOf, staffScopeOf, type StaffScope } from "@/lib/issuers/scope";

/**
 * An image as a given viewer may see it. Anyone sees a cover of a published project, a photo of a
 * published update of one, an issuer's current logo and the photo of an open perk of a public
 * offering. Everything else (receipts, drafts, replaced logos, photos of withdrawn perks or of a
 * draft offering's perks) only staff of the issuer it belongs to now, or an admin: having uploaded it
 * gives no access once the staff member no longer acts for that issuer.
 */
export async function imageForViewer(imageId: string, viewer: Pick<SessionUser, "id" | "role"> | null, now = new Date()) {
  const db = getDb();
  const [image] = await db.select().from(images).where(eq(images.id, imageId));
  if (!image) return null;
  if (await isPublic(image.id, image.purpose, now)) return { image, isPublic: true };
  if (!viewer || !hasRole(viewer.role, "staff")) return null;
  const scope = await staffScopeOf(viewer);
  return scope.all || (await belongsTo(image.id, scope)) ? { image, isPublic: false } : null;
}

async function exists(query: Promise<unknown[]>): Promise<boolean> {
  return (await query).length > 0;
}

async function isPublic(imageId: string, purpose: Image["purpose"], now: Date): Promise<boolean> {
  const db = getDb();
  const published = and(isNotNull(projects.publishedAt), lte(projects.publishedAt, now));
  if (purpose === "cover") {
    return exists(
      db
        .select({ one: sql`1` })
        .from(projects)
        .where(and(eq(projects.coverImageId, imageId), published))
        .limit(1),
    );
  }
  if (purpose === "update") {
    return exists(
      db
        .select({ one: sql`1` })
        .from(projectUpdateImages)
        .innerJoin(projectUpdates, eq(projectUpdates.id, projectUpdateImages.updateId))
        .innerJoin(projects, eq(projects.id, projectUpdates.projectId))
        .where(and(eq(projectUpdateImages.imageId, imageId), isNotNull(projectUpdates.publishedAt), lte(projectUpdates.publishedAt, now), published))
        .limit(1),
    );
  }
  if (purpose === "logo") {
    // An issuer's page is public from the start, so its current logo is too.
    return exists(db.select({ one: sql`1` }).from(villages).where(eq(villages.logoImageId, imageId)).limit(1));
  }
  if (purpose === "perk") {
    return exists(
      db
        .select({ one: sql`1` })
        .from(perks)
        .innerJoin(offerings, eq(offerings.id, perks.offeringId))
        .where(and(eq(perks.photoImageId, imageId), eq(perks.status, "open"), ne(offerings.status, "draft")))
        .limit(1),
    );
  }
  return false;
}

/** Whether the image is a cover, update photo or receipt of a project, or a perk's photo, of one of the scope's issuers. */
async function belongsTo(imageId: string, scope: StaffScope): Promise<boolean> {
  const db = getDb();
  const ownProjects = projectIdsOf(scope.issuerIds);
  const [cover, photo, receipt, perkPhoto] = await Promise.all([
    exists(
      db
        .select({ one: sql`1` })
        .from(projects)
        .where(and(eq(projects.coverImageId, imageId), inArray(projects.id, ownProjects)))
        .limit(1),
    ),
    exists(
      db
        .select({ one: sql`1` })
        .from(projectUpdateImages)
        .innerJoin(projectUpdates, eq(projectUpdates.id, projectUpdateImages.updateId))
        .where(and(eq(projectUpdateImages.imageId, imageId), inArray(projectUpdates.projectId, ownProjects)))
        .limit(1),
    ),
    exists(
      db
        .select({ one: sql`1` })
        .from(projectSpending)
        .where(and(eq(projectSpending.receiptImageId, imageId), inArray(projectSpending.projectId, ownProjects)))
        .limit(1),
    ),
    exists(
      db
        .select({ one: sql`1` })
        .from(perks)
        .innerJoin(offerings, eq(offerings.id, perks.offeringId))
        .where(and(eq(perks.photoImageId, imageId), inArray(offerings.villageId, [...scope.issuerIds])))
        .limit(1),
    ),
  ]);
  return cover || photo || receipt || perkPhoto;
}

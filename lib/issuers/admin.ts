import "server-only";
import { and, asc, count, eq, ne, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDb, type DbOrTx } from "@/db/client";
import { identityDocuments, images, investorProfiles, issuerStaff, offerings, orders, users, villages, wallets, type Village } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { checkImageFile, type ImageError } from "@/lib/uploads/image-check";
import { withStoredFiles } from "@/lib/uploads/images";
import type { IssuerInput } from "./schemas";

/** Issuers and their staff memberships, managed by admins (the portal's operator). */

export type SaveIssuerResult = { ok: true; issuerId: string; created: boolean } | { ok: false; error: "notFound" | "slugTaken" | "slugLocked" } | { ok: false; error: "image"; imageError: ImageError };

const EDITABLE = ["slug", "kind", "nameJa", "nameEn", "prefectureJa", "prefectureEn", "population", "stablecoinPayee", "descriptionJa", "descriptionEn"] as const;

/** Whether anything public (an offering past its draft) already links to the issuer's address. */
async function hasPublicOffering(db: DbOrTx, issuerId: string): Promise<boolean> {
  const [row] = await db
    .select({ n: count() })
    .from(offerings)
    .where(and(eq(offerings.villageId, issuerId), ne(offerings.status, "draft")));
  return (row?.n ?? 0) > 0;
}

/** Creates an issuer or edits one; once one of its offerings is public, it keeps its address (slug). */
export async function saveIssuer(input: IssuerInput, actorId: string, uploadDir: string): Promise<SaveIssuerResult> {
  const db = getDb();
  const logo = input.logo ? await checkImageFile(input.logo) : null;
  if (logo && !logo.ok) return { ok: false, error: "image", imageError: logo.error };
  const [clash] = await db
    .select({ id: villages.id })
    .from(villages)
    .where(and(eq(villages.slug, input.slug), input.issuerId ? ne(villages.id, input.issuerId) : undefined));
  if (clash) return { ok: false, error: "slugTaken" };

  return withStoredFiles(uploadDir, (files) =>
    db.transaction(async (tx): Promise<SaveIssuerResult> => {
      const values = Object.fromEntries(EDITABLE.map((key) => [key, input[key]])) as Pick<IssuerInput, (typeof EDITABLE)[number]>;
      const residence = residenceOf(input);
      if (!input.issuerId) {
        const logoImageId = logo?.ok ? (await files.save(tx, logo.image, "logo", actorId)).id : null;
        const [row] = await tx
          .insert(villages)
          .values({ ...values, ...residence, logoImageId })
          .returning({ id: villages.id });
        await recordAudit(tx, { actorId, action: "issuer.created", targetType: "issuer", targetId: row!.id, detail: { slug: input.slug, kind: input.kind, logo: logoImageId !== null } });
        if (residence?.residentCity) await recordResidence(tx, actorId, row!.id, { residentPrefecture: null, residentCity: null }, residence);
        return { ok: true, issuerId: row!.id, created: true };
      }
      const [existing] = await tx.select().from(villages).where(eq(villages.id, input.issuerId)).for("update");
      if (!existing) return { ok: false, error: "notFound" };
      if (existing.slug !== input.slug && (await hasPublicOffering(tx, existing.id))) return { ok: false, error: "slugLocked" };
      const logoImageId = logo?.ok ? (await files.save(tx, logo.image, "logo", actorId)).id : undefined;
      const changed = EDITABLE.filter((key) => existing[key] !== values[key]);
      await tx
        .update(villages)
        .set({ ...values, ...(logoImageId ? { logoImageId } : {}) })
        .where(eq(villages.id, existing.id));
      await recordAudit(tx, {
        actorId,
        action: "issuer.updated",
        targetType: "issuer",
        targetId: existing.id,
        detail: { changed: logoImageId ? [...changed, "logoImageId"] : changed, before: Object.fromEntries(changed.map((key) => [key, existing[key]])) },
      });
      if (residence && (residence.residentPrefecture !== existing.residentPrefecture || residence.residentCity !== existing.residentCity)) {
        await tx.update(villages).set(residence).where(eq(villages.id, existing.id));
        await recordResidence(tx, actorId, existing.id, existing, residence);
      }
      return { ok: true, issuerId: existing.id, created: false };
    }),
  );
}

type Residence = Pick<Village, "residentPrefecture" | "residentCity">;

/** The municipality as sent by the form; undefined when the form did not send it (kept as it is). */
function residenceOf(input: IssuerInput): Residence | undefined {
  if (input.residentPrefecture === undefined && input.residentCity === undefined) return undefined;
  return { residentPrefecture: input.residentPrefecture ?? null, residentCity: input.residentCity ?? null };
}

/** Who counts as a resident changes with the municipality: its own audit entry, before and after. */
async function recordResidence(tx: DbOrTx, actorId: string, issuerId: string, before: Residence, after: Residence) {
  await recordAudit(tx, {
    actorId,
    action: "issuer.residence_set",
    targetType: "issuer",
    targetId: issuerId,
    detail: { before: { prefecture: before.residentPrefecture, city: before.residentCity }, after: { prefecture: after.residentPrefecture, city: after.residentCity } },
  });
}

export async function listIssuersForAdmin() {
  const db = getDb();
  const [rows, staffCounts, offeringCounts] = await Promise.all([
    db.select().from(villages).orderBy(asc(villages.createdAt)),
    db.select({ issuerId: issuerStaff.issuerId, n: count() }).from(issuerStaff).groupBy(issuerStaff.issuerId),
    db.select({ issuerId: offerings.villageId, n: count() }).from(offerings).groupBy(offerings.villageId),
  ]);
  return rows.map((issuer) => ({
    issuer,
    staffCount: staffCounts.find((row) => row.issuerId === issuer.id)?.n ?? 0,
    offeringCount: offeringCounts.find((row) => row.issuerId === issuer.id)?.n ?? 0,
  }));
}

export async function getIssuerForAdmin(issuerId: string) {
  const db = getDb();
  const [row] = await db
    .select({ issuer: villages, logo: { id: images.id, width: images.width, height: images.height } })
    .from(villages)
    .leftJoin(images, eq(images.id, villages.logoImageId))
    .where(eq(villages.id, issuerId));
  if (!row) return null;
  const granter = alias(users, "granter");
  const staff = await db
    .select({ userId: users.id, email: users.email, name: users.name, role: users.role, grantedAt: issuerStaff.grantedAt, grantedByEmail: granter.email })
    .from(issuerStaff)
    .innerJoin(users, eq(users.id, issuerStaff.userId))
    .leftJoin(granter, eq(granter.id, issuerStaff.grantedBy))
    .where(eq(issuerStaff.issuerId, issuerId))
    .orderBy(asc(issuerStaff.grantedAt), asc(users.email));
  return { ...row, staff };
}

export type GrantResult = { ok: true; userId: string; promoted: boolean } | { ok: false; error: "issuer" | "noUser" | "admin" | "investorAccount" | "already" };

/** Whether an account has been used to invest: a profile, an identity document, a wallet or an order. */
async function hasInvestorFootprint(tx: DbOrTx, userId: string): Promise<boolean> {
  const [row] = await tx.execute<{ used: boolean }>(sql`
    select exists (select 1 from ${investorProfiles} where ${investorProfiles.userId} = ${userId})
        or exists (select 1 from ${identityDocuments} where ${identityDocuments.userId} = ${userId})
        or exists (select 1 from ${wallets} where ${wallets.userId} = ${userId})
        or exists (select 1 from ${orders} where ${orders.userId} = ${userId}) as used`);
  return Boolean(row?.used);
}

/**
 * Makes an existing account staff of an issuer. An admin already acts for every issuer, so is
 * never made a member. A bare investor account (signed in, never used to invest) is promoted to
 * staff; one used to invest is refused, so nobody is both a holder and the staff who keep the register.
 */
export async function grantIssuerStaff(input: { issuerId: string; email: string }, actorId: string): Promise<GrantResult> {
  return getDb().transaction(async (tx): Promise<GrantResult> => {
    const [issuer] = await tx.select({ id: villages.id, slug: villages.slug }).from(villages).where(eq(villages.id, input.issuerId));
    if (!issuer) return { ok: false, error: "issuer" };
    const [user] = await tx.select({ id: users.id, role: users.role, email: users.email }).from(users).where(eq(users.email, input.email.toLowerCase())).for("update");
    if (!user) return { ok: false, error: "noUser" };
    if (user.role === "admin") return { ok: false, error: "admin" };
    const promoted = user.role === "investor";
    if (promoted && (await hasInvestorFootprint(tx, user.id))) return { ok: false, error: "investorAccount" };
    const [membership] = await tx.insert(issuerStaff).values({ issuerId: issuer.id, userId: user.id, grantedBy: actorId }).onConflictDoNothing().returning();
    if (!membership) return { ok: false, error: "already" };
    if (promoted) await tx.update(users).set({ role: "staff" }).where(eq(users.id, user.id));
    await recordAudit(tx, {
      actorId,
      action: "issuer.staff_granted",
      targetType: "issuer",
      targetId: issuer.id,
      detail: { issuerSlug: issuer.slug, userId: user.id, email: user.email, promotedFromInvestor: promoted },
    });
    return { ok: true, userId: user.id, promoted };
  });
}

export type RevokeResult = { ok: true; demoted: boolean } | { ok: false; error: "notMember" };

/**
 * Ends a staff membership. A staff member left with no issuer goes back to an investor account,
 * so they keep no portal-wide staff powers (identity reviews) either.
 */
export async function revokeIssuerStaff(input: { issuerId: string; userId: string }, actorId: string): Promise<RevokeResult> {
  return getDb().transaction(async (tx): Promise<RevokeResult> => {
    const [removed] = await tx
      .delete(issuerStaff)
      .where(and(eq(issuerStaff.issuerId, input.issuerId), eq(issuerStaff.userId, input.userId)))
      .returning();
    if (!removed) return { ok: false, error: "notMember" };
    const [left] = await tx.select({ n: count() }).from(issuerStaff).where(eq(issuerStaff.userId, input.userId));
    const demoted =
      (left?.n ?? 0) === 0 &&
      (
        await tx
          .update(users)
          .set({ role: "investor" })
          .where(and(eq(users.id, input.userId), eq(users.role, "staff")))
          .returning({ id: users.id })
      ).length > 0;
    const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, input.userId));
    const [issuer] = await tx.select({ slug: villages.slug }).from(villages).where(eq(villages.id, input.issuerId));
    await recordAudit(tx, {
      actorId,
      action: "issuer.staff_revoked",
      targetType: "issuer",
      targetId: input.issuerId,
      detail: { issuerSlug: issuer?.slug, userId: input.userId, email: user?.email, demotedToInvestor: demoted },
    });
    return { ok: true, demoted };
  });
}

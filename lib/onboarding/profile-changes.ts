import "server-only";
import { and, asc, desc, eq, ne, sql } from "drizzle-orm";
import { getDb, type DbOrTx, type Tx } from "@/db/client";
import { identityDocuments, investorProfiles, profileChangeRequests, users, type InvestorProfile } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { ADDRESS_FIELDS, clearAddressVerification, markAddressVerified } from "@/lib/residents/address";
import type { ProfileInput } from "./schemas";

/** Checked against the identity document: after approval these change only through staff review. */
const IDENTITY_FIELDS = ["familyNameKanji", "givenNameKanji", "familyNameKana", "givenNameKana", "birthDate", "postalCode", "prefecture", "city", "street"] as const;
export type IdentityField = (typeof IDENTITY_FIELDS)[number];
/** Contact data (phone) and the residence (always JP) change at once, with an audit entry. */
export const PROFILE_FIELDS = [...IDENTITY_FIELDS, "phone", "countryOfResidence"] as const;

export const isIdentityField = (field: string): field is IdentityField => (IDENTITY_FIELDS as readonly string[]).includes(field);

/** The identity fields present in a change request's values, in form order. */
export function fieldsOf(values: Record<string, unknown>): IdentityField[] {
  return IDENTITY_FIELDS.filter((field) => field in values);
}

/** Profile values are text (the date comes back as "YYYY-MM-DD") or null. */
function pick(source: Record<string, unknown>, fields: readonly string[]): Record<string, string | null> {
  return Object.fromEntries(fields.map((field) => [field, (source[field] as string | null | undefined) ?? null]));
}

export async function identityApproved(tx: DbOrTx, userId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: identityDocuments.id })
    .from(identityDocuments)
    .where(and(eq(identityDocuments.userId, userId), eq(identityDocuments.status, "approved")))
    .limit(1);
  return row !== undefined;
}

/**
 * Called by saveProfile with the profile row locked, for a verified investor. Changed identity
 * fields become one pending request (replacing an earlier pending one); the profile keeps the
 * verified values. Submitting the verified values again withdraws a pending request.
 */
export async function requestIdentityChange(tx: Tx, current: InvestorProfile, input: ProfileInput): Promise<"saved" | "changeRequested"> {
  const fields = IDENTITY_FIELDS.filter((field) => (current[field] ?? null) !== input[field]);
  const newValues = pick(input, fields) as Record<string, string>;
  const [pending] = await tx
    .select()
    .from(profileChangeRequests)
    .where(and(eq(profileChangeRequests.userId, current.userId), eq(profileChangeRequests.status, "pending")))
    .for("update");
  if (pending && fields.length > 0 && JSON.stringify(pick(pending.newValues, IDENTITY_FIELDS)) === JSON.stringify(pick(newValues, IDENTITY_FIELDS))) {
    return "changeRequested";
  }
  if (pending) {
    await tx.update(profileChangeRequests).set({ status: "withdrawn" }).where(eq(profileChangeRequests.id, pending.id));
    await recordAudit(tx, {
      actorId: current.userId,
      action: "profile.change_withdrawn",
      targetType: "profile_change_request",
      targetId: pending.id,
      detail: { userId: current.userId, fields: fieldsOf(pending.newValues) },
    });
  }
  if (fields.length === 0) return "saved";
  const [request] = await tx
    .insert(profileChangeRequests)
    .values({ userId: current.userId, oldValues: pick(current, fields), newValues })
    .returning({ id: profileChangeRequests.id });
  await recordAudit(tx, { actorId: current.userId, action: "profile.change_requested", targetType: "profile_change_request", targetId: request!.id, detail: { userId: current.userId, fields } });
  return "changeRequested";
}

export type ChangeDecision = { reviewerId: string; requestId: string } & ({ decision: "approve"; addressConfirmed?: boolean } | { decision: "reject"; reason: string });

/**
 * Approval copies the requested values into the profile; either way the decision is audited. A
 * changed address (prefecture, city or street) is no longer verified unless the reviewer confirmed
 * the new one against a document (`addressConfirmed`), which verifies it anew.
 */
export async function decideProfileChange(input: ChangeDecision): Promise<{ ok: true } | { ok: false; error: "notPending" | "ownChange" }> {
  return getDb().transaction(async (tx) => {
    const [peek] = await tx.select({ userId: profileChangeRequests.userId }).from(profileChangeRequests).where(eq(profileChangeRequests.id, input.requestId));
    if (!peek) return { ok: false as const, error: "notPending" as const };
    if (peek.userId === input.reviewerId) return { ok: false as const, error: "ownChange" as const };
    // Profile row first, then the request: the same lock order as saveProfile, so they cannot deadlock.
    await tx.select({ userId: investorProfiles.userId }).from(investorProfiles).where(eq(investorProfiles.userId, peek.userId)).for("update");
    const [request] = await tx
      .select()
      .from(profileChangeRequests)
      .where(and(eq(profileChangeRequests.id, input.requestId), eq(profileChangeRequests.status, "pending")))
      .for("update");
    if (!request) return { ok: false as const, error: "notPending" as const };
    const approved = input.decision === "approve";
    const fields = fieldsOf(request.newValues);
    if (approved) {
      await tx
        .update(investorProfiles)
        .set({ ...(pick(request.newValues, fields) as Partial<InvestorProfile>), updatedAt: sql`now()` })
        .where(eq(investorProfiles.userId, request.userId));
      if (fields.some((field) => (ADDRESS_FIELDS as readonly string[]).includes(field))) {
        if (input.addressConfirmed) await markAddressVerified(tx, { userId: request.userId, reviewerId: input.reviewerId, source: { requestId: request.id } });
        else await clearAddressVerification(tx, request.userId);
      }
    }
    await tx
      .update(profileChangeRequests)
      .set({ status: approved ? "approved" : "rejected", reviewerId: input.reviewerId, reviewedAt: new Date(), rejectionReason: approved ? null : input.reason })
      .where(eq(profileChangeRequests.id, request.id));
    // The reason stays on the request row: the append-only log gets no free text about a person.
    await recordAudit(tx, {
      actorId: input.reviewerId,
      action: approved ? "profile.change_approved" : "profile.change_rejected",
      targetType: "profile_change_request",
      targetId: request.id,
      detail: { userId: request.userId, fields },
    });
    return { ok: true as const };
  });
}

/** Pending requests, oldest first, without the viewer's own. */
export async function listPendingChanges(viewerId: string) {
  return getDb()
    .select({ request: profileChangeRequests, email: users.email, profile: investorProfiles })
    .from(profileChangeRequests)
    .innerJoin(users, eq(users.id, profileChangeRequests.userId))
    .leftJoin(investorProfiles, eq(investorProfiles.userId, profileChangeRequests.userId))
    .where(and(eq(profileChangeRequests.status, "pending"), ne(profileChangeRequests.userId, viewerId)))
    .orderBy(asc(profileChangeRequests.requestedAt));
}

export async function getProfileChange(requestId: string) {
  const [row] = await getDb()
    .select({ request: profileChangeRequests, email: users.email, profile: investorProfiles })
    .from(profileChangeRequests)
    .innerJoin(users, eq(users.id, profileChangeRequests.userId))
    .leftJoin(investorProfiles, eq(investorProfiles.userId, profileChangeRequests.userId))
    .where(eq(profileChangeRequests.id, requestId));
  return row ?? null;
}

/** The investor's newest request, unless they withdrew it: pending, or decided by staff. */
export async function latestProfileChange(userId: string) {
  const [row] = await getDb().select().from(profileChangeRequests).where(eq(profileChangeRequests.userId, userId)).orderBy(desc(profileChangeRequests.requestedAt)).limit(1);
  return row && row.status !== "withdrawn" ? row : null;
}

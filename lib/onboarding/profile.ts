import "server-only";
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { investorProfiles, suitabilityAnswers } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { identityApproved, isIdentityField, PROFILE_FIELDS, requestIdentityChange } from "./profile-changes";
import type { ProfileInput, SuitabilityInput } from "./schemas";
import { assessSuitability } from "./suitability";

/**
 * Saves the profile and audits which fields changed (names only; values are personal data).
 * Before identity approval every field changes at once; after it, identity fields become a
 * change request for staff and the verified values stay in force until approved.
 */
export async function saveProfile(userId: string, input: ProfileInput): Promise<"saved" | "changeRequested"> {
  return getDb().transaction(async (tx) => {
    const [created] = await tx
      .insert(investorProfiles)
      .values({ userId, ...input })
      .onConflictDoNothing()
      .returning({ userId: investorProfiles.userId });
    if (created) {
      await recordAudit(tx, { actorId: userId, action: "profile.created", targetType: "user", targetId: userId, detail: { fields: [...PROFILE_FIELDS] } });
      return "saved";
    }
    // The lock orders this save against an identity approval and a change decision for the same investor.
    const [current] = await tx.select().from(investorProfiles).where(eq(investorProfiles.userId, userId)).for("update");
    const verified = await identityApproved(tx, userId);
    const changed = PROFILE_FIELDS.filter((field) => (current![field] ?? null) !== input[field]);
    const direct = verified ? changed.filter((field) => !isIdentityField(field)) : changed;
    if (direct.length > 0) {
      await tx
        .update(investorProfiles)
        .set({ ...Object.fromEntries(direct.map((field) => [field, input[field]])), updatedAt: sql`now()` })
        .where(eq(investorProfiles.userId, userId));
      await recordAudit(tx, { actorId: userId, action: "profile.updated", targetType: "user", targetId: userId, detail: { fields: direct } });
    }
    return verified ? requestIdentityChange(tx, current!, input) : "saved";
  });
}

/** Every answer set is kept with its time; the newest one counts. */
export async function recordSuitability(userId: string, answers: SuitabilityInput) {
  const db = getDb();
  const assessment = assessSuitability(answers);
  await db.insert(suitabilityAnswers).values({ userId, answers, suitable: assessment.suitable ? "yes" : "no" });
  return assessment;
}

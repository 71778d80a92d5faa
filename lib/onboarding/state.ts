import "server-only";
import { desc, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { investorProfiles, suitabilityAnswers } from "@/db/schema";
import { documentsToAccept } from "./documents";
import { identityStatusOf, type IdentityStatus } from "./identity";
import type { SuitabilityInput } from "./schemas";
import { assessSuitability, type SuitabilityReason } from "./suitability";

export const STEPS = ["profile", "suitability", "disclosures", "identity"] as const;
export type Step = (typeof STEPS)[number];

export type OnboardingState = {
  done: Record<Step, boolean>;
  nextStep: Step | null;
  identity: { status: IdentityStatus; reason: string | null };
  suitability: { suitable: boolean; reasons: SuitabilityReason[] } | null;
  /** Why this investor cannot buy yet; empty when they can. */
  blockers: ("profile" | "suitability" | "unsuitable" | "disclosures" | "identity")[];
};

export async function getProfile(userId: string) {
  const db = getDb();
  const [row] = await db.select().from(investorProfiles).where(eq(investorProfiles.userId, userId));
  return row ?? null;
}

export async function latestSuitability(userId: string) {
  const db = getDb();
  const [row] = await db.select().from(suitabilityAnswers).where(eq(suitabilityAnswers.userId, userId)).orderBy(desc(suitabilityAnswers.answeredAt)).limit(1);
  return row ?? null;
}

/** Everything is derived from what was stored, so leaving and coming back resumes where they stopped. */
export async function getOnboardingState(userId: string): Promise<OnboardingState> {
  const _db = getDb();
  const [profile, suitabilityRow, toAccept, identity] = await Promise.all([getProfile(userId), latestSuitability(userId), documentsToAccept(userId), identityStatusOf(userId)]);
  const suitability = suitabilityRow ? assessSuitability(suitabilityRow.answers as SuitabilityInput) : null;
  const done: Record<Step, boolean> = {
    profile: profile !== null,
    suitability: suitability !== null,
    disclosures: toAccept.length === 0,
    identity: identity.status === "in_review" || identity.status === "approved",
  };
  const blockers: OnboardingState["blockers"] = [];
  if (!done.profile) blockers.push("profile");
  if (!suitability) blockers.push("suitability");
  else if (!suitability.suitable) blockers.push("unsuitable");
  if (!done.disclosures) blockers.push("disclosures");
  if (identity.status !== "approved") blockers.push("identity");
  return { done, nextStep: STEPS.find((step) => !done[step]) ?? null, identity, suitability, blockers };
}

/**
 * The blockers of getOnboardingState in one round trip, for the purchase path where every query
 * counts: the SQL function purchase_blockers (migration 0022), which the reservation checks too.
 * Same rules: profile, newest suitability answer (assessSuitability's rule), current documents
 * accepted, identity.
 */
export async function purchaseBlockers(userId: string): Promise<OnboardingState["blockers"]> {
  const [row] = await getDb().execute<{ blockers: OnboardingState["blockers"] }>(sql`select blockers from purchase_blockers(${userId})`);
  return row!.blockers;
}

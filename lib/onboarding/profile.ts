import "server-only";
import { sql } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { investorProfiles, suitabilityAnswers } from "@/db/schema";
import type { ProfileInput, SuitabilityInput } from "./schemas";
import { assessSuitability } from "./suitability";

export async function saveProfile(userId: string, input: ProfileInput): Promise<void> {
  const db = getDb();
  await db
    .insert(investorProfiles)
    .values({ userId, ...input })
    .onConflictDoUpdate({ target: investorProfiles.userId, set: { ...input, updatedAt: sql`now()` } });
}

/** Every answer set is kept with its time; the newest one counts. */
export async function recordSuitability(userId: string, answers: SuitabilityInput) {
  const db = getDb();
  const assessment = assessSuitability(answers);
  await db.insert(suitabilityAnswers).values({ userId, answers, suitable: assessment.suitable ? "yes" : "no" });
  return assessment;
}

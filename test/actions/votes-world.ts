// Shared by the vote action tests: a village token with a placeholder token address (no chain), staff
// of its issuer and of another, a project, and frozen holders' snapshots inserted directly.
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { offerings, projects, recordSnapshots, snapshotHoldings, users } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/roles";
import { recordCutoff } from "@/lib/bonds/snapshot";
import { makeOffering } from "@/test/chain-support";
import { makeStaffOf } from "@/test/coupon-world";

/** Placeholder tokens live on a chain of their own, so no chain job takes them for real ones. */
const OTHER_CHAIN = 1_337_002;
let counter = 0;

export type VoteWorld = { offeringId: string; villageId: string; staff: SessionUser; projectId: string };

export async function makeVoteWorld(): Promise<VoteWorld> {
  const db = getDb();
  const { id } = await makeOffering(db);
  const [offering] = await db
    .update(offerings)
    .set({ chainId: OTHER_CHAIN, tokenAddress: `0x${randomBytes(20).toString("hex")}` })
    .where(eq(offerings.id, id))
    .returning();
  const staff = await makeStaffOf(offering!.villageId);
  counter += 1;
  const [project] = await db
    .insert(projects)
    .values({
      offeringId: id,
      slug: `boardwalk-${process.pid}-${Date.now().toString(36)}-${counter}`,
      titleJa: "木道",
      titleEn: "Boardwalk",
      summaryJa: "木道",
      summaryEn: "Boardwalk",
      bodyJa: "木道",
      bodyEn: "Boardwalk",
      budgetYen: 1_000_000,
      publishedAt: new Date(Date.now() - 86_400_000),
    })
    .returning();
  return { offeringId: id, villageId: offering!.villageId, staff, projectId: project!.id };
}

export async function makeHolderUser(): Promise<SessionUser> {
  counter += 1;
  const email = `vote-holder-${process.pid}-${Date.now().toString(36)}-${counter}@example.jp`;
  const [user] = await getDb().insert(users).values({ email }).returning();
  return { id: user!.id, email, name: null, role: "investor" };
}

/** A frozen holders' snapshot of the record date, as the snapshot job would leave it. */
export async function freezeHolders(offeringId: string, recordDate: string, holdings: { userId: string; units: number }[]) {
  const [snapshot] = await getDb()
    .insert(recordSnapshots)
    .values({
      offeringId,
      paymentDate: null,
      recordDate,
      cutoffAt: recordCutoff(recordDate),
      blockNumber: 4_242,
      status: "frozen",
      holders: holdings.length,
      supplyChain: holdings.reduce((sum, holding) => sum + holding.units, 0),
      supplyLedger: holdings.reduce((sum, holding) => sum + holding.units, 0),
    })
    .returning();
  if (holdings.length > 0)
    await getDb()
      .insert(snapshotHoldings)
      .values(holdings.map((holding) => ({ snapshotId: snapshot!.id, address: `0x${randomBytes(20).toString("hex")}`, ...holding })));
  return snapshot!;
}

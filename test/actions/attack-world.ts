import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { DEMO_OFFERING_SLUG, DEMO_OTHER_OFFERING_SLUG, seedIfEmpty } from "@/db/seed";
import { issuerStaff, offerings, orders, projects, type Offering, type Project } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/roles";
import { makeUser } from "@/test/fixtures";

/** The attack tests' world: the seed's two issuers with placeholder tokens, staff of each, an admin, and an order of issuer B. */

const db = () => getDb();
export const TOKEN_A = "0x000000000000000000000000000000000000a0a0";
export const TOKEN_B = "0x000000000000000000000000000000000000b0b0";

export const offeringById = async (id: string) => (await db().select().from(offerings).where(eq(offerings.id, id)))[0]!;

export async function twoIssuerWorld() {
  let staffA: SessionUser;
  let colleagueA: SessionUser;
  let staffB: SessionUser;
  let admin: SessionUser;
  let offeringA: Offering;
  let offeringB: Offering;
  let projectA: Project;
  let holderB: SessionUser;
  let orderB: string;

  await seedIfEmpty(db());
  [offeringA] = (await db().select().from(offerings).where(eq(offerings.slug, DEMO_OFFERING_SLUG))) as [Offering];
  [offeringB] = (await db().select().from(offerings).where(eq(offerings.slug, DEMO_OTHER_OFFERING_SLUG))) as [Offering];
  // Both tokens "deployed", so that every chain operation gets past its first check.
  await db().update(offerings).set({ chainId: 31337, tokenAddress: TOKEN_A }).where(eq(offerings.id, offeringA.id));
  await db().update(offerings).set({ chainId: 31337, tokenAddress: TOKEN_B }).where(eq(offerings.id, offeringB.id));
  [offeringA, offeringB] = [await offeringById(offeringA.id), await offeringById(offeringB.id)];
  [staffA, colleagueA, staffB, admin] = [await makeUser("staff"), await makeUser("staff"), await makeUser("staff"), await makeUser("admin")];
  await db()
    .insert(issuerStaff)
    .values([
      { issuerId: offeringA.villageId, userId: staffA.id },
      { issuerId: offeringA.villageId, userId: colleagueA.id },
      { issuerId: offeringB.villageId, userId: staffB.id },
    ]);
  [projectA] = (await db().select().from(projects).where(eq(projects.slug, "forest-thinning"))) as [Project];
  holderB = await makeUser();
  [{ id: orderB }] = (await db()
    .insert(orders)
    .values({ userId: holderB.id, offeringId: offeringB.id, units: 2, amountYen: 2_000, status: "allocating", reservationExpiresAt: new Date() })
    .returning({ id: orders.id })) as [{ id: string }];
  return { staffA, colleagueA, staffB, admin, offeringA, offeringB, projectA, holderB, orderB };
}

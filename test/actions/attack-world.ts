import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { DEMO_OFFERING_SLUG, DEMO_OTHER_OFFERING_SLUG, seedIfEmpty } from "@/db/seed";
import { issuerStaff, offerings, orders, projects, type Offering, type Project } from "@/db/schema";
import { makeUser } from "@/test/fixtures";

/** The attack tests' world: the seed's two issuers with placeholder tokens, staff of each, an admin, and an order of issuer B. */

const db = () => getDb();
export const TOKEN_A = "0x000000000000000000000000000000000000a0a0";
export const TOKEN_B = "0x000000000000000000000000000000000000b0b0";

export const offeringById = async (id: string) => (await db().select().from(offerings).where(eq(offerings.id, id)))[0]!;

export async function twoIssuerWorld() {
  await seedIfEmpty(db());
  const [seededA] = (await db().select().from(offerings).where(eq(offerings.slug, DEMO_OFFERING_SLUG))) as [Offering];
  const [seededB] = (await db().select().from(offerings).where(eq(offerings.slug, DEMO_OTHER_OFFERING_SLUG))) as [Offering];
  // Both tokens "deployed", so that every chain operation gets past its first check.
  await db().update(offerings).set({ chainId: 31337, tokenAddress: TOKEN_A }).where(eq(offerings.id, seededA.id));
  await db().update(offerings).set({ chainId: 31337, tokenAddress: TOKEN_B }).where(eq(offerings.id, seededB.id));
  const [offeringA, offeringB] = [await offeringById(seededA.id), await offeringById(seededB.id)];
  const [staffA, colleagueA, staffB, admin] = [await makeUser("staff"), await makeUser("staff"), await makeUser("staff"), await makeUser("admin")];
  await db()
    .insert(issuerStaff)
    .values([
      { issuerId: offeringA.villageId, userId: staffA.id },
      { issuerId: offeringA.villageId, userId: colleagueA.id },
      { issuerId: offeringB.villageId, userId: staffB.id },
    ]);
  const [projectA] = (await db().select().from(projects).where(eq(projects.slug, "forest-thinning"))) as [Project];
  const holderB = await makeUser();
  const [{ id: orderB }] = (await db()
    .insert(orders)
    .values({ userId: holderB.id, offeringId: offeringB.id, units: 2, amountYen: 2_000, status: "allocating", reservationExpiresAt: new Date() })
    .returning({ id: orders.id })) as [{ id: string }];
  return { staffA, colleagueA, staffB, admin, offeringA, offeringB, projectA, holderB, orderB };
}

import "server-only";
import { and, asc, desc, eq, gt, inArray, ne, sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/db/client";
import { chainTransactions, investorProfiles, ledgerEntries, offerings, perkClaims, perks, users, type Perk, type PerkClaim } from "@/db/schema";
import { PREFECTURES } from "@/lib/onboarding/prefectures";
import { standing } from "./standing";
import { CLAIM_STEPS, claimStep, type ClaimStep } from "./steps";
import type { Delivery, Eligibility, EligibilityStatus, PerkForHolder } from "./types";

/** Perks whose window closed longer ago than this drop off the holder's list (their claims stay in claimsOfHolder). */
const SHOWN_AFTER_CLOSE_MS = 30 * 86_400_000;

/** The holder's claim of the perk that is not cancelled (at most one: perk_claims_one_live). */
export async function liveClaimOf(db: DbOrTx, perkId: string, userId: string): Promise<PerkClaim | null> {
  const [claim] = await db
    .select()
    .from(perkClaims)
    .where(and(eq(perkClaims.perkId, perkId), eq(perkClaims.userId, userId), ne(perkClaims.status, "cancelled")));
  return claim ?? null;
}

/**
 * Whether and why the holder may claim the perk now, read on `db` (claimPerk reads it again inside
 * its transaction, under the holder's lock). The first reason that applies wins: who they are,
 * their live claim, the perk's state and window, their holding, then the stock.
 */
export async function eligibilityIn(db: DbOrTx, perk: Perk, userId: string, now: Date): Promise<Eligibility> {
  const needed = (perk.kind === "holding" ? perk.minUnits : perk.costUnits) ?? 0;
  const [user] = await db.select({ role: users.role }).from(users).where(eq(users.id, userId));
  if (user?.role !== "investor") return { status: "not_investor", units: 0, needed, claim: null };
  const claim = await liveClaimOf(db, perk.id, userId);
  if (claim) return { status: "claimed", units: claim.units, needed, claim };
  const { units, refusal } = await standing(db, perk, userId);
  const answer = (status: EligibilityStatus): Eligibility => ({ status, units, needed, claim: null });
  if (perk.status === "withdrawn") return answer("withdrawn");
  if (now.getTime() < perk.claimOpensAt.getTime()) return answer("not_open_yet");
  if (now.getTime() >= perk.claimClosesAt.getTime()) return answer("closed");
  if (refusal) return answer(refusal);
  return answer(perk.claimed >= perk.stock ? "sold_out" : "eligible");
}

/** Whether and why a holder may claim the perk now. */
export async function perkEligibility(perk: Perk, userId: string, now = new Date()): Promise<Eligibility> {
  return eligibilityIn(getDb(), perk, userId, now);
}

/** Offerings whose units the user has ever been given (allocated or transferred to them). */
async function offeringsEverHeld(db: DbOrTx, userId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ offeringId: ledgerEntries.offeringId })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.userId, userId), inArray(ledgerEntries.kind, ["tokens_allocated", "tokens_transferred"]), gt(ledgerEntries.units, 0)));
  return rows.map((row) => row.offeringId);
}

/**
 * Open perks of the offerings the holder has held (now or ever: a holding perk is about a past
 * record date), closed less than 30 days ago at most, with eligibility; claimable ones first.
 */
export async function perksForHolder(userId: string, now = new Date()): Promise<PerkForHolder[]> {
  const db = getDb();
  const held = await offeringsEverHeld(db, userId);
  if (held.length === 0) return [];
  const rows = await db
    .select({ perk: perks, offeringSlug: offerings.slug, offeringNameJa: offerings.nameJa, offeringNameEn: offerings.nameEn })
    .from(perks)
    .innerJoin(offerings, eq(offerings.id, perks.offeringId))
    .where(and(inArray(perks.offeringId, held), eq(perks.status, "open"), ne(offerings.status, "draft"), gt(perks.claimClosesAt, new Date(now.getTime() - SHOWN_AFTER_CLOSE_MS))))
    .orderBy(asc(perks.claimOpensAt), asc(perks.createdAt));
  const listed = await Promise.all(rows.map(async (row) => ({ ...row, eligibility: await eligibilityIn(db, row.perk, userId, now) })));
  const rank = (item: PerkForHolder) => (item.eligibility.status === "eligible" ? 0 : item.eligibility.status === "claimed" ? 1 : 2);
  return listed.sort((a, b) => rank(a) - rank(b));
}

/** The holder's claims, newest first, with the perk's titles. */
export async function claimsOfHolder(userId: string): Promise<(PerkClaim & { perkTitleJa: string; perkTitleEn: string; perkKind: Perk["kind"] })[]> {
  const rows = await getDb()
    .select({ claim: perkClaims, perkTitleJa: perks.titleJa, perkTitleEn: perks.titleEn, perkKind: perks.kind })
    .from(perkClaims)
    .innerJoin(perks, eq(perks.id, perkClaims.perkId))
    .where(eq(perkClaims.userId, userId))
    .orderBy(desc(perkClaims.createdAt));
  return rows.map(({ claim, ...perk }) => ({ ...claim, ...perk }));
}

type PerkWithOffering = Perk & { offeringSlug: string; offeringNameJa: string; offeringNameEn: string; villageId: string; offeringPublic: boolean };

/** A perk by id, open or withdrawn (null when unknown), with its offering's slug and names and whether the offering is public (not a draft). */
export async function perkById(perkId: string): Promise<PerkWithOffering | null> {
  if (!isUuid(perkId)) return null;
  const [row] = await getDb()
    .select({
      perk: perks,
      offeringSlug: offerings.slug,
      offeringNameJa: offerings.nameJa,
      offeringNameEn: offerings.nameEn,
      villageId: offerings.villageId,
      offeringStatus: offerings.status,
    })
    .from(perks)
    .innerJoin(offerings, eq(offerings.id, perks.offeringId))
    .where(eq(perks.id, perkId));
  if (!row) return null;
  const { perk, offeringStatus, ...offering } = row;
  return { ...perk, ...offering, offeringPublic: offeringStatus !== "draft" };
}

/**
 * Staff: the perks of an offering with counts of claims by status: `live` is every claim not
 * cancelled (what `claimed` counts against the stock), `toShip` those that can be shipped now,
 * `awaitingBurn` redeeming claims whose tokens are not burned yet (failed burns included).
 */
export async function perksOfOffering(offeringId: string): Promise<(Perk & { shipped: number; cancelled: number; live: number; toShip: number; awaitingBurn: number })[]> {
  const counted = (status: string) => sql<number>`(count(*) filter (where ${perkClaims.status} = ${status}))::int`;
  const waiting = sql`${perkClaims.status} = 'claimed' and ${perks.kind} = 'redeeming' and ${perkClaims.burnedAt} is null`;
  const rows = await getDb()
    .select({
      perk: perks,
      shipped: counted("shipped"),
      cancelled: counted("cancelled"),
      toShip: sql<number>`(count(*) filter (where ${perkClaims.status} = 'claimed' and not (${waiting})))::int`,
      awaitingBurn: sql<number>`(count(*) filter (where ${waiting}))::int`,
      live: sql<number>`(count(*) filter (where ${perkClaims.status} <> 'cancelled'))::int`,
    })
    .from(perks)
    .leftJoin(perkClaims, eq(perkClaims.perkId, perks.id))
    .where(eq(perks.offeringId, offeringId))
    .groupBy(perks.id)
    .orderBy(desc(perks.createdAt));
  return rows.map(({ perk, ...counts }) => ({ ...perk, ...counts }));
}

/**
 * Staff: a perk's claims with the holder's email, the delivery address and the step each is at,
 * those to act on first (to ship, burn failed, waiting for the burn, then shipped and cancelled),
 * oldest first within a step; none when the perk is not one of the offering the staff member was
 * authorised for.
 */
export async function claimsOfPerk(perkId: string, offeringId: string): Promise<(PerkClaim & { email: string; step: ClaimStep })[]> {
  if (!isUuid(perkId) || !isUuid(offeringId)) return [];
  const rows = await getDb()
    .select({ claim: perkClaims, email: users.email, kind: perks.kind, burnTx: chainTransactions.status })
    .from(perkClaims)
    .innerJoin(users, eq(users.id, perkClaims.userId))
    .innerJoin(perks, eq(perks.id, perkClaims.perkId))
    .leftJoin(chainTransactions, eq(chainTransactions.id, perkClaims.burnChainTransactionId))
    .where(and(eq(perkClaims.perkId, perkId), eq(perks.offeringId, offeringId)))
    .orderBy(asc(perkClaims.createdAt), asc(perkClaims.id));
  const listed = rows.map(({ claim, email, kind, burnTx }) => ({ ...claim, email, step: claimStep(claim, kind, burnTx === "failed") }));
  return listed.sort((a, b) => CLAIM_STEPS.indexOf(a.step) - CLAIM_STEPS.indexOf(b.step));
}

/** The delivery address prefilled from the holder's profile (blank fields when unknown). */
export async function deliveryFromProfile(userId: string): Promise<Delivery> {
  const [profile] = await getDb().select().from(investorProfiles).where(eq(investorProfiles.userId, userId));
  const join = (...parts: (string | null | undefined)[]) => parts.filter(Boolean).join(" ");
  const prefecture = PREFECTURES.find(([code]) => code === profile?.prefecture)?.[1] ?? "";
  return {
    recipientName: join(profile?.familyNameKanji, profile?.givenNameKanji),
    recipientKana: join(profile?.familyNameKana, profile?.givenNameKana),
    postalCode: profile?.postalCode ?? "",
    address: `${prefecture}${profile?.city ?? ""}${profile?.street ?? ""}`,
    phone: profile?.phone ?? "",
  };
}

/** Ids come from URLs and forms: a malformed one is "not found", not a database error. */
export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

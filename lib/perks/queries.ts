import "server-only";
import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, ne, or, sql } from "drizzle-orm";
import { getAddress } from "viem";
import { getDb, type DbOrTx } from "@/db/client";
import { chainTransactions, investorProfiles, ledgerEntries, offerings, orders, perkClaims, perks, users, wallets, type Perk, type PerkClaim } from "@/db/schema";
import { unitsByAddress } from "@/lib/chain/holdings";
import { holdersSnapshot, unitsAtSnapshot } from "@/lib/holders/snapshot";
import { PREFECTURES } from "@/lib/onboarding/prefectures";
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

/** The holder's custodial wallet address (checksummed), or null before onboarding. */
export async function walletAddressOf(db: DbOrTx, userId: string): Promise<string | null> {
  const [wallet] = await db.select({ address: wallets.address }).from(wallets).where(eq(wallets.userId, userId));
  return wallet ? getAddress(wallet.address) : null;
}

/**
 * Units the holder may give up for a redeeming perk now: what the ledger shows at their custodial
 * wallet (where a burn takes them from) less the units of their redeeming claims of the offering
 * whose burn is still to be booked (a booked burn is in the ledger): claims waiting, and cancelled
 * ones whose burn was already sent (it lands, then the units come back by a restore).
 */
async function redeemableUnits(db: DbOrTx, offeringId: string, userId: string): Promise<number> {
  const address = await walletAddressOf(db, userId);
  if (!address) return 0;
  const held = (await unitsByAddress(db, offeringId, userId)).filter((row) => row.address === address).reduce((sum, row) => sum + row.units, 0);
  const [pending] = await db
    .select({ units: sql<string>`coalesce(sum(${perkClaims.units}), 0)` })
    .from(perkClaims)
    .innerJoin(perks, eq(perks.id, perkClaims.perkId))
    .where(
      and(
        eq(perks.offeringId, offeringId),
        eq(perks.kind, "redeeming"),
        eq(perkClaims.userId, userId),
        isNull(perkClaims.burnedAt),
        or(eq(perkClaims.status, "claimed"), and(eq(perkClaims.status, "cancelled"), isNotNull(perkClaims.burnChainTransactionId))),
      ),
    );
  return Math.max(0, held - Number(pending?.units ?? 0));
}

/**
 * Whether the holder's wallet is frozen on the offering's token: the last freeze or unfreeze of it
 * that is queued or done is a freeze (a dispute's or staff's), or a dispute is open (its freeze follows).
 */
async function walletFrozen(db: DbOrTx, offeringId: string, userId: string): Promise<boolean> {
  const [offering] = await db.select({ token: offerings.tokenAddress, chainId: offerings.chainId }).from(offerings).where(eq(offerings.id, offeringId));
  const address = await walletAddressOf(db, userId);
  const [disputed] = await db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.offeringId, offeringId), eq(orders.userId, userId), eq(orders.status, "disputed")))
    .limit(1);
  if (disputed) return true;
  if (!offering?.token || offering.chainId === null || !address) return false;
  const [last] = await db
    .select({ kind: chainTransactions.kind })
    .from(chainTransactions)
    .where(
      and(
        eq(chainTransactions.chainId, offering.chainId),
        inArray(chainTransactions.kind, ["freeze", "unfreeze"]),
        inArray(chainTransactions.status, ["pending", "sent", "confirmed"]),
        sql`lower(${chainTransactions.payload}->>'to') = ${offering.token.toLowerCase()}`,
        sql`${chainTransactions.payload}->'ref'->>'address' = ${address.toLowerCase()}`,
      ),
    )
    .orderBy(desc(chainTransactions.createdAt))
    .limit(1);
  return last?.kind === "freeze";
}

/** The holder's own standing for the perk (holding at the record date, or units free now), before window and stock. */
async function standing(db: DbOrTx, perk: Perk, userId: string): Promise<{ units: number; refusal: EligibilityStatus | null }> {
  if (perk.kind === "holding") {
    const snapshot = await holdersSnapshot(perk.offeringId, perk.recordDate!, db);
    if (!snapshot) return { units: 0, refusal: "snapshot_pending" };
    const units = await unitsAtSnapshot(db, snapshot.id, userId);
    if (units === 0) return { units, refusal: "not_holder_at_record_date" };
    return { units, refusal: units < perk.minUnits! ? "below_minimum" : null };
  }
  const units = await redeemableUnits(db, perk.offeringId, userId);
  if (await walletFrozen(db, perk.offeringId, userId)) return { units, refusal: "wallet_frozen" };
  return { units, refusal: units < perk.costUnits! ? "insufficient_units" : null };
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
    .where(and(inArray(perks.offeringId, held), eq(perks.status, "open"), gt(perks.claimClosesAt, new Date(now.getTime() - SHOWN_AFTER_CLOSE_MS))))
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

/** A perk by id, open or withdrawn (null when unknown), with its offering's slug and names. */
export async function perkById(perkId: string): Promise<(Perk & { offeringSlug: string; offeringNameJa: string; offeringNameEn: string; villageId: string }) | null> {
  if (!isUuid(perkId)) return null;
  const [row] = await getDb()
    .select({ perk: perks, offeringSlug: offerings.slug, offeringNameJa: offerings.nameJa, offeringNameEn: offerings.nameEn, villageId: offerings.villageId })
    .from(perks)
    .innerJoin(offerings, eq(offerings.id, perks.offeringId))
    .where(eq(perks.id, perkId));
  return row ? { ...row.perk, offeringSlug: row.offeringSlug, offeringNameJa: row.offeringNameJa, offeringNameEn: row.offeringNameEn, villageId: row.villageId } : null;
}

/**
 * Staff: the perks of an offering with counts of claims by status: `live` is every claim not
 * cancelled (what `claimed` counts against the stock), `toShip` those still waiting to be shipped.
 */
export async function perksOfOffering(offeringId: string): Promise<(Perk & { shipped: number; cancelled: number; live: number; toShip: number })[]> {
  const counted = (status: string) => sql<number>`(count(*) filter (where ${perkClaims.status} = ${status}))::int`;
  const rows = await getDb()
    .select({
      perk: perks,
      shipped: counted("shipped"),
      cancelled: counted("cancelled"),
      toShip: counted("claimed"),
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
 * Staff: a perk's claims (oldest first) with the holder's email and the delivery address, when the
 * perk is one of the offering the staff member was authorised for (else none).
 */
export async function claimsOfPerk(perkId: string, offeringId: string): Promise<(PerkClaim & { email: string })[]> {
  if (!isUuid(perkId) || !isUuid(offeringId)) return [];
  const rows = await getDb()
    .select({ claim: perkClaims, email: users.email })
    .from(perkClaims)
    .innerJoin(users, eq(users.id, perkClaims.userId))
    .innerJoin(perks, eq(perks.id, perkClaims.perkId))
    .where(and(eq(perkClaims.perkId, perkId), eq(perks.offeringId, offeringId)))
    .orderBy(asc(perkClaims.createdAt));
  return rows.map(({ claim, email }) => ({ ...claim, email }));
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

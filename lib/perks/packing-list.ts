import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { chainTransactions, investorProfiles, offerings, perkClaims, perks, type InvestorProfile, type PerkClaim } from "@/db/schema";
import { translator } from "@/lib/i18n/catalog";
import { tokyoDate, tokyoDateTimeInput } from "@/lib/projects/dates";
import { csvCell } from "@/lib/register/csv";
import { isUuid } from "./queries";
import { CLAIM_STEPS, claimStep } from "./steps";

export type PackingList = { filename: string; body: string; rows: number };

const BOM = "\uFEFF";
const PHONE_COLUMN = 6;

/**
 * A phone as Excel keeps it: digits alone would be read as a number and lose the leading 0, so a
 * mobile number is written 090-1234-5678 and any other number without hyphens as a text formula
 * of its digits (the delivery form lets nothing but digits and hyphens through).
 */
function phoneCell(phone: string | null): string {
  if (!phone) return "";
  if (!/^0\d{9,10}$/.test(phone)) return csvCell(phone);
  if (/^0[5789]0\d{8}$/.test(phone)) return `${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}`;
  return `="${phone}"`;
}

/** Who to hand a perk without delivery to: the claim's own recipient, else the holder's name and phone from their profile. */
function contactOf(claim: PerkClaim, profile: InvestorProfile | null): Pick<PerkClaim, "recipientName" | "recipientKana" | "phone"> {
  if (claim.recipientName || !profile) return claim;
  const joined = (a: string | null, b: string | null) => [a, b].filter(Boolean).join(" ") || null;
  return {
    recipientName: joined(profile.familyNameKanji, profile.givenNameKanji),
    recipientKana: joined(profile.familyNameKana, profile.givenNameKana),
    phone: profile.phone,
  };
}

/**
 * The perk's packing list: CSV with a UTF-8 BOM, headers in the staff member's language, one row
 * per claim still to ship (status claimed: not shipped, not cancelled), those ready to ship first,
 * oldest first. A redeeming claim whose tokens are not burned yet is listed last as "awaiting the
 * burn" or "burn failed", not to be shipped (shipClaim refuses it until the burn). A perk that
 * needs no address lists its claims with the holder's name and phone from their profile, address cells empty. Cells that look like formulas are
 * neutralised (lib/register/csv.ts). Null when the perk is not one of the offering the caller was
 * authorised for.
 */
export async function packingListCsv(perkId: string, locale: "ja" | "en", offeringId: string, now = new Date()): Promise<PackingList | null> {
  if (!isUuid(perkId) || !isUuid(offeringId)) return null;
  const db = getDb();
  const [perk] = await db
    .select({ perk: perks, slug: offerings.slug })
    .from(perks)
    .innerJoin(offerings, eq(offerings.id, perks.offeringId))
    .where(and(eq(perks.id, perkId), eq(perks.offeringId, offeringId)));
  if (!perk) return null;
  const found = await db
    .select({ claim: perkClaims, burnTx: chainTransactions.status, profile: investorProfiles })
    .from(perkClaims)
    .leftJoin(chainTransactions, eq(chainTransactions.id, perkClaims.burnChainTransactionId))
    .leftJoin(investorProfiles, eq(investorProfiles.userId, perkClaims.userId))
    .where(and(eq(perkClaims.perkId, perkId), eq(perkClaims.status, "claimed")))
    .orderBy(asc(perkClaims.createdAt), asc(perkClaims.id));
  const claims = found
    .map(({ claim, burnTx, profile }) => ({ ...claim, ...contactOf(claim, profile), step: claimStep(claim, perk.perk.kind, burnTx === "failed") }))
    .sort((a, b) => CLAIM_STEPS.indexOf(a.step) - CLAIM_STEPS.indexOf(b.step));
  const t = translator(locale);
  const column = (key: "claimId" | "status" | "name" | "kana" | "postalCode" | "address" | "phone" | "item" | "units" | "claimedAt") => t(`perkPackingList.columns.${key}`);
  const status = { to_ship: "toShip", awaiting_burn: "awaitingBurn", burn_failed: "burnFailed" } as const;
  const item = locale === "ja" ? perk.perk.titleJa : perk.perk.titleEn;
  const header = [column("claimId"), column("status"), column("name"), column("kana"), column("postalCode"), column("address"), column("phone"), column("item"), column("units"), column("claimedAt")];
  const rows = claims.map((claim) => [
    claim.id,
    t(`perkPackingList.status.${status[claim.step as keyof typeof status]}`),
    claim.recipientName,
    claim.recipientKana,
    claim.postalCode,
    claim.address,
    claim.phone,
    item,
    claim.units,
    tokyoDateTimeInput(claim.createdAt).replace("T", " "),
  ]);
  // As lib/register/csv.ts writes it, but for the phone cell.
  const line = (row: (string | number | null)[], header: boolean) => row.map((cell, i) => (i === PHONE_COLUMN && !header ? phoneCell(cell as string | null) : csvCell(cell))).join(",");
  const body = `${BOM}${[line(header, true), ...rows.map((row) => line(row, false))].join("\r\n")}\r\n`;
  return { filename: `${perk.slug}-perk-${perkId.slice(0, 8)}-${tokyoDate(now)}.csv`, body, rows: rows.length };
}

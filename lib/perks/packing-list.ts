import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { offerings, perkClaims, perks } from "@/db/schema";
import { translator } from "@/lib/i18n/catalog";
import { tokyoDate, tokyoDateTimeInput } from "@/lib/projects/dates";
import { toCsv } from "@/lib/register/csv";
import { isUuid } from "./queries";

export type PackingList = { filename: string; body: string; rows: number };

/**
 * The perk's packing list: CSV with a UTF-8 BOM, headers in the staff member's language, one row
 * per claim still to ship (status claimed: not shipped, not cancelled), oldest first. A redeeming
 * claim whose tokens are not burned yet is listed as "awaiting the burn" (shipClaim refuses it
 * until then). A perk that needs no address lists its claims with empty address cells. Cells that
 * look like formulas are neutralised (lib/register/csv.ts). Null when the perk is not one of the
 * offering the caller was authorised for.
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
  const claims = await db
    .select()
    .from(perkClaims)
    .where(and(eq(perkClaims.perkId, perkId), eq(perkClaims.status, "claimed")))
    .orderBy(asc(perkClaims.createdAt), asc(perkClaims.id));
  const t = translator(locale);
  const column = (key: "claimId" | "status" | "name" | "kana" | "postalCode" | "address" | "phone" | "item" | "units" | "claimedAt") => t(`perkPackingList.columns.${key}`);
  const item = locale === "ja" ? perk.perk.titleJa : perk.perk.titleEn;
  const header = [column("claimId"), column("status"), column("name"), column("kana"), column("postalCode"), column("address"), column("phone"), column("item"), column("units"), column("claimedAt")];
  const rows = claims.map((claim) => [
    claim.id,
    perk.perk.kind === "redeeming" && !claim.burnedAt ? t("perkPackingList.status.awaitingBurn") : t("perkPackingList.status.toShip"),
    claim.recipientName,
    claim.recipientKana,
    claim.postalCode,
    claim.address,
    claim.phone,
    item,
    claim.units,
    tokyoDateTimeInput(claim.createdAt).replace("T", " "),
  ]);
  return { filename: `${perk.slug}-perk-${perkId.slice(0, 8)}-${tokyoDate(now)}.csv`, body: toCsv([header, ...rows]), rows: rows.length };
}

import "server-only";
import { and, asc, eq, inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { identityDocuments, investorProfiles, offerings, orders, users, wallets } from "@/db/schema";
import type { Locale, Translate } from "@/lib/i18n/catalog";
import { PREFECTURES } from "@/lib/onboarding/prefectures";
import { tokyoDate } from "@/lib/projects/dates";
import { toCsv } from "./csv";
import { holderBalances, tokenMovements } from "./ledger";

/** The offerings whose register a staff member may see: those of the issuers they act for. */
export async function listRegisterOfferings(issuerIds: readonly string[]) {
  return getDb()
    .select({ id: offerings.id, slug: offerings.slug, nameJa: offerings.nameJa, nameEn: offerings.nameEn, tokenSymbol: offerings.tokenSymbol, kind: offerings.kind })
    .from(offerings)
    .where(inArray(offerings.villageId, [...issuerIds]))
    .orderBy(asc(offerings.createdAt));
}

/** perkClaimId: units given up for a perk (tokens_redeemed) or given back when it was cancelled (tokens_allocated). */
type Acquisition = { at: Date; units: number; kind: "tokens_allocated" | "tokens_clawed_back" | "tokens_redeemed"; orderSeq: number | null; amountYen: number | null; perkClaimId: string | null };

/**
 * The holder register (原簿) of one offering as it stood at `asOf`: every holder with a positive
 * balance in the ledger entries up to that moment (and, at zero, those whose bond units were
 * redeemed), their identity data, wallet and history.
 */
export async function getRegister(offeringId: string, asOf: Date) {
  const db = getDb();
  const holdings = await holderBalances(db, { offeringId, asOf, withRedeemed: true });
  const userIds = holdings.map((holding) => holding.userId);
  if (userIds.length === 0) return { asOf, holders: [], totalUnits: 0 };
  const [people, movements, approvals] = await Promise.all([
    db
      .select({ id: users.id, email: users.email, profile: investorProfiles, walletAddress: wallets.address })
      .from(users)
      .leftJoin(investorProfiles, eq(investorProfiles.userId, users.id))
      .leftJoin(wallets, eq(wallets.userId, users.id))
      .where(inArray(users.id, userIds)),
    tokenMovements(userIds, offeringId, asOf),
    db
      .select({ userId: identityDocuments.userId, reviewedAt: identityDocuments.reviewedAt })
      .from(identityDocuments)
      .where(and(inArray(identityDocuments.userId, userIds), eq(identityDocuments.status, "approved"))),
  ]);
  const orderIds = movements.map((movement) => movement.orderId).filter((id): id is string => id !== null);
  const orderRows = orderIds.length ? await db.select({ id: orders.id, seq: orders.seq, amountYen: orders.amountYen }).from(orders).where(inArray(orders.id, orderIds)) : [];
  const orderById = new Map(orderRows.map((row) => [row.id, row]));

  const holders = holdings.map((holding) => {
    const person = people.find((row) => row.id === holding.userId)!;
    const profile = person.profile;
    const acquisitions: Acquisition[] = movements
      .filter((movement) => movement.userId === holding.userId)
      .map((movement) => {
        const order = movement.orderId ? orderById.get(movement.orderId) : undefined;
        return {
          at: movement.at,
          units: Number(movement.units),
          kind: movement.kind as Acquisition["kind"],
          orderSeq: order?.seq ?? null,
          amountYen: order?.amountYen ?? null,
          perkClaimId: movement.perkClaimId,
        };
      });
    return {
      userId: holding.userId,
      email: person.email,
      nameKanji: profile ? `${profile.familyNameKanji ?? ""} ${profile.givenNameKanji ?? ""}`.trim() : "",
      nameKana: profile ? `${profile.familyNameKana ?? ""} ${profile.givenNameKana ?? ""}`.trim() : "",
      birthDate: profile?.birthDate ?? "",
      postalCode: profile?.postalCode ?? "",
      prefecture: profile?.prefecture ?? "",
      city: profile?.city ?? "",
      street: profile?.street ?? "",
      phone: profile?.phone ?? "",
      walletAddress: person.walletAddress ?? "",
      identityApprovedAt: approvals.find((row) => row.userId === holding.userId)?.reviewedAt ?? null,
      units: holding.units,
      firstAcquiredAt: acquisitions[0]?.at ?? null,
      acquisitions,
    };
  });
  holders.sort((a, b) => a.nameKana.localeCompare(b.nameKana, "ja") || a.email.localeCompare(b.email));
  return { asOf, holders, totalUnits: holders.reduce((sum, holder) => sum + holder.units, 0) };
}

export type Register = Awaited<ReturnType<typeof getRegister>>;
export type RegisterHolder = Register["holders"][number];

export function addressOf(holder: RegisterHolder, locale: Locale): string {
  const prefecture = PREFECTURES.find(([code]) => code === holder.prefecture);
  const name = prefecture ? (locale === "ja" ? prefecture[1] : prefecture[2]) : "";
  return [name, holder.city, holder.street].filter(Boolean).join(locale === "ja" ? "" : " ");
}

/** One line per holder; acquisitions as `date units (order no.)`, a redemption as `date -units (redeemed)` (a perk's: named so), separated by semicolons. */
export function registerCsv(register: Register, locale: Locale, t: Translate): string {
  const header = (["number", "name", "kana", "birthDate", "postalCode", "address", "phone", "email", "wallet", "units", "firstAcquired", "acquisitions"] as const).map((key) =>
    t(`register.csv.${key}`),
  );
  const rows = register.holders.map((holder, i) => [
    i + 1,
    holder.nameKanji,
    holder.nameKana,
    holder.birthDate,
    holder.postalCode,
    addressOf(holder, locale),
    holder.phone,
    holder.email,
    holder.walletAddress,
    holder.units,
    holder.firstAcquiredAt ? tokyoDate(holder.firstAcquiredAt) : "",
    holder.acquisitions
      .map((entry) => {
        const note = entry.perkClaimId
          ? ` (${t(entry.kind === "tokens_redeemed" ? "register.perkRedeemed" : "register.perkRestored")})`
          : entry.kind === "tokens_redeemed"
            ? ` (${t("register.redeemed")})`
            : entry.orderSeq
              ? ` (#${entry.orderSeq})`
              : "";
        return `${tokyoDate(entry.at)} ${entry.units > 0 ? "+" : ""}${entry.units}${note}`;
      })
      .join("; "),
  ]);
  return toCsv([header, ...rows]);
}

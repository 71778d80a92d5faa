import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { villages, type Offering } from "@/db/schema";
import { residenceStatus, type ResidenceStatus } from "./residence";
import { residentPhase, trancheFigures, type ResidentPhase } from "./tranche";

type ViewOffering = Pick<Offering, "villageId" | "capUnits" | "reservedUnits" | "soldUnits" | "residentUnits" | "residentTakenUnits" | "residentsUntil">;

export type ResidentsView = {
  phase: Extract<ResidentPhase, "window" | "tranche">;
  until: Date;
  /** The issuer whose residents come first, in both languages. */
  municipality: { nameJa: string; nameEn: string };
  residentUnits: number;
  trancheLeft: number;
  generalLeft: number;
};

/** What the offering page shows while residents come first; null when they do not (any more). */
export async function residentsView(offering: ViewOffering, now = new Date()): Promise<ResidentsView | null> {
  const phase = residentPhase(offering, now);
  if (phase !== "window" && phase !== "tranche") return null;
  const [issuer] = await getDb().select({ nameJa: villages.nameJa, nameEn: villages.nameEn }).from(villages).where(eq(villages.id, offering.villageId));
  if (!issuer) return null;
  const figures = trancheFigures(offering);
  return { phase, until: offering.residentsUntil!, municipality: issuer, residentUnits: offering.residentUnits, trancheLeft: figures.trancheLeft, generalLeft: figures.generalLeft };
}

/** Whether the signed-in buyer counts as a resident of the offering's issuer. */
export async function buyerResidence(userId: string, offering: Pick<Offering, "villageId">): Promise<ResidenceStatus> {
  return residenceStatus(getDb(), userId, offering.villageId);
}

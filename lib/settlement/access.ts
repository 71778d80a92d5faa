import "server-only";
import { z } from "zod";
import type { SessionUser } from "@/lib/auth/roles";
import { offeringForStaff } from "@/lib/issuers/access";
import { getReport } from "./reports";

const offeringIdSchema = z.uuid();
/** `?v=2`: one version; absent for the latest. */
const versionSchema = z.coerce.number().int().positive().max(1_000_000).optional();

/**
 * The offering and the asked-for version of its report, for a staff member of its issuer; null
 * when the offering does not exist, belongs to another issuer, or the parameters are malformed
 * (each is a 404: a stranger learns nothing from the difference). `report` is null when there is
 * no such version yet.
 */
export async function reportForStaff(user: Pick<SessionUser, "id" | "role">, offeringId: string, version: string | null | undefined) {
  const id = offeringIdSchema.safeParse(offeringId);
  const wanted = versionSchema.safeParse(version ?? undefined);
  if (!id.success || !wanted.success) return null;
  const offering = await offeringForStaff(user, id.data);
  if (!offering) return null;
  return { offering, report: await getReport(offering.id, wanted.data) };
}

import "server-only";
import { and, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { offerings } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import type { SessionUser } from "@/lib/auth/roles";
import { canActForIssuer } from "@/lib/issuers/access";

/**
 * Staff set an offering's daily withdrawal limit per investor (0 turns withdrawals off). An
 * operating setting, not a term investors buy on: no new revision or approval, and it can change
 * after the sale closed, while the tokens are held. Only for an offering of the staff's issuers.
 */
export async function setWithdrawalDailyLimit(user: Pick<SessionUser, "id" | "role">, offeringId: string, units: number): Promise<{ ok: true } | { ok: false; error: "notFound" }> {
  return getDb().transaction(async (tx) => {
    const [before] = await tx.select().from(offerings).where(eq(offerings.id, offeringId)).for("update");
    if (!before || !(await canActForIssuer(user, before.villageId, tx))) return { ok: false as const, error: "notFound" as const };
    if (before.withdrawalDailyLimitUnits === units) return { ok: true as const };
    await tx
      .update(offerings)
      .set({ withdrawalDailyLimitUnits: units })
      .where(and(eq(offerings.id, offeringId)));
    await recordAudit(tx, {
      actorId: user.id,
      action: "offering.updated",
      targetType: "offering",
      targetId: offeringId,
      detail: { withdrawalDailyLimitUnits: units, before: before.withdrawalDailyLimitUnits },
    });
    return { ok: true as const };
  });
}

import "server-only";
import { eq } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/db/client";
import { issuerPayoutSettings, type IssuerPayoutSettings } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import type { MessageKey } from "@/lib/i18n/catalog";
import { maskAccountNumber } from "@/lib/payouts/accounts";
import { findBank, findBranch } from "@/lib/payouts/banks";
import { normaliseHolderName } from "@/lib/payouts/kana";
import type { IssuerSettingsInput } from "./schemas";

/** The issuer's own account and requester code (the transfer file's header), or null when not set yet. */
export async function issuerPayoutSettingsOf(villageId: string, db: DbOrTx = getDb()): Promise<IssuerPayoutSettings | null> {
  const [row] = await db.select().from(issuerPayoutSettings).where(eq(issuerPayoutSettings.villageId, villageId));
  return row ?? null;
}

export type SaveSettingsResult = { ok: true } | { ok: false; fieldErrors: Partial<Record<keyof IssuerSettingsInput, MessageKey>> };

/** Saves (or replaces) the issuer's payout settings once the bank and branch are on the zengin-code list; audited. */
export async function saveIssuerPayoutSettings(actorId: string, villageId: string, input: IssuerSettingsInput): Promise<SaveSettingsResult> {
  if (!(await findBank(input.bankCode))) return { ok: false, fieldErrors: { bankCode: "payouts.errors.bankUnknown" } };
  if (!(await findBranch(input.bankCode, input.branchCode))) return { ok: false, fieldErrors: { branchCode: "payouts.errors.branchUnknown" } };
  const values = { ...input, requesterNameKana: normaliseHolderName(input.requesterNameKana), updatedBy: actorId, updatedAt: new Date() };
  await getDb().transaction(async (tx) => {
    await tx
      .insert(issuerPayoutSettings)
      .values({ villageId, ...values })
      .onConflictDoUpdate({ target: issuerPayoutSettings.villageId, set: values });
    await recordAudit(tx, {
      actorId,
      action: "issuer.payout_settings_saved",
      targetType: "issuer",
      targetId: villageId,
      detail: { requesterCode: input.requesterCode, bankCode: input.bankCode, branchCode: input.branchCode, accountType: input.accountType, accountNumber: maskAccountNumber(input.accountNumber) },
    });
  });
  return { ok: true };
}

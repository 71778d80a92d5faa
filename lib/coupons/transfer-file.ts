import "server-only";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/db/client";
import { couponPayments, couponRuns, offerings, payoutBankAccounts, users } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { findBank, findBranch } from "@/lib/payouts/banks";
import { issuerPayoutSettingsOf } from "./issuer-settings";
import { ACCOUNT_TYPE_CODE, writeZenginFile, ZenginFormatError, zenginFileName, type ZenginTransfer } from "./zengin";
import { fitZengin, toZenginKana } from "./zengin-kana";

type TransferFile = { bytes: Buffer; fileName: string; count: number; totalYen: number; paymentIds: string[] };

export type TransferFileResult =
  | ({ ok: true } & TransferFile)
  | { ok: false; error: "notFound" | "notApproved" | "noSettings" | "settingsName" | "empty" | "format" }
  | { ok: false; error: "names"; holders: string[] };

/** A bank's or branch's name as the file writes it (half-width kana, 15 characters); blank when unknown. */
async function bankNames(bankCode: string, branchCode: string, cache: Map<string, { bank: string; branch: string }>) {
  const key = `${bankCode}-${branchCode}`;
  let names = cache.get(key);
  if (!names) {
    const [bank, branch] = await Promise.all([findBank(bankCode), findBranch(bankCode, branchCode)]);
    const half = (kana: string | undefined) => {
      const converted = kana ? toZenginKana(kana) : null;
      return converted?.ok ? fitZengin(converted.value, 15) : "";
    };
    names = { bank: half(bank?.kana), branch: half(branch?.kana) };
    cache.set(key, names);
  }
  return names;
}

/**
 * The general-transfer file of an approved run: one transfer per payment in its file with
 * something to pay (net + principal > 0), to the account fixed at approval, dated the payment
 * date. Refused, with the reason, without the issuer's payout settings or when a name cannot be
 * written in half-width kana (those holders are named).
 */
export async function buildTransferFile(offeringId: string, runId: string, db: DbOrTx = getDb()): Promise<TransferFileResult> {
  const [found] = await db
    .select({ run: couponRuns, slug: offerings.slug, villageId: offerings.villageId })
    .from(couponRuns)
    .innerJoin(offerings, eq(offerings.id, couponRuns.offeringId))
    .where(and(eq(couponRuns.id, runId), eq(couponRuns.offeringId, offeringId)));
  if (!found) return { ok: false, error: "notFound" };
  if (found.run.status !== "approved") return { ok: false, error: "notApproved" };
  const settings = await issuerPayoutSettingsOf(found.villageId, db);
  if (!settings) return { ok: false, error: "noSettings" };
  const requester = toZenginKana(settings.requesterNameKana);
  if (!requester.ok || requester.value.length > 40) return { ok: false, error: "settingsName" };
  const rows = await db
    .select({ payment: couponPayments, account: payoutBankAccounts, email: users.email })
    .from(couponPayments)
    .innerJoin(payoutBankAccounts, eq(payoutBankAccounts.id, couponPayments.bankAccountId))
    .innerJoin(users, eq(users.id, couponPayments.userId))
    .where(and(eq(couponPayments.runId, runId), eq(couponPayments.status, "in_file"), gt(sql`${couponPayments.netYen} + ${couponPayments.principalYen}`, 0)))
    .orderBy(payoutBankAccounts.bankCode, payoutBankAccounts.branchCode, payoutBankAccounts.accountNumber, couponPayments.id);
  if (rows.length === 0) return { ok: false, error: "empty" };
  const cache = new Map<string, { bank: string; branch: string }>();
  const badNames: string[] = [];
  const transfers: ZenginTransfer[] = [];
  for (const { payment, account, email } of rows) {
    const name = toZenginKana(account.holderNameKana);
    if (!name.ok || name.value === "") {
      badNames.push(email);
      continue;
    }
    const names = await bankNames(account.bankCode, account.branchCode, cache);
    transfers.push({
      bankCode: account.bankCode,
      bankName: names.bank,
      branchCode: account.branchCode,
      branchName: names.branch,
      accountType: ACCOUNT_TYPE_CODE[account.accountType],
      accountNumber: account.accountNumber,
      recipientName: fitZengin(name.value, 30),
      amountYen: payment.netYen + payment.principalYen,
    });
  }
  if (badNames.length > 0) return { ok: false, error: "names", holders: badNames };
  const own = await bankNames(settings.bankCode, settings.branchCode, cache);
  try {
    const bytes = writeZenginFile(
      {
        requesterCode: settings.requesterCode,
        requesterName: requester.value,
        transferDate: found.run.paymentDate.slice(5, 7) + found.run.paymentDate.slice(8, 10),
        bankCode: settings.bankCode,
        bankName: own.bank,
        branchCode: settings.branchCode,
        branchName: own.branch,
        accountType: ACCOUNT_TYPE_CODE[settings.accountType],
        accountNumber: settings.accountNumber,
      },
      transfers,
    );
    return {
      ok: true,
      bytes,
      fileName: zenginFileName(found.slug, found.run.paymentDate),
      count: transfers.length,
      totalYen: transfers.reduce((sum, transfer) => sum + transfer.amountYen, 0),
      paymentIds: rows.map((row) => row.payment.id),
    };
  } catch (error) {
    if (error instanceof ZenginFormatError) return { ok: false, error: "format" };
    throw error;
  }
}

/** Builds the file for a download by staff: audited each time, and the run remembers the first. */
export async function downloadTransferFile(input: { offeringId: string; runId: string; actorId: string }): Promise<TransferFileResult> {
  const file = await buildTransferFile(input.offeringId, input.runId);
  if (!file.ok) return file;
  await getDb().transaction(async (tx) => {
    await tx
      .update(couponRuns)
      .set({ fileCreatedAt: new Date() })
      .where(and(eq(couponRuns.id, input.runId), isNull(couponRuns.fileCreatedAt)));
    await recordAudit(tx, {
      actorId: input.actorId,
      action: "coupon_run.file_downloaded",
      targetType: "coupon_run",
      targetId: input.runId,
      detail: { offeringId: input.offeringId, count: file.count, totalYen: file.totalYen, fileName: file.fileName },
    });
  });
  return file;
}

import { and, eq } from "drizzle-orm";
import iconv from "iconv-lite";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, couponPayments, couponRuns, payoutBankAccounts } from "@/db/schema";
import { freezeSnapshot, makeBond, makeHolder, makeStaffOf, type Bond } from "@/test/coupon-world";
import type { SessionUser } from "@/lib/auth/roles";
import { approveCouponRun } from "./approve";
import { saveIssuerPayoutSettings } from "./issuer-settings";
import { prepareCouponRun } from "./prepare";
import { buildTransferFile, downloadTransferFile } from "./transfer-file";
import { parseZenginFile, RECORD_BYTES } from "./zengin";

let bond: Bond;
let a: SessionUser;
let b: SessionUser;
let runId: string;

const SETTINGS = { requesterCode: "0123456789", requesterNameKana: "ニシモリムラ　カイケイカンリシャ", bankCode: "0001", branchCode: "110", accountType: "current" as const, accountNumber: "0012345" };

beforeAll(async () => {
  bond = await makeBond();
  [a, b] = [await makeStaffOf(bond.villageId), await makeStaffOf(bond.villageId)];
  const hanako = await makeHolder();
  const joe = await makeHolder({ kana: ["スズキ", "ジョー"] });
  const saver = await makeHolder({ kana: ["キャッスル", "ヴィッキー"] });
  await getDb().update(payoutBankAccounts).set({ bankCode: "9900", branchCode: "108", accountType: "savings" }).where(eq(payoutBankAccounts.userId, saver.userId));
  const waiting = await makeHolder({ account: false });
  await freezeSnapshot(bond, 1, [
    { userId: hanako.userId, address: hanako.address, units: 3 },
    { userId: joe.userId, address: joe.address, units: 10 },
    { userId: saver.userId, address: saver.address, units: 1 },
    { userId: waiting.userId, address: waiting.address, units: 2 },
  ]);
  runId = ((await prepareCouponRun({ offeringId: bond.offeringId, paymentNumber: 1, actorId: a.id })) as { runId: string }).runId;
});

describe("the run's Zengin transfer file", () => {
  it("is refused before approval and without the issuer's paying account, with the reason", async () => {
    expect(await buildTransferFile(bond.offeringId, runId)).toEqual({ ok: false, error: "notApproved" });
    await approveCouponRun({ offeringId: bond.offeringId, runId, actorId: b.id });
    expect(await buildTransferFile(bond.offeringId, runId)).toEqual({ ok: false, error: "noSettings" });
    expect(await saveIssuerPayoutSettings(a.id, bond.villageId, { ...SETTINGS, bankCode: "0002" })).toEqual({ ok: false, fieldErrors: { bankCode: "payouts.errors.bankUnknown" } });
    expect(await saveIssuerPayoutSettings(a.id, bond.villageId, { ...SETTINGS, branchCode: "999" })).toEqual({ ok: false, fieldErrors: { branchCode: "payouts.errors.branchUnknown" } });
    expect(await saveIssuerPayoutSettings(a.id, bond.villageId, SETTINGS)).toEqual({ ok: true });
  });

  it("round-trips: parsed back, every field of every record equals the run", async () => {
    const file = await buildTransferFile(bond.offeringId, runId);
    if (!file.ok) throw new Error(file.error);
    expect(file.fileName).toBe(`zengin-${bond.slug}-2024-12-02.txt`);
    const parsed = parseZenginFile(file.bytes);
    for (const record of parsed.raw) expect(record.length).toBe(RECORD_BYTES);
    expect(
      iconv
        .decode(file.bytes, "Shift_JIS")
        .split("\r\n")
        .slice(0, -1)
        .every((line) => line.length === RECORD_BYTES),
    ).toBe(true);
    expect(parsed.header).toEqual({
      dataKind: "1",
      typeCode: "21",
      codeDivision: "0",
      requesterCode: "0123456789",
      requesterName: "ﾆｼﾓﾘﾑﾗ ｶｲｹｲｶﾝﾘｼﾔ",
      transferDate: "1202",
      bankCode: "0001",
      bankName: "ﾐｽﾞﾎ",
      branchCode: "110",
      branchName: "ﾄｳｷﾖｳﾁﾕｳｵｳ",
      accountType: "2",
      accountNumber: "0012345",
      dummy: "",
    });
    const rows = await getDb()
      .select({ payment: couponPayments, account: payoutBankAccounts })
      .from(couponPayments)
      .innerJoin(payoutBankAccounts, eq(payoutBankAccounts.id, couponPayments.bankAccountId))
      .where(and(eq(couponPayments.runId, runId), eq(couponPayments.status, "in_file")));
    expect(parsed.records).toHaveLength(3);
    expect(file.paymentIds).toHaveLength(3);
    const expectedNames: Record<string, [string, string, string]> = {
      "ヤマダ\u3000ハナコ": ["ﾔﾏﾀﾞ ﾊﾅｺ", "ﾐﾂﾋﾞｼﾕ-ｴﾌｼﾞｴｲ", "ﾎﾝﾃﾝ"],
      "スズキ\u3000ジョー": ["ｽｽﾞｷ ｼﾞﾖ-", "ﾐﾂﾋﾞｼﾕ-ｴﾌｼﾞｴｲ", "ﾎﾝﾃﾝ"],
      "キャッスル\u3000ヴィッキー": ["ｷﾔﾂｽﾙ ｳﾞｲﾂｷ-", "ﾕｳﾁﾖ", "ｲﾁｾﾞﾛﾊﾁ"],
    };
    parsed.records.forEach((record, index) => {
      const { payment, account } = rows.find((row) => row.payment.id === file.paymentIds[index])!;
      const [recipientName, bankName, branchName] = expectedNames[account.holderNameKana]!;
      expect(record).toEqual({
        dataKind: "2",
        bankCode: account.bankCode,
        bankName,
        branchCode: account.branchCode,
        branchName,
        clearingHouse: "",
        accountType: { ordinary: "1", current: "2", savings: "4" }[account.accountType],
        accountNumber: account.accountNumber,
        recipientName,
        amount: String(payment.netYen + payment.principalYen).padStart(10, "0"),
        newCode: "0",
        customerCode1: "",
        customerCode2: "",
        transferKind: "7",
        ediFlag: "",
        dummy: "",
      });
    });
    // 3 units → ¥54 net, 10 → ¥180, 1 → ¥18; the holder still waiting for an account is not in the file.
    expect(parsed.records.map((record) => Number(record.amount)).sort((x, y) => x - y)).toEqual([18, 54, 180]);
    expect(parsed.trailer).toEqual({ count: 3, totalYen: 252, dummy: "" });
    const [run] = await getDb().select().from(couponRuns).where(eq(couponRuns.id, runId));
    expect(parsed.trailer.totalYen).toBe(rows.reduce((sum, row) => sum + row.payment.netYen + row.payment.principalYen, 0));
    expect(run!.netYen).toBe(252 + 37);
  });

  it("a download is audited every time and dates the run's file once", async () => {
    const first = await downloadTransferFile({ offeringId: bond.offeringId, runId, actorId: a.id });
    expect(first.ok).toBe(true);
    const [run] = await getDb().select().from(couponRuns).where(eq(couponRuns.id, runId));
    expect(run!.fileCreatedAt).toBeInstanceOf(Date);
    await downloadTransferFile({ offeringId: bond.offeringId, runId, actorId: b.id });
    const [again] = await getDb().select().from(couponRuns).where(eq(couponRuns.id, runId));
    expect(again!.fileCreatedAt).toEqual(run!.fileCreatedAt);
    const audits = await getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "coupon_run.file_downloaded"), eq(auditLog.targetId, runId)));
    expect(audits.map((audit) => audit.actorId).sort()).toEqual([a.id, b.id].sort());
    expect(audits[0]!.detail).toMatchObject({ count: 3, totalYen: 252 });
  });

  it("names the holders whose account name cannot be written in half-width kana, and writes nothing", async () => {
    const [payment] = await getDb()
      .select()
      .from(couponPayments)
      .where(and(eq(couponPayments.runId, runId), eq(couponPayments.status, "in_file")))
      .limit(1);
    await getDb().update(payoutBankAccounts).set({ holderNameKana: "山田\u3000ハナコ" }).where(eq(payoutBankAccounts.id, payment!.bankAccountId!));
    const refused = await buildTransferFile(bond.offeringId, runId);
    expect(refused).toMatchObject({ ok: false, error: "names", holders: [expect.stringMatching(/^holder-.*@example\.jp$/)] });
  });
});

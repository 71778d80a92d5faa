import { and, eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { as, form, run } from "../session-mock";
import { freezeSnapshot, makeBond, makeHolder, makeStaffOf, type Bond } from "../coupon-world";
import { makeUser } from "../fixtures";
import { getDb } from "@/db/client";
import { auditLog, couponPayments, couponRuns, issuerPayoutSettings, ledgerEntries, recordSnapshots } from "@/db/schema";
import {
  approveRunAction,
  cancelRunAction,
  markAllPaidAction,
  markPaymentFailedAction,
  markPaymentPaidAction,
  prepareRunAction,
  saveIssuerSettingsAction,
  takeSnapshotAction,
} from "@/app/(staff)/staff/offerings/[id]/coupons/actions";
import type { SessionUser } from "@/lib/auth/roles";

let bond: Bond;
let preparer: SessionUser;
let approver: SessionUser;
let stranger: SessionUser;

const runsOf = (offeringId: string) => getDb().select().from(couponRuns).where(eq(couponRuns.offeringId, offeringId));

beforeAll(async () => {
  bond = await makeBond();
  preparer = await makeStaffOf(bond.villageId);
  approver = await makeStaffOf(bond.villageId);
  // Staff of another issuer: acts for its own bond, never for this one.
  const otherBond = await makeBond();
  stranger = await makeStaffOf(otherBond.villageId);
  const holders = await Promise.all([makeHolder(), makeHolder(), makeHolder({ account: false })]);
  await freezeSnapshot(
    bond,
    1,
    holders.map((holder, index) => ({ userId: holder.userId, address: holder.address, units: 2 * index + 1 })),
  );
});

beforeEach(() => {
  as.locale = "ja";
});

describe("coupon run actions", () => {
  it("refuse investors and staff of another issuer, changing nothing", async () => {
    as.user = await makeUser();
    expect(await run(prepareRunAction, form({ offeringId: bond.offeringId, paymentNumber: "1" }))).toMatchObject({ status: "error", message: "この操作を行う権限がありません。" });
    as.user = stranger;
    for (const action of [prepareRunAction, takeSnapshotAction]) {
      expect(await run(action, form({ offeringId: bond.offeringId, paymentNumber: "1" }))).toMatchObject({ status: "error", message: "支払処理が見つかりません。" });
    }
    expect(
      await run(
        saveIssuerSettingsAction,
        form({ offeringId: bond.offeringId, requesterCode: "0123456789", requesterNameKana: "ムラ", bankCode: "0001", branchCode: "110", accountType: "ordinary", accountNumber: "1234567" }),
      ),
    ).toMatchObject({ status: "error", message: "支払処理が見つかりません。" });
    expect(await runsOf(bond.offeringId)).toHaveLength(0);
    expect(await getDb().select().from(issuerPayoutSettings).where(eq(issuerPayoutSettings.villageId, bond.villageId))).toHaveLength(0);
  });

  it("prepare, then the preparer is refused approval in both languages; a second staff member approves", async () => {
    as.user = preparer;
    expect(await run(prepareRunAction, form({ offeringId: bond.offeringId, paymentNumber: "1" }))).toMatchObject({ status: "ok", message: expect.stringContaining("保有者3名") });
    const [prepared] = await runsOf(bond.offeringId);
    const fields = { offeringId: bond.offeringId, runId: prepared!.id };
    expect(await run(approveRunAction, form(fields))).toEqual({ status: "error", message: "準備した職員とは別の職員が承認してください。" });
    as.locale = "en";
    expect(await run(approveRunAction, form(fields))).toEqual({ status: "error", message: "A staff member other than the one who prepared the run must approve it." });
    as.user = stranger;
    expect(await run(approveRunAction, form(fields))).toMatchObject({ status: "error", message: "Run not found." });
    expect((await runsOf(bond.offeringId))[0]!.status).toBe("prepared");
    as.user = approver;
    expect(await run(approveRunAction, form(fields))).toMatchObject({ status: "ok", message: "Approved. 2 payments are in the transfer file; 1 wait for an account." });
    expect((await runsOf(bond.offeringId))[0]).toMatchObject({ status: "approved", approvedBy: approver.id });
  });

  it("a cancel needs a reason and only a prepared run can be cancelled", async () => {
    as.user = preparer;
    const [approved] = await runsOf(bond.offeringId);
    expect(await run(cancelRunAction, form({ offeringId: bond.offeringId, runId: approved!.id, reason: " " }))).toMatchObject({
      status: "invalid",
      fieldErrors: { reason: "理由を入力してください。" },
    });
    expect(await run(cancelRunAction, form({ offeringId: bond.offeringId, runId: approved!.id, reason: "間違い" }))).toMatchObject({
      status: "error",
      message: "この支払処理は準備済みの状態ではありません。",
    });
  });

  it("marks one payment failed and the rest paid; another issuer's staff cannot mark anything", async () => {
    const [approved] = await runsOf(bond.offeringId);
    const payments = await getDb()
      .select()
      .from(couponPayments)
      .where(and(eq(couponPayments.runId, approved!.id), eq(couponPayments.status, "in_file")));
    const fields = { offeringId: bond.offeringId, runId: approved!.id };
    as.user = stranger;
    expect(await run(markAllPaidAction, form(fields))).toMatchObject({ status: "error", message: "支払処理が見つかりません。" });
    expect(await run(markPaymentPaidAction, form({ ...fields, paymentId: payments[0]!.id }))).toMatchObject({ status: "error" });
    as.user = approver;
    expect(await run(markPaymentFailedAction, form({ ...fields, paymentId: payments[0]!.id, reason: "組戻し" }))).toMatchObject({
      status: "ok",
      message: "振込不能にしました。次回の支払処理で繰り越されます。",
    });
    expect(await run(markAllPaidAction, form(fields))).toMatchObject({ status: "ok", message: "1件を支払済みにしました。 すべての振込が終わり、支払処理を完了しました。" });
    const ledger = await getDb().select().from(ledgerEntries).where(eq(ledgerEntries.offeringId, bond.offeringId));
    expect(ledger.filter((entry) => entry.kind === "coupon_paid")).toHaveLength(1);
    const audits = await getDb().select().from(auditLog).where(eq(auditLog.action, "coupon_payment.failed"));
    expect(audits.find((audit) => audit.targetId === payments[0]!.id)).toMatchObject({ actorId: approver.id, detail: { reason: "組戻し" } });
  });

  it("validates the issuer's paying account: code, kana name, bank and branch from the list", async () => {
    as.user = preparer;
    const valid = {
      offeringId: bond.offeringId,
      requesterCode: "０１２３４５６７８９",
      requesterNameKana: "にしもりむら",
      bankCode: "0001",
      branchCode: "110",
      accountType: "current",
      accountNumber: "7654321",
    };
    expect(await run(saveIssuerSettingsAction, form({ ...valid, requesterCode: "12345" }))).toMatchObject({ fieldErrors: { requesterCode: "委託者コードは10桁の数字で入力してください。" } });
    expect(await run(saveIssuerSettingsAction, form({ ...valid, requesterNameKana: "西森村" }))).toMatchObject({ fieldErrors: { requesterNameKana: expect.stringContaining("漢字は使えません") } });
    expect(await run(saveIssuerSettingsAction, form({ ...valid, requesterNameKana: "ガ".repeat(21) }))).toMatchObject({
      fieldErrors: { requesterNameKana: "委託者名は半角カナにして40文字以内にしてください。" },
    });
    expect(await run(saveIssuerSettingsAction, form({ ...valid, bankCode: "0002" }))).toMatchObject({ fieldErrors: { bankCode: "この金融機関コードは全銀協の一覧にありません。" } });
    expect(await run(saveIssuerSettingsAction, form({ ...valid, accountType: "savings" }))).toMatchObject({ status: "invalid" });
    expect(await run(saveIssuerSettingsAction, form(valid))).toMatchObject({ status: "ok", message: "振込元の設定を保存しました。" });
    const [saved] = await getDb().select().from(issuerPayoutSettings).where(eq(issuerPayoutSettings.villageId, bond.villageId));
    expect(saved).toMatchObject({ requesterCode: "0123456789", requesterNameKana: "ニシモリムラ", accountType: "current", accountNumber: "7654321", updatedBy: preparer.id });
    const [audit] = await getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "issuer.payout_settings_saved"), eq(auditLog.targetId, bond.villageId)));
    expect(audit!.detail).toMatchObject({ accountNumber: "****321" });
  });

  it("staff can retake a snapshot; one that cannot read the chain is kept as an error, taken by them", async () => {
    as.user = preparer;
    const state = await run(takeSnapshotAction, form({ offeringId: bond.offeringId, paymentNumber: "2" }));
    expect(state).toMatchObject({ status: "error", message: "スナップショットを取得できませんでした。時間をおいて取り直してください。" });
    const [stored] = await getDb()
      .select()
      .from(recordSnapshots)
      .where(and(eq(recordSnapshots.offeringId, bond.offeringId), eq(recordSnapshots.paymentDate, bond.schedule[1]!.paymentDate)));
    expect(stored).toMatchObject({ status: "error", takenBy: preparer.id });
    expect(await run(prepareRunAction, form({ offeringId: bond.offeringId, paymentNumber: "2" }))).toMatchObject({
      status: "error",
      message: "スナップショットの取得に失敗しています。取り直してください。",
    });
  });
});

import { and, eq, sql } from "drizzle-orm";
import type { Address } from "viem";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { as, form, run } from "../session-mock";
import { freezeSnapshot, makeBond, makeHolder, makeStaffOf, randomAddress, type Bond, type Holder } from "../coupon-world";
import { makeUser } from "../fixtures";
import { GET as transferFile } from "@/app/(staff)/staff/offerings/[id]/coupons/[runId]/file/route";
import { approveRunAction, markAllPaidAction } from "@/app/(staff)/staff/offerings/[id]/coupons/actions";
import { getDb } from "@/db/client";
import { auditLog, chainTransactions, couponPayments, couponRuns, issuerPayoutSettings, ledgerEntries, offerings, recordSnapshots, type Offering } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/roles";
import { retryChainTransaction } from "@/lib/chain/chain-issues";
import type { Operator } from "@/lib/chain/operator";
import { approveCouponRun } from "@/lib/coupons/approve";
import { markFailed, markPaid } from "@/lib/coupons/payments";
import { prepareCouponRun } from "@/lib/coupons/prepare";
import { couponRunDetail } from "@/lib/coupons/queries";
import { translator } from "@/lib/i18n/catalog";
import { yearCsv } from "@/lib/statements/year-csv";
import type { YearStatement } from "@/lib/statements/year-statement";
import { dueSnapshots } from "@/lib/bonds/snapshot";

const db = () => getDb();
const INT32_MAX = 2_147_483_647;
/** Placeholder tokens live on a chain of their own, so no chain job here takes them for real ones. */
const OTHER_CHAIN = 1_337_001;

/** Prepares payment `number` as `preparer` and approves it as `approver`; returns the run id. */
async function approvedRun(bond: Bond, number: number, preparer: SessionUser, approver: SessionUser): Promise<string> {
  const prepared = await prepareCouponRun({ offeringId: bond.offeringId, paymentNumber: number, actorId: preparer.id });
  if (!prepared.ok) throw new Error(`prepare ${number}: ${prepared.error}`);
  const approved = await approveCouponRun({ offeringId: bond.offeringId, runId: prepared.runId, actorId: approver.id });
  if (!approved.ok) throw new Error(`approve ${number}: ${approved.error}`);
  return prepared.runId;
}

beforeEach(() => {
  as.locale = "ja";
});

describe("bond servicing under attack", () => {
  it("a holder owed more principal than a ledger amount holds (¥2.5 billion) is marked paid, the principal booked in parts that add up", async () => {
    const bond = await makeBond();
    const [preparer, approver] = [await makeStaffOf(bond.villageId), await makeStaffOf(bond.villageId)];
    const [big, small] = [await makeHolder(), await makeHolder()];
    for (const number of [1, 2, 3]) {
      await freezeSnapshot(bond, number, [
        { userId: big.userId, address: big.address, units: 250_000 },
        { userId: small.userId, address: small.address, units: 3 },
      ]);
    }
    await approvedRun(bond, 1, preparer, approver);
    await approvedRun(bond, 2, preparer, approver);
    const finalRun = await approvedRun(bond, 3, preparer, approver);

    as.user = approver;
    expect(await run(markAllPaidAction, form({ offeringId: bond.offeringId, runId: finalRun }))).toMatchObject({ status: "ok" });
    const principal = await db()
      .select()
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.offeringId, bond.offeringId), eq(ledgerEntries.kind, "principal_paid")));
    const bigParts = principal.filter((entry) => entry.userId === big.userId);
    expect(bigParts.map((entry) => entry.yen).reduce((sum, yen) => sum + yen, 0)).toBe(2_500_000_000);
    expect(bigParts.every((entry) => entry.yen > 0 && entry.yen <= INT32_MAX)).toBe(true);
    expect(bigParts.map((entry) => entry.detail)).toEqual([
      expect.objectContaining({ runId: finalRun, principalYen: 2_500_000_000, part: 1, parts: 2 }),
      expect.objectContaining({ runId: finalRun, principalYen: 2_500_000_000, part: 2, parts: 2 }),
    ]);
    expect(principal.filter((entry) => entry.userId === small.userId).map((entry) => [entry.yen, entry.detail?.parts])).toEqual([[30_000, undefined]]);
    expect((await db().select().from(couponRuns).where(eq(couponRuns.id, finalRun)))[0]).toMatchObject({ status: "paid", principalYen: 2_500_030_000 });
  });

  describe("the transfer file download", () => {
    let bond: Bond;
    let staff: SessionUser;
    let approvedId: string;
    let preparedId: string;
    const get = (runId: string, offeringId = bond.offeringId) =>
      transferFile(new Request(`http://localhost/staff/offerings/${offeringId}/coupons/${runId}/file`), { params: Promise.resolve({ id: offeringId, runId }) });

    beforeAll(async () => {
      bond = await makeBond();
      staff = await makeStaffOf(bond.villageId);
      const approver = await makeStaffOf(bond.villageId);
      const holder = await makeHolder();
      for (const number of [1, 2]) await freezeSnapshot(bond, number, [{ userId: holder.userId, address: holder.address, units: 5 }]);
      approvedId = await approvedRun(bond, 1, staff, approver);
      const prepared = await prepareCouponRun({ offeringId: bond.offeringId, paymentNumber: 2, actorId: staff.id });
      if (!prepared.ok) throw new Error(prepared.error);
      preparedId = prepared.runId;
      await db().insert(issuerPayoutSettings).values({
        villageId: bond.villageId,
        requesterCode: "0123456789",
        requesterNameKana: "ニシモリムラ",
        bankCode: "0001",
        branchCode: "110",
        accountType: "ordinary",
        accountNumber: "7654321",
      });
      // A slug that never passed the offering form: quotes and a line break must not reach the header.
      await db()
        .update(offerings)
        .set({ slug: `${bond.slug}"; x=1\r\nset-cookie: stolen=1` })
        .where(eq(offerings.id, bond.offeringId));
    });

    it("names the file with safe characters only, whatever the offering's slug", async () => {
      as.user = staff;
      const response = await get(approvedId);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="zengin-bond-[A-Za-z0-9_-]+-x-1-set-cookie-stolen-1-\d{4}-\d{2}-\d{2}\.txt"$/);
      expect(response.headers.get("set-cookie")).toBeNull();
      expect(response.headers.get("content-type")).toBe("text/plain; charset=Shift_JIS");
    });

    it("is refused signed out, to an investor, to staff of another issuer, and for a run not approved; nothing is audited for them", async () => {
      const audited = async () =>
        (
          await db()
            .select()
            .from(auditLog)
            .where(and(eq(auditLog.action, "coupon_run.file_downloaded"), eq(auditLog.actorId, staff.id)))
        ).length;
      const before = await audited();
      as.user = null;
      expect((await get(approvedId)).status).toBe(401);
      as.user = await makeUser();
      expect((await get(approvedId)).status).toBe(403);
      as.user = await makeStaffOf((await makeBond()).villageId);
      expect((await get(approvedId)).status).toBe(404);
      as.user = staff;
      expect((await get("not-a-uuid")).status).toBe(404);
      const prepared = await get(preparedId);
      expect(prepared.status).toBe(409);
      expect(await prepared.text()).toBe("承認済みの支払処理でのみ行えます。");
      expect(await audited()).toBe(before);
    });
  });

  it("a run page asked for an absurd page number (?page=1e20) answers with an empty page instead of failing", async () => {
    const bond = await makeBond();
    const [preparer, approver] = [await makeStaffOf(bond.villageId), await makeStaffOf(bond.villageId)];
    const holder = await makeHolder();
    await freezeSnapshot(bond, 1, [{ userId: holder.userId, address: holder.address, units: 1 }]);
    const runId = await approvedRun(bond, 1, preparer, approver);
    const detail = await couponRunDetail(bond.offeringId, runId, Number.parseInt("100000000000000000000", 10));
    expect(detail).toMatchObject({ total: 1, pages: 1, payments: [] });
    expect(detail!.recordDate).toBe(bond.schedule[0]!.recordDate);
    expect((await couponRunDetail(bond.offeringId, runId, 1))!.payments).toHaveLength(1);
  });

  it("staff retrying a failed redemption burn hand it to the redemption job instead of sending the same batch again", async () => {
    const bond = await makeBond();
    const token = randomAddress() as Address;
    await db().update(offerings).set({ chainId: OTHER_CHAIN, tokenAddress: token }).where(eq(offerings.id, bond.offeringId));
    const [offering] = (await db().select().from(offerings).where(eq(offerings.id, bond.offeringId))) as [Offering];
    const staff = await makeStaffOf(bond.villageId);
    const runId = crypto.randomUUID();
    const [failed] = await db()
      .insert(chainTransactions)
      .values({
        signer: "0x00000000000000000000000000000000000000aa",
        chainId: OTHER_CHAIN,
        kind: "redeem",
        status: "failed",
        error: "execution reverted: ERC20InsufficientBalance",
        payload: {
          contract: "VillageToken",
          functionName: "redeemBatch",
          args: [
            ["1", "2"],
            [randomAddress(), randomAddress()],
            ["2", "6"],
          ],
          to: token,
          data: "0x",
          ref: { runId, offeringId: bond.offeringId, burnIds: ["a", "b"] },
        },
      })
      .returning();
    const op = { db: db(), chainId: OTHER_CHAIN, signer: "0x00000000000000000000000000000000000000aa" } as unknown as Operator;

    expect(await retryChainTransaction(op, { offering, txId: failed!.id, staffId: staff.id })).toEqual({ ok: true });
    const redeems = await db().select().from(chainTransactions).where(sql`${chainTransactions.payload}->'ref'->>'runId' = ${runId}`);
    expect(redeems.map((row) => row.id)).toEqual([failed!.id]);
    expect(redeems[0]!.payload?.resolution).toMatchObject({ action: "retried", by: staff.id });
    const [jobs] = await db().execute<{ n: number }>(sql`select count(*)::int as n from pgboss.job where name = 'bonds.redeem-burn' and data->>'runId' = ${runId}`);
    expect(jobs!.n).toBe(1);
  });

  it("the hourly sweep leaves a frozen snapshot alone even when a failed read was stored after it", async () => {
    const bond = await makeBond();
    await db().update(offerings).set({ chainId: OTHER_CHAIN, tokenAddress: randomAddress() }).where(eq(offerings.id, bond.offeringId));
    const first = bond.schedule[0]!;
    const frozen = await freezeSnapshot(bond, 1, []);
    await db()
      .insert(recordSnapshots)
      .values({
        offeringId: bond.offeringId,
        paymentDate: first.paymentDate,
        recordDate: first.recordDate,
        cutoffAt: frozen.cutoffAt,
        status: "error",
        error: "node unreachable",
        takenAt: new Date(frozen.takenAt.getTime() + 60_000),
      });
    const due = (await dueSnapshots(db(), OTHER_CHAIN, new Date("2026-01-01T00:00:00Z"))).filter((row) => row.offeringId === bond.offeringId);
    expect(due.map((row) => row.paymentDate)).toEqual([bond.schedule[1]!.paymentDate, bond.schedule[2]!.paymentDate]);
  });

  describe("checks that hold", () => {
    let bond: Bond;
    let preparer: SessionUser;
    let approver: SessionUser;
    let holder: Holder;

    beforeAll(async () => {
      bond = await makeBond();
      [preparer, approver] = [await makeStaffOf(bond.villageId), await makeStaffOf(bond.villageId)];
      holder = await makeHolder();
      await freezeSnapshot(bond, 1, [{ userId: holder.userId, address: holder.address, units: 7 }]);
    });

    it("an admin who prepared a run cannot approve it, nor can the preparer with another offering's id in a crafted post", async () => {
      const admin = await makeUser("admin");
      const prepared = await prepareCouponRun({ offeringId: bond.offeringId, paymentNumber: 1, actorId: admin.id });
      if (!prepared.ok) throw new Error(prepared.error);
      as.user = admin;
      expect(await run(approveRunAction, form({ offeringId: bond.offeringId, runId: prepared.runId }))).toMatchObject({ status: "error", message: "準備した職員とは別の職員が承認してください。" });
      as.user = await makeStaffOf((await makeBond()).villageId);
      expect(await run(approveRunAction, form({ offeringId: bond.offeringId, runId: prepared.runId }))).toMatchObject({ status: "error", message: "支払処理が見つかりません。" });
      expect((await db().select().from(couponRuns).where(eq(couponRuns.id, prepared.runId)))[0]).toMatchObject({ status: "prepared", approvedBy: null });
      as.user = approver;
      expect(await run(approveRunAction, form({ offeringId: bond.offeringId, runId: prepared.runId }))).toMatchObject({ status: "ok" });
    });

    it("marking one payment paid and failed at the same time: one wins, the ledger is booked at most once", async () => {
      const [live] = await db()
        .select()
        .from(couponRuns)
        .where(and(eq(couponRuns.offeringId, bond.offeringId), eq(couponRuns.status, "approved")));
      const [payment] = await db().select().from(couponPayments).where(eq(couponPayments.runId, live!.id));
      const results = await Promise.all([
        markPaid({ offeringId: bond.offeringId, runId: live!.id, paymentId: payment!.id, actorId: preparer.id }),
        markFailed({ offeringId: bond.offeringId, runId: live!.id, paymentId: payment!.id, actorId: approver.id, reason: "組戻し" }),
      ]);
      expect(results.filter((result) => result.ok)).toHaveLength(1);
      // The loser finds the payment done, or (when it closed the run) the run no longer open.
      expect(results.filter((result) => !result.ok)).toEqual([{ ok: false, error: expect.stringMatching(/^(notInFile|notApproved)$/) }]);
      const [after] = await db().select().from(couponPayments).where(eq(couponPayments.id, payment!.id));
      const paid = await db()
        .select()
        .from(ledgerEntries)
        .where(and(eq(ledgerEntries.offeringId, bond.offeringId), eq(ledgerEntries.kind, "coupon_paid")));
      expect(paid).toHaveLength(after!.status === "paid" ? 1 : 0);
    });

    it("prepared twice at once, approved twice at once: one run, one approval", async () => {
      await freezeSnapshot(bond, 2, [{ userId: holder.userId, address: holder.address, units: 7 }]);
      const prepared = await Promise.all([preparer, preparer].map((who) => prepareCouponRun({ offeringId: bond.offeringId, paymentNumber: 2, actorId: who.id })));
      expect(prepared.filter((result) => result.ok)).toHaveLength(1);
      expect(prepared.filter((result) => !result.ok)).toEqual([{ ok: false, error: "alreadyPrepared" }]);
      const runId = prepared.find((result) => result.ok)!.runId;
      const third = await makeStaffOf(bond.villageId);
      const approved = await Promise.all([approver, third].map((who) => approveCouponRun({ offeringId: bond.offeringId, runId, actorId: who.id })));
      expect(approved.filter((result) => result.ok)).toHaveLength(1);
      expect(approved.filter((result) => !result.ok)).toEqual([{ ok: false, error: "notPrepared" }]);
      const audits = await db()
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, "coupon_run.approved"), eq(auditLog.targetId, runId)));
      expect(audits).toHaveLength(1);
    });

    it("the year's CSV shows an offering named like a formula as text", () => {
      const named = { offeringId: bond.offeringId, nameJa: '=HYPERLINK("http://evil.example","債")', nameEn: "+cmd|' /C calc'!A0" };
      const statement: YearStatement = {
        year: 2025,
        holder: { name: "山田 花子", postalCode: null, address: "" },
        purchases: [{ ...named, date: "2025-05-01", units: 1, yen: 10_000 }],
        refunds: [],
        coupons: [],
        redemptions: [],
        holdings: [{ ...named, units: 1, faceValueYen: 10_000 }],
        totals: { purchasesYen: 10_000, refundsYen: 0, grossYen: 0, nationalTaxYen: 0, localTaxYen: 0, netYen: 0, principalYen: 0 },
      };
      const ja = yearCsv(statement, translator("ja"), "ja");
      expect(ja).toContain(`'=HYPERLINK(""http://evil.example"",""債"")"`);
      expect(ja).not.toMatch(/(^|,)=HYPERLINK/m);
      expect(yearCsv(statement, translator("en"), "en")).toContain("'+cmd|' /C calc'!A0");
    });
  });
});

import { and, eq, inArray, sql } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { as, form, run } from "@/test/session-mock";
import { addAccount, freezeSnapshot, makeBond, makeHolder, makeStaffOf, type Bond, type Holder } from "@/test/coupon-world";
import { makeUser } from "@/test/fixtures";
import { getDb } from "@/db/client";
import { couponPayments, couponRuns, ledgerEntries, offerings } from "@/db/schema";
import { prepareCarryOverRunAction } from "@/app/(staff)/staff/offerings/[id]/coupons/actions";
import type { SessionUser } from "@/lib/auth/roles";
import { nextBusinessDay } from "@/lib/bonds/calendar";
import { tokyoDate } from "@/lib/projects/dates";
import { approveCouponRun } from "./approve";
import { carryOverOverview, checkCarryOverDate, isCarryOverRun, prepareCarryOverRun } from "./carry-over-run";
import { saveIssuerPayoutSettings } from "./issuer-settings";
import { markFailed, markPaid } from "./payments";
import { prepareCouponRun } from "./prepare";
import { buildTransferFile } from "./transfer-file";
import { parseZenginFile } from "./zengin";

/** Monday 2026-01-05, 10:00 in Tokyo. */
const NOW = new Date("2026-01-05T01:00:00Z");

const paymentsOf = (runId: string) => getDb().select().from(couponPayments).where(eq(couponPayments.runId, runId));
const runOf = async (runId: string) => (await getDb().select().from(couponRuns).where(eq(couponRuns.id, runId)))[0]!;
const offeringOf = async (offeringId: string) => (await getDb().select().from(offerings).where(eq(offerings.id, offeringId)))[0]!;
const ledgerOfRun = (offeringId: string, runId: string) =>
  getDb()
    .select()
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.offeringId, offeringId), sql`${ledgerEntries.detail}->>'runId' = ${runId}`));

/** Prepares, approves (by the second person) and, unless told not to, marks paid payment `number`. */
async function serviced(bond: Bond, number: number, preparer: SessionUser, approver: SessionUser, pay = true) {
  const prepared = await prepareCouponRun({ offeringId: bond.offeringId, paymentNumber: number, actorId: preparer.id });
  if (!prepared.ok) throw new Error(prepared.error);
  await approveCouponRun({ offeringId: bond.offeringId, runId: prepared.runId, actorId: approver.id });
  if (pay) await markPaid({ offeringId: bond.offeringId, runId: prepared.runId, actorId: approver.id });
  return prepared.runId;
}

/** A future date (Tokyo) that is no bank business day: the next weekend or holiday after today. */
function nextClosedDay(): string {
  let day = new Date();
  do day = new Date(day.getTime() + 86_400_000);
  while (nextBusinessDay(tokyoDate(day)) === tokyoDate(day));
  return tokyoDate(day);
}

describe("the payment of amounts owed after the final payment", () => {
  let bond: Bond;
  let preparer: SessionUser;
  let approver: SessionUser;
  let stranger: SessionUser;
  let paid: Holder; // 3 units, always paid
  let late: Holder; // 1 unit, registers an account only after maturity
  let bounced: Holder; // 7 units, the final transfer fails
  let finalRun: string;
  let carryRun: string;

  beforeAll(async () => {
    bond = await makeBond();
    [preparer, approver] = [await makeStaffOf(bond.villageId), await makeStaffOf(bond.villageId)];
    stranger = await makeStaffOf((await makeBond()).villageId);
    [paid, late, bounced] = await Promise.all([makeHolder(), makeHolder({ account: false }), makeHolder({ kana: ["スズキ", "ジョー"] })]);
    const holdings = [
      { userId: paid.userId, address: paid.address, units: 3 },
      { userId: late.userId, address: late.address, units: 1 },
      { userId: bounced.userId, address: bounced.address, units: 7 },
    ];
    for (const number of [1, 2, 3]) await freezeSnapshot(bond, number, holdings);
    await serviced(bond, 1, preparer, approver);
    await serviced(bond, 2, approver, preparer);
    finalRun = await serviced(bond, 3, preparer, approver, false);
  });

  beforeEach(() => {
    as.locale = "ja";
  });

  it("while the only amounts owed wait for an account: shown as waiting since the first date, and a run is refused with the reason", async () => {
    const overview = await carryOverOverview(await offeringOf(bond.offeringId), NOW);
    // ¥18 net of each of three coupons, plus the principal of 1 unit.
    expect(overview).toMatchObject({
      payable: null,
      waiting: { holders: 1, count: 3, yen: 18 * 3 + 10_000, since: "2024-12-02" },
      runs: [],
      pending: false,
      canPrepare: false,
      earliestDate: "2026-01-05",
    });
    expect(await prepareCarryOverRun({ offeringId: bond.offeringId, paymentDate: "2026-01-06", actorId: preparer.id, now: NOW })).toEqual({ ok: false, error: "nothingOwed" });
    as.user = preparer;
    expect(await run(prepareCarryOverRunAction, form({ offeringId: bond.offeringId, paymentDate: (await carryOverOverview(await offeringOf(bond.offeringId)))!.earliestDate }))).toEqual({
      status: "error",
      message: "いま支払える未払金はありません（口座登録待ちの分は、受取口座が登録されてから支払えます）。",
    });
  });

  it("takes only a bank business day from today to three months ahead", async () => {
    expect(checkCarryOverDate("2026-01-05", NOW)).toBeNull();
    expect(checkCarryOverDate("2026-01-06", NOW)).toBeNull();
    expect(checkCarryOverDate("2026-01-02", NOW)).toBe("pastDate");
    expect(checkCarryOverDate("2026-01-10", NOW)).toBe("notBusinessDay"); // Saturday
    expect(checkCarryOverDate("2026-01-12", NOW)).toBe("notBusinessDay"); // Coming of Age Day
    expect(checkCarryOverDate("2026-06-01", NOW)).toBe("tooFar");
    expect(checkCarryOverDate("2026-02-30", NOW)).toBe("badDate");
    expect(await prepareCarryOverRun({ offeringId: bond.offeringId, paymentDate: "2026-01-12", actorId: preparer.id, now: NOW })).toEqual({ ok: false, error: "notBusinessDay" });
    as.user = preparer;
    expect(await run(prepareCarryOverRunAction, form({ offeringId: bond.offeringId, paymentDate: "2025-12-01" }))).toMatchObject({
      status: "invalid",
      fieldErrors: { paymentDate: "支払日には今日以降の日付を指定してください。" },
    });
    as.locale = "en";
    expect(await run(prepareCarryOverRunAction, form({ offeringId: bond.offeringId, paymentDate: nextClosedDay() }))).toMatchObject({
      status: "invalid",
      fieldErrors: { paymentDate: "The payment date must be a bank business day (not a weekend, a national holiday or Dec 31 to Jan 3)." },
    });
  });

  it("refuses investors and staff of another issuer, changing nothing", async () => {
    await addAccount(late.userId);
    const date = (await carryOverOverview(await offeringOf(bond.offeringId)))!.earliestDate;
    as.user = stranger;
    expect(await run(prepareCarryOverRunAction, form({ offeringId: bond.offeringId, paymentDate: date }))).toEqual({ status: "error", message: "支払処理が見つかりません。" });
    as.user = await makeUser();
    expect(await run(prepareCarryOverRunAction, form({ offeringId: bond.offeringId, paymentDate: date }))).toMatchObject({ status: "error", message: "この操作を行う権限がありません。" });
    expect(await getDb().select().from(couponRuns).where(eq(couponRuns.offeringId, bond.offeringId))).toHaveLength(3);
  });

  it("holds exactly the failed final transfer and the late holder's three payments, on the final run's snapshot", async () => {
    const finals = await paymentsOf(finalRun);
    const failing = finals.find((row) => row.userId === bounced.userId)!;
    await markFailed({ offeringId: bond.offeringId, runId: finalRun, paymentId: failing.id, actorId: approver.id, reason: "組戻し" });
    await markPaid({ offeringId: bond.offeringId, runId: finalRun, actorId: approver.id });
    const overview = await carryOverOverview(await offeringOf(bond.offeringId), NOW);
    expect(overview).toMatchObject({ payable: { holders: 2, count: 4, yen: 18 * 3 + 10_000 + 126 + 70_000, since: "2024-12-02" }, waiting: null, canPrepare: true });

    const prepared = await prepareCarryOverRun({ offeringId: bond.offeringId, paymentDate: "2026-01-06", actorId: preparer.id, now: NOW });
    expect(prepared).toMatchObject({ ok: true, holders: 2, carried: 4 });
    carryRun = (prepared as { runId: string }).runId;
    const final = await runOf(finalRun);
    const carry = await runOf(carryRun);
    expect(carry).toMatchObject({
      paymentNumber: 4,
      paymentDate: "2026-01-06",
      kind: "coupon",
      status: "prepared",
      snapshotId: final.snapshotId,
      holders: 2,
      netYen: 180,
      principalYen: 80_000,
      carriedInYen: 180,
    });
    expect(carry.grossYen).toBe(carry.netYen + carry.nationalTaxYen + carry.localTaxYen);
    expect(await isCarryOverRun(getDb(), carry)).toBe(true);
    expect(await isCarryOverRun(getDb(), final)).toBe(false);
    const rows = await paymentsOf(carryRun);
    const lateOriginals = (await getDb().select().from(couponPayments).where(eq(couponPayments.userId, late.userId))).filter((row) => row.runId !== carryRun);
    expect(lateOriginals.map((row) => row.status)).toEqual(["waiting_account", "waiting_account", "waiting_account"]);
    expect(rows.map((row) => row.carriedFromId).sort()).toEqual([failing.id, ...lateOriginals.map((row) => row.id)].sort());
    expect(rows.every((row) => row.userId === late.userId || row.userId === bounced.userId)).toBe(true);

    expect(await prepareCarryOverRun({ offeringId: bond.offeringId, paymentDate: "2026-01-07", actorId: approver.id, now: NOW })).toEqual({ ok: false, error: "carryOverPending" });
    expect(await carryOverOverview(await offeringOf(bond.offeringId), NOW)).toMatchObject({ payable: null, pending: true, canPrepare: false, runs: [{ id: carryRun }] });
  });

  it("needs a second person, and a date that has not passed", async () => {
    expect(await approveCouponRun({ offeringId: bond.offeringId, runId: carryRun, actorId: preparer.id, now: NOW })).toEqual({ ok: false, error: "samePerson" });
    expect(await approveCouponRun({ offeringId: bond.offeringId, runId: carryRun, actorId: approver.id, now: new Date("2026-01-06T15:00:00Z") })).toEqual({ ok: false, error: "datePassed" });
    expect(await approveCouponRun({ offeringId: bond.offeringId, runId: carryRun, actorId: approver.id, now: NOW })).toEqual({ ok: true, inFile: 4, waiting: 0, burns: 0 });
    const copies = await paymentsOf(carryRun);
    const originals = await getDb()
      .select()
      .from(couponPayments)
      .where(
        inArray(
          couponPayments.id,
          copies.map((copy) => copy.carriedFromId!),
        ),
      );
    expect(originals.map((row) => row.status)).toEqual(["carried", "carried", "carried", "carried"]);
    const moves = (await ledgerOfRun(bond.offeringId, carryRun)).filter((entry) => entry.kind === "payout_carried_over");
    expect(moves.map((entry) => [entry.userId, entry.yen]).sort()).toEqual(
      [
        [late.userId, 18],
        [late.userId, 18],
        [late.userId, 18],
        [bounced.userId, 126],
      ].sort(),
    );
  });

  it("its transfer file holds exactly those four transfers, dated the chosen day", async () => {
    expect(
      await saveIssuerPayoutSettings(preparer.id, bond.villageId, {
        requesterCode: "0123456789",
        requesterNameKana: "ニシモリムラ",
        bankCode: "0001",
        branchCode: "110",
        accountType: "current",
        accountNumber: "0012345",
      }),
    ).toEqual({ ok: true });
    const file = await buildTransferFile(bond.offeringId, carryRun);
    if (!file.ok) throw new Error(file.error);
    expect(file.fileName).toBe(`zengin-${bond.slug}-2026-01-06.txt`);
    const parsed = parseZenginFile(file.bytes);
    expect(parsed.header.transferDate).toBe("0106");
    const copies = await paymentsOf(carryRun);
    const accounts = new Map(copies.map((copy) => [copy.userId, copy.bankAccountId]));
    expect(accounts.get(late.userId)).toEqual(expect.any(String));
    expect(parsed.records.map((record) => Number(record.amount)).sort((x, y) => x - y)).toEqual([18, 18, 10_018, 70_126]);
    expect(parsed.trailer).toMatchObject({ count: 4, totalYen: 80_180 });
  });

  it("marked paid books each payment once, and nothing is left owed", async () => {
    expect(await markPaid({ offeringId: bond.offeringId, runId: carryRun, actorId: preparer.id })).toEqual({ ok: true, marked: 4, closed: true });
    expect(await markPaid({ offeringId: bond.offeringId, runId: carryRun, actorId: approver.id })).toEqual({ ok: false, error: "notApproved" });
    const ledger = await ledgerOfRun(bond.offeringId, carryRun);
    const of = (kind: string) => ledger.filter((entry) => entry.kind === kind);
    expect(of("coupon_paid")).toHaveLength(4);
    expect(new Set(of("coupon_paid").map((entry) => entry.detail?.paymentId)).size).toBe(4);
    expect(of("coupon_paid").reduce((sum, entry) => sum + entry.yen, 0)).toBe(180);
    expect(
      of("principal_paid")
        .map((entry) => entry.yen)
        .sort((x, y) => x - y),
    ).toEqual([10_000, 70_000]);
    const carry = await runOf(carryRun);
    expect(of("tax_withheld").reduce((sum, entry) => sum + entry.yen, 0)).toBe(carry.nationalTaxYen + carry.localTaxYen);
    expect(await carryOverOverview(await offeringOf(bond.offeringId), NOW)).toMatchObject({
      payable: null,
      waiting: null,
      pending: false,
      canPrepare: false,
      runs: [{ id: carryRun, status: "paid" }],
    });
    expect(await prepareCarryOverRun({ offeringId: bond.offeringId, paymentDate: "2026-01-06", actorId: approver.id, now: NOW })).toEqual({ ok: false, error: "nothingOwed" });
  });
});

describe("a payment of amounts owed between two payment dates", () => {
  it("pays a failed transfer at once; the next scheduled run then has nothing to carry", async () => {
    const bond = await makeBond();
    const [a, b] = [await makeStaffOf(bond.villageId), await makeStaffOf(bond.villageId)];
    const holder = await makeHolder();
    const holdings = [{ userId: holder.userId, address: holder.address, units: 5 }];
    await freezeSnapshot(bond, 1, holdings);
    const first = await serviced(bond, 1, a, b, false);
    const [payment] = await paymentsOf(first);
    await markFailed({ offeringId: bond.offeringId, runId: first, paymentId: payment!.id, actorId: b.id, reason: "口座相違" });
    const prepared = await prepareCarryOverRun({ offeringId: bond.offeringId, paymentDate: "2026-01-06", actorId: a.id, now: NOW });
    expect(prepared).toMatchObject({ ok: true, holders: 1, carried: 1 });
    const runId = (prepared as { runId: string }).runId;
    expect(await runOf(runId)).toMatchObject({ paymentNumber: 4, netYen: payment!.netYen });
    expect(await approveCouponRun({ offeringId: bond.offeringId, runId, actorId: b.id, now: NOW })).toMatchObject({ ok: true, inFile: 1 });
    await freezeSnapshot(bond, 2, holdings);
    expect(await prepareCouponRun({ offeringId: bond.offeringId, paymentNumber: 2, actorId: a.id })).toMatchObject({ ok: true, holders: 1, carried: 0 });
  });
});

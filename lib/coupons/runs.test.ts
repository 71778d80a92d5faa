import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog, couponPayments, couponRuns, ledgerEntries, recordSnapshots, redemptionBurns } from "@/db/schema";
import { databaseError } from "@/test/db";
import { addAccount, freezeSnapshot, makeBond, makeHolder, makeStaffOf, randomAddress, type Bond, type Holder } from "@/test/coupon-world";
import type { SessionUser } from "@/lib/auth/roles";
import { approveCouponRun, cancelCouponRun } from "./approve";
import { markFailed, markPaid } from "./payments";
import { prepareCouponRun } from "./prepare";

const paymentsOf = (runId: string) => getDb().select().from(couponPayments).where(eq(couponPayments.runId, runId));
const runOf = async (runId: string) => (await getDb().select().from(couponRuns).where(eq(couponRuns.id, runId)))[0]!;
const ledgerOf = (offeringId: string) => getDb().select().from(ledgerEntries).where(eq(ledgerEntries.offeringId, offeringId));

/** Per holder and in total: gross = net + national + local, and the run's totals are the sum of its rows. */
async function expectReconciled(runId: string) {
  const run = await runOf(runId);
  const rows = await paymentsOf(runId);
  for (const row of rows) expect(row.netYen + row.nationalTaxYen + row.localTaxYen).toBe(row.grossYen);
  const sum = (pick: (row: (typeof rows)[number]) => number) => rows.reduce((total, row) => total + pick(row), 0);
  expect(run).toMatchObject({
    grossYen: sum((r) => r.grossYen),
    nationalTaxYen: sum((r) => r.nationalTaxYen),
    localTaxYen: sum((r) => r.localTaxYen),
    netYen: sum((r) => r.netYen),
    principalYen: sum((r) => r.principalYen),
  });
  expect(run.netYen + run.nationalTaxYen + run.localTaxYen).toBe(run.grossYen);
  return { run, rows };
}

let bond: Bond;
let preparer: SessionUser;
let approver: SessionUser;
let spread: Holder; // three addresses of one unit each: 3 units → ¥67 (per address it would be 3 × ¥22 = ¥66)
let seven: Holder;
let noAccount: Holder;
let outsider: Holder;
const unknownAddress = randomAddress();

beforeAll(async () => {
  bond = await makeBond();
  preparer = await makeStaffOf(bond.villageId);
  approver = await makeStaffOf(bond.villageId);
  [spread, seven, noAccount, outsider] = await Promise.all([makeHolder(), makeHolder({ kana: ["スズキ", "ジョー"] }), makeHolder({ account: false }), makeHolder()]);
});

const holdingsNow = () => [
  { userId: spread.userId, address: spread.address, units: 1 },
  { userId: spread.userId, address: randomAddress(), units: 1 },
  { userId: spread.userId, address: randomAddress(), units: 1 },
  { userId: seven.userId, address: seven.address, units: 7 },
  { userId: noAccount.userId, address: noAccount.address, units: 1 },
];

describe("a snapshot naming a wallet nobody in the portal owns", () => {
  it("is refused: that holder could never be paid, and a final run would burn their units", async () => {
    const other = await makeBond();
    const staff = await makeStaffOf(other.villageId);
    await freezeSnapshot(other, 1, [
      { userId: seven.userId, address: seven.address, units: 7 },
      { userId: null, address: unknownAddress, units: 2 },
    ]);
    expect(await prepareCouponRun({ offeringId: other.offeringId, paymentNumber: 1, actorId: staff.id })).toEqual({ ok: false, error: "holderUnknown" });
    expect(await getDb().select().from(couponRuns).where(eq(couponRuns.offeringId, other.offeringId))).toEqual([]);
  });
});

describe("a coupon run, from snapshot to paid", () => {
  let run1: string;

  it("is not prepared without a frozen snapshot, and says why", async () => {
    const input = { offeringId: bond.offeringId, paymentNumber: 1, actorId: preparer.id };
    expect(await prepareCouponRun({ ...input, now: new Date("2024-11-20T00:00:00Z") })).toEqual({ ok: false, error: "notDue" });
    expect(await prepareCouponRun(input)).toEqual({ ok: false, error: "snapshotMissing" });
    await getDb()
      .insert(recordSnapshots)
      .values({
        offeringId: bond.offeringId,
        paymentDate: bond.schedule[0]!.paymentDate,
        recordDate: bond.schedule[0]!.recordDate,
        cutoffAt: new Date(),
        status: "mismatch",
        mismatches: [{ address: seven.address, userId: seven.userId, chain: 6, ledger: 7 }],
      });
    expect(await prepareCouponRun(input)).toEqual({ ok: false, error: "snapshotMismatch" });
    expect(await prepareCouponRun({ ...input, paymentNumber: 9 })).toEqual({ ok: false, error: "noPayment" });
  });

  it("computes each holder's gross from their total units, the tax split and the net; totals reconcile; others get nothing", async () => {
    await freezeSnapshot(bond, 1, holdingsNow());
    const prepared = await prepareCouponRun({ offeringId: bond.offeringId, paymentNumber: 1, actorId: preparer.id });
    expect(prepared).toMatchObject({ ok: true, holders: 3, carried: 0 });
    run1 = (prepared as { runId: string }).runId;
    const { run, rows } = await expectReconciled(run1);
    expect(run).toMatchObject({ paymentNumber: 1, paymentDate: "2024-12-02", kind: "coupon", status: "prepared", holders: 3, grossYen: 67 + 157 + 22, principalYen: 0, carriedInYen: 0 });
    const byUser = new Map(rows.map((row) => [row.userId, row]));
    expect(byUser.get(spread.userId)).toMatchObject({ units: 3, grossYen: 67, nationalTaxYen: 10, localTaxYen: 3, netYen: 54, principalYen: 0, status: "in_file" });
    expect(byUser.get(seven.userId)).toMatchObject({ units: 7, grossYen: 157, nationalTaxYen: 24, localTaxYen: 7, netYen: 126 });
    expect(byUser.get(noAccount.userId)).toMatchObject({ units: 1, grossYen: 22, nationalTaxYen: 3, localTaxYen: 1, netYen: 18, status: "waiting_account" });
    expect(byUser.has(outsider.userId)).toBe(false);
    expect(rows).toHaveLength(3);
    const [audit] = await getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "coupon_run.prepared"), eq(auditLog.targetId, run1)));
    expect(audit).toMatchObject({ actorId: preparer.id, detail: { paymentNumber: 1, grossYen: 246 } });
    expect(await prepareCouponRun({ offeringId: bond.offeringId, paymentNumber: 1, actorId: approver.id })).toEqual({ ok: false, error: "alreadyPrepared" });
  });

  it("runs go in schedule order: the next payment waits for this one's approval", async () => {
    await freezeSnapshot(bond, 2, holdingsNow());
    expect(await prepareCouponRun({ offeringId: bond.offeringId, paymentNumber: 2, actorId: preparer.id })).toEqual({ ok: false, error: "previousNotApproved" });
  });

  it("needs a second person: the preparer is refused, and so is the database if asked directly", async () => {
    expect(await approveCouponRun({ offeringId: bond.offeringId, runId: run1, actorId: preparer.id })).toEqual({ ok: false, error: "samePerson" });
    const refused = await databaseError(getDb().update(couponRuns).set({ approvedBy: preparer.id, status: "approved" }).where(eq(couponRuns.id, run1)));
    expect(refused.constraint_name).toBe("coupon_runs_four_eyes");
    expect((await runOf(run1)).status).toBe("prepared");
    // The run is looked up within its offering: another offering's id finds nothing.
    const other = await makeBond();
    expect(await approveCouponRun({ offeringId: other.offeringId, runId: run1, actorId: approver.id })).toEqual({ ok: false, error: "notFound" });
  });

  it("approval fixes each payment's account; a holder without one waits", async () => {
    expect(await approveCouponRun({ offeringId: bond.offeringId, runId: run1, actorId: approver.id })).toEqual({ ok: true, inFile: 2, waiting: 1, burns: 0 });
    const rows = await paymentsOf(run1);
    for (const row of rows) {
      if (row.userId === noAccount.userId) expect(row).toMatchObject({ status: "waiting_account", bankAccountId: null });
      else expect(row).toMatchObject({ status: "in_file", bankAccountId: expect.any(String) });
    }
    expect(await runOf(run1)).toMatchObject({ status: "approved", approvedBy: approver.id });
    expect(await approveCouponRun({ offeringId: bond.offeringId, runId: run1, actorId: approver.id })).toEqual({ ok: false, error: "notPrepared" });
    expect(await cancelCouponRun({ offeringId: bond.offeringId, runId: run1, actorId: approver.id, reason: "late" })).toEqual({ ok: false, error: "notPrepared" });
  });

  it("a failed transfer stays owed; the run closes once nothing is left in its file", async () => {
    const rows = await paymentsOf(run1);
    const failing = rows.find((row) => row.userId === seven.userId)!;
    expect(await markFailed({ offeringId: bond.offeringId, runId: run1, paymentId: failing.id, actorId: preparer.id, reason: "口座なし" })).toEqual({ ok: true, marked: 1, closed: false });
    expect(await markPaid({ offeringId: bond.offeringId, runId: run1, paymentId: failing.id, actorId: preparer.id })).toEqual({ ok: false, error: "notInFile" });
    expect(await markPaid({ offeringId: bond.offeringId, runId: run1, actorId: preparer.id })).toEqual({ ok: true, marked: 1, closed: true });
    expect(await runOf(run1)).toMatchObject({ status: "paid", closedAt: expect.any(Date) });
    const ledger = await ledgerOf(bond.offeringId);
    // Only the holder who was paid is booked: net 54, taxes 10 and 3.
    expect(ledger.filter((entry) => entry.kind === "coupon_paid").map((entry) => [entry.userId, entry.yen])).toEqual([[spread.userId, 54]]);
    expect(
      ledger
        .filter((entry) => entry.kind === "tax_withheld")
        .map((entry) => [entry.detail?.tax, entry.yen])
        .sort(),
    ).toEqual([
      ["local", 3],
      ["national", 10],
    ]);
  });

  it("a cancelled run leaves nothing behind and the payment can be prepared again", async () => {
    const prepared = await prepareCouponRun({ offeringId: bond.offeringId, paymentNumber: 2, actorId: approver.id });
    expect(prepared.ok).toBe(true);
    const runId = (prepared as { runId: string }).runId;
    expect(await cancelCouponRun({ offeringId: bond.offeringId, runId, actorId: preparer.id, reason: "wrong date" })).toEqual({ ok: true });
    expect(await paymentsOf(runId)).toHaveLength(0);
    expect(await runOf(runId)).toMatchObject({ status: "cancelled", cancelledBy: preparer.id, cancelReason: "wrong date" });
  });

  it("the next run carries the failed transfer and, once an account exists, the waiting payment", async () => {
    await addAccount(noAccount.userId);
    const prepared = await prepareCouponRun({ offeringId: bond.offeringId, paymentNumber: 2, actorId: approver.id });
    expect(prepared).toMatchObject({ ok: true, holders: 3, carried: 2 });
    const runId = (prepared as { runId: string }).runId;
    const { run, rows } = await expectReconciled(runId);
    const originals = await paymentsOf(run1);
    const carried = rows.filter((row) => row.carriedFromId !== null);
    expect(carried.map((row) => [row.userId, row.netYen]).sort()).toEqual(
      [
        [seven.userId, 126],
        [noAccount.userId, 18],
      ].sort(),
    );
    expect(run.carriedInYen).toBe(144);
    // This period's own coupons plus the two carried ones.
    expect(run.grossYen).toBe(246 + 157 + 22);
    expect(rows).toHaveLength(5);

    expect(await approveCouponRun({ offeringId: bond.offeringId, runId, actorId: preparer.id })).toMatchObject({ ok: true, inFile: 5, waiting: 0 });
    const after = await paymentsOf(run1);
    for (const copy of carried) expect(after.find((row) => row.id === copy.carriedFromId)).toMatchObject({ status: "carried" });
    expect(after.find((row) => row.userId === spread.userId)!.status).toBe(originals.find((row) => row.userId === spread.userId)!.status);
    const moves = (await ledgerOf(bond.offeringId)).filter((entry) => entry.kind === "payout_carried_over");
    expect(moves.map((entry) => [entry.userId, entry.yen, entry.detail?.was]).sort()).toEqual(
      [
        [seven.userId, 126, "failed"],
        [noAccount.userId, 18, "waiting_account"],
      ].sort(),
    );
    // Carried once: the run after this one finds nothing left to carry.
    await markPaid({ offeringId: bond.offeringId, runId, actorId: approver.id });
    await freezeSnapshot(bond, 3, holdingsNow());
    const final = await prepareCouponRun({ offeringId: bond.offeringId, paymentNumber: 3, actorId: preparer.id });
    expect(final).toMatchObject({ ok: true, carried: 0 });
  });

  it("the final run pays the last coupon with the principal and queues every holding's burn on approval", async () => {
    const [final] = await getDb()
      .select()
      .from(couponRuns)
      .where(and(eq(couponRuns.offeringId, bond.offeringId), eq(couponRuns.paymentNumber, 3)));
    expect(final).toMatchObject({ kind: "final", paymentDate: "2025-12-01", principalYen: 11 * 10_000 });
    const { rows } = await expectReconciled(final!.id);
    expect(rows.find((row) => row.userId === seven.userId)).toMatchObject({ grossYen: 157, netYen: 126, principalYen: 70_000 });
    expect(await approveCouponRun({ offeringId: bond.offeringId, runId: final!.id, actorId: approver.id })).toMatchObject({ ok: true, burns: holdingsNow().length });
    const burns = await getDb().select().from(redemptionBurns).where(eq(redemptionBurns.runId, final!.id));
    // Every unit the snapshot holds is burned: 3 + 7 + 1, the same units the principal pays.
    expect(burns.reduce((sum, burn) => sum + burn.units, 0)).toBe(11);
  });
});

describe("marking paid", () => {
  it("books the ledger once when two people mark the whole run at the same time", async () => {
    const fresh = await makeBond();
    const [a, b] = [await makeStaffOf(fresh.villageId), await makeStaffOf(fresh.villageId)];
    const holders = await Promise.all(Array.from({ length: 6 }, () => makeHolder()));
    await freezeSnapshot(
      fresh,
      1,
      holders.map((holder, index) => ({ userId: holder.userId, address: holder.address, units: index + 1 })),
    );
    const prepared = (await prepareCouponRun({ offeringId: fresh.offeringId, paymentNumber: 1, actorId: a.id })) as { runId: string };
    await approveCouponRun({ offeringId: fresh.offeringId, runId: prepared.runId, actorId: b.id });
    const one = (await paymentsOf(prepared.runId))[0]!;
    const single = await Promise.all([
      markPaid({ offeringId: fresh.offeringId, runId: prepared.runId, paymentId: one.id, actorId: a.id }),
      markPaid({ offeringId: fresh.offeringId, runId: prepared.runId, paymentId: one.id, actorId: b.id }),
    ]);
    expect(single.filter((result) => result.ok)).toHaveLength(1);
    expect(single.filter((result) => !result.ok)).toEqual([{ ok: false, error: "notInFile" }]);
    const all = await Promise.all([markPaid({ offeringId: fresh.offeringId, runId: prepared.runId, actorId: a.id }), markPaid({ offeringId: fresh.offeringId, runId: prepared.runId, actorId: b.id })]);
    // The second finds the run already closed by the first: nothing is marked twice.
    expect(all.filter((result) => result.ok)).toEqual([{ ok: true, marked: 5, closed: true }]);
    expect(all.filter((result) => !result.ok)).toEqual([{ ok: false, error: "notApproved" }]);
    const ledger = await ledgerOf(fresh.offeringId);
    const paid = ledger.filter((entry) => entry.kind === "coupon_paid");
    expect(paid).toHaveLength(6);
    expect(new Set(paid.map((entry) => entry.detail?.paymentId)).size).toBe(6);
    const run = await runOf(prepared.runId);
    expect(paid.reduce((sum, entry) => sum + entry.yen, 0)).toBe(run.netYen);
    const taxes = ledger.filter((entry) => entry.kind === "tax_withheld").reduce((sum, entry) => sum + entry.yen, 0);
    expect(taxes).toBe(run.nationalTaxYen + run.localTaxYen);
    // 1 unit is ¥22 gross: ¥3 national, ¥1 local; no zero-yen tax entries anywhere.
    expect(ledger.every((entry) => entry.kind !== "tax_withheld" || entry.yen > 0)).toBe(true);
    expect(run.status).toBe("paid");
    const closed = await getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "coupon_run.closed"), eq(auditLog.targetId, prepared.runId)));
    expect(closed).toHaveLength(1);
  });
});

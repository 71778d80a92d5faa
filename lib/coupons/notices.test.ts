import { and, eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { couponPayments, devMailbox, notifications, type NoticeKind } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/roles";
import { env } from "@/lib/env";
import { JOBS } from "@/lib/jobs/names";
import { deliverPendingEmails } from "@/lib/notifications/delivery";
import { noticePath } from "@/lib/notifications/mail";
import { addAccount, freezeSnapshot, makeBond, makeHolder, makeStaffOf, type Bond, type Holder } from "@/test/coupon-world";
import { approveCouponRun } from "./approve";
import { markFailed, markPaid } from "./payments";
import { prepareCouponRun } from "./prepare";

const COUPON_KINDS: NoticeKind[] = ["coupon_scheduled", "coupon_waiting_account", "coupon_paid", "coupon_failed"];
const couponNotices = (userId: string) =>
  getDb()
    .select()
    .from(notifications)
    .where(and(eq(notifications.userId, userId), inArray(notifications.kind, COUPON_KINDS)));
const mailJobs = async (notificationId: string) =>
  Number((await getDb().execute<{ n: string }>(sql`select count(*) as n from pgboss.job where name = ${JOBS.noticeMail} and data->>'notificationId' = ${notificationId}`))[0]!.n);

let bond: Bond;
let other: Bond;
let preparer: SessionUser;
let approver: SessionUser;
let three: Holder; // 3 units: gross ¥67, national ¥10, local ¥3, net ¥54
let seven: Holder; // 7 units: net ¥126
let waiting: Holder; // 1 unit, no account: net ¥18
let elsewhere: Holder; // holds only the other bond
let run1: string;

const holdings = () => [
  { userId: three.userId, address: three.address, units: 3 },
  { userId: seven.userId, address: seven.address, units: 7 },
  { userId: waiting.userId, address: waiting.address, units: 1 },
];

async function prepared(of: Bond, paymentNumber: number, actor: SessionUser): Promise<string> {
  const result = await prepareCouponRun({ offeringId: of.offeringId, paymentNumber, actorId: actor.id });
  expect(result.ok).toBe(true);
  return (result as { runId: string }).runId;
}

beforeAll(async () => {
  [bond, other] = await Promise.all([makeBond(), makeBond()]);
  preparer = await makeStaffOf(bond.villageId);
  approver = await makeStaffOf(bond.villageId);
  [three, seven, waiting, elsewhere] = await Promise.all([makeHolder(), makeHolder(), makeHolder({ account: false }), makeHolder()]);
  await freezeSnapshot(bond, 1, holdings());
  await freezeSnapshot(other, 1, [{ userId: elsewhere.userId, address: elsewhere.address, units: 5 }]);
  run1 = await prepared(bond, 1, preparer);
  // The other bond's run is prepared by someone of its own issuer and never approved here.
  await prepared(other, 1, await makeStaffOf(other.villageId));
});

describe("coupon notices", () => {
  it("are not given while a run is only prepared", async () => {
    for (const holder of [three, seven, waiting, elsewhere]) expect(await couponNotices(holder.userId)).toEqual([]);
  });

  it("on approval: each holder in the file is told the amount, date and masked account; the one without an account is asked to register one", async () => {
    expect(await approveCouponRun({ offeringId: bond.offeringId, runId: run1, actorId: approver.id })).toMatchObject({ ok: true, inFile: 2, waiting: 1 });
    const [scheduled, ...more] = await couponNotices(three.userId);
    expect(more).toEqual([]);
    expect(scheduled).toMatchObject({
      kind: "coupon_scheduled",
      orderId: null,
      emailStatus: "pending",
      detail: { runId: run1, amountYen: 54, nationalTaxYen: 10, localTaxYen: 3, paymentDate: "2024-12-02", bankAccount: expect.stringMatching(/ \*{4}\d{3}$/) },
    });
    expect(scheduled!.detail).not.toHaveProperty("principalYen");
    expect(noticePath({ ...scheduled!, slug: null })).toBe("/account/income");
    expect(await mailJobs(scheduled!.id)).toBe(1);
    expect(await couponNotices(seven.userId)).toEqual([expect.objectContaining({ kind: "coupon_scheduled", detail: expect.objectContaining({ amountYen: 126 }) })]);

    const [kept, ...extra] = await couponNotices(waiting.userId);
    expect(extra).toEqual([]);
    expect(kept).toMatchObject({ kind: "coupon_waiting_account", detail: { runId: run1, amountYen: 18 } });
    expect(kept!.detail).not.toHaveProperty("bankAccount");
    expect(noticePath({ ...kept!, slug: null })).toBe("/account/payout");
    expect(await mailJobs(kept!.id)).toBe(1);

    expect(await couponNotices(elsewhere.userId)).toEqual([]);
  });

  it("a failed transfer tells its holder only, linking to the payout account", async () => {
    const [payment] = await getDb()
      .select()
      .from(couponPayments)
      .where(and(eq(couponPayments.runId, run1), eq(couponPayments.userId, seven.userId)));
    expect(await markFailed({ offeringId: bond.offeringId, runId: run1, paymentId: payment!.id, actorId: preparer.id, reason: "口座なし" })).toMatchObject({ ok: true });
    const failed = (await couponNotices(seven.userId)).filter((notice) => notice.kind === "coupon_failed");
    expect(failed).toEqual([expect.objectContaining({ detail: expect.objectContaining({ amountYen: 126, runId: run1 }) })]);
    expect(noticePath({ ...failed[0]!, slug: null })).toBe("/account/payout");
    expect(await couponNotices(three.userId)).toHaveLength(1);
  });

  it("marking paid tells each paid holder the net and the tax withheld, once, and mails it", async () => {
    expect(await markPaid({ offeringId: bond.offeringId, runId: run1, actorId: preparer.id })).toMatchObject({ ok: true, marked: 1, closed: true });
    const paid = (await couponNotices(three.userId)).filter((notice) => notice.kind === "coupon_paid");
    expect(paid).toEqual([expect.objectContaining({ detail: expect.objectContaining({ amountYen: 54, nationalTaxYen: 10, localTaxYen: 3 }) })]);
    expect((await couponNotices(seven.userId)).map((notice) => notice.kind).sort()).toEqual(["coupon_failed", "coupon_scheduled"]);
    expect(await couponNotices(waiting.userId)).toHaveLength(1);
    expect(await couponNotices(elsewhere.userId)).toEqual([]);
    // A second mark finds nothing left in the file: no second notice.
    expect(await markPaid({ offeringId: bond.offeringId, runId: run1, actorId: preparer.id })).toEqual({ ok: false, error: "notApproved" });
    expect((await couponNotices(three.userId)).filter((notice) => notice.kind === "coupon_paid")).toHaveLength(1);

    await deliverPendingEmails({ notificationId: paid[0]!.id });
    const mails = await getDb().select().from(devMailbox).where(eq(devMailbox.to, three.email));
    const mail = mails.find((each) => each.text.includes("¥54"));
    expect(mail?.text).toContain("¥10");
    expect(mail?.text).toContain("¥3");
    expect(mail?.text).toContain(`${env().authUrl.replace(/\/$/, "")}/account/income`);
  });

  it("a holder paid their own coupon and a carried one in the same run gets one notice with the sum", async () => {
    await addAccount(waiting.userId);
    await freezeSnapshot(bond, 2, holdings());
    const run2 = await prepared(bond, 2, approver);
    expect(await approveCouponRun({ offeringId: bond.offeringId, runId: run2, actorId: preparer.id })).toMatchObject({ ok: true, inFile: 5, waiting: 0 });
    const ofRun2 = async (holder: Holder) => (await couponNotices(holder.userId)).filter((notice) => notice.detail.runId === run2);
    expect(await ofRun2(seven)).toEqual([expect.objectContaining({ kind: "coupon_scheduled", detail: expect.objectContaining({ amountYen: 126 + 126 }) })]);
    expect(await ofRun2(waiting)).toEqual([expect.objectContaining({ kind: "coupon_scheduled", detail: expect.objectContaining({ amountYen: 18 + 18 }) })]);
    expect(await ofRun2(three)).toEqual([expect.objectContaining({ kind: "coupon_scheduled", detail: expect.objectContaining({ amountYen: 54 }) })]);
    expect(await couponNotices(elsewhere.userId)).toEqual([]);
    // Nobody outside the bond was told anything about it.
    const stray = await getDb()
      .select()
      .from(notifications)
      .where(and(inArray(notifications.kind, COUPON_KINDS), sql`${notifications.detail}->>'runId' = ${run2}`));
    expect(new Set(stray.map((notice) => notice.userId))).toEqual(new Set([three.userId, seven.userId, waiting.userId]));
  });
});

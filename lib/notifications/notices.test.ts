import { and, count, eq, sql } from "drizzle-orm";
import { PgBoss } from "pg-boss";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { makeUser } from "@/test/fixtures";
import { getDb } from "@/db/client";
import { DEMO_OFFERING_SLUG, seedIfEmpty } from "@/db/seed";
import { allocations, chainTransactions, devMailbox, identityDocuments, notifications, offerings, orders, users, type NoticeKind, type Offering, type Order } from "@/db/schema";
import type { ChainContext } from "@/lib/chain/context";
import { recordConfirmedAllocation } from "@/lib/chain/allocation-records";
import { env } from "@/lib/env";
import { JOBS } from "@/lib/jobs/names";
import { decideReview } from "@/lib/onboarding/review";
import { expireStaleReservations } from "@/lib/orders/expiry";
import { markPaidInTx } from "@/lib/orders/settle";
import { applyPaymentEvent } from "@/lib/orders/webhook";
import type { PaymentEvent, PaymentProvider } from "@/lib/payments/provider";
import { MAX_EMAIL_ATTEMPTS } from "./delivery";
import { listNotifications, setEmailUpdates, unreadCount } from "./index";
import { registerNotificationJobs, runNoticeMailJob } from "./jobs";
import { notify } from "./notices";

/** Addresses whose next sends fail, with how many failures are left; everything else goes to the dev mailbox. */
const failing = vi.hoisted(() => new Map<string, number>());
vi.mock("@/lib/mail", async (importOriginal) => (await import("@/test/failing-mail")).withFailingSends(await importOriginal(), failing));

const db = () => getDb();
// Checkout events never reach the processor; a refund's order is found by its payment.
const noProvider = {} as PaymentProvider;
let offering: Offering;
let counter = 0;

type JobRow = { id: string; state: string; retry_limit: number; retry_backoff: boolean };
const noticeJobs = async (notificationId: string) =>
  db().execute<JobRow>(sql`select id, state, retry_limit, retry_backoff from pgboss.job where name = ${JOBS.noticeMail} and data->>'notificationId' = ${notificationId}`);
const allNoticeJobs = async () => Number((await db().execute<{ n: string }>(sql`select count(*) as n from pgboss.job where name = ${JOBS.noticeMail}`))[0]!.n);
const noticesOf = (userId: string, kind?: NoticeKind) =>
  db()
    .select()
    .from(notifications)
    .where(and(eq(notifications.userId, userId), kind ? eq(notifications.kind, kind) : undefined));
const mailsTo = (to: string) => db().select().from(devMailbox).where(eq(devMailbox.to, to));

/** An order waiting for its payment, holding its units as a reservation would. */
async function openOrder(userId: string, status: Order["status"] = "awaiting_payment"): Promise<Order> {
  counter += 1;
  const [order] = await db()
    .insert(orders)
    .values({ userId, offeringId: offering.id, units: 2, amountYen: 2 * offering.priceYen, status, reservationExpiresAt: new Date(Date.now() + 60_000) })
    .returning();
  if (status === "awaiting_payment") {
    await db()
      .update(offerings)
      .set({ reservedUnits: sql`${offerings.reservedUnits} + 2` })
      .where(eq(offerings.id, offering.id));
  }
  return order!;
}

function paid(order: Order, eventId = `evt_paid_${order.id}`): PaymentEvent {
  return { kind: "checkout_paid", eventId, orderId: order.id, sessionId: `cs_${order.id}`, amountYen: order.amountYen, currency: "jpy", paymentIntentId: `pi_${order.id}` };
}

async function inReview(userId: string): Promise<string> {
  const [document] = await db()
    .insert(identityDocuments)
    .values({ userId, storageKey: `identity/${counter++}.png`, contentType: "image/png", sizeBytes: 10 })
    .returning();
  return document!.id;
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  await seedIfEmpty(db());
  [offering] = (await db().select().from(offerings).where(eq(offerings.slug, DEMO_OFFERING_SLUG))) as [Offering];
});
beforeEach(() => failing.clear());

describe("notices enqueued in the transaction that caused them", () => {
  it("payment received: one notice and its mail job with the payment; a redelivered or second event adds none", async () => {
    const investor = await makeUser();
    const order = await openOrder(investor.id);
    expect(await applyPaymentEvent(paid(order), noProvider)).toBe("applied");
    const [notice, ...more] = await noticesOf(investor.id);
    expect(more).toHaveLength(0);
    expect(notice).toMatchObject({ kind: "payment_received", orderId: order.id, emailStatus: "pending", detail: { units: 2, amountYen: order.amountYen, offeringNameJa: offering.nameJa } });
    expect(await noticeJobs(notice!.id)).toEqual([expect.objectContaining({ state: "created", retry_limit: MAX_EMAIL_ATTEMPTS, retry_backoff: true })]);

    expect(await applyPaymentEvent(paid(order), noProvider)).toBe("duplicate");
    expect(await applyPaymentEvent(paid(order, `evt_again_${order.id}`), noProvider)).toBe("ignored");
    expect(await noticesOf(investor.id)).toHaveLength(1);
    expect(await noticeJobs(notice!.id)).toHaveLength(1);
  });

  it("a rolled-back transaction leaves no notice and no job", async () => {
    const investor = await makeUser();
    const order = await openOrder(investor.id);
    const jobsBefore = await allNoticeJobs();
    await expect(
      db().transaction(async (tx) => {
        expect(await markPaidInTx(tx, order.id, { paymentIntentId: "pi_x", eventId: "evt_x" })).toBe("paid");
        throw new Error("crash before commit");
      }),
    ).rejects.toThrow("crash before commit");
    expect(await noticesOf(investor.id)).toHaveLength(0);
    expect(await allNoticeJobs()).toBe(jobsBefore);
    expect((await db().select().from(orders).where(eq(orders.id, order.id)))[0]!.status).toBe("awaiting_payment");
  });

  it("order expired (by the checkout's event or the expiry job) and order refunded, once each", async () => {
    const investor = await makeUser();
    const byEvent = await openOrder(investor.id);
    const expired: PaymentEvent = { kind: "checkout_expired", eventId: `evt_exp_${byEvent.id}`, orderId: byEvent.id, sessionId: `cs_${byEvent.id}` };
    expect(await applyPaymentEvent(expired, noProvider)).toBe("applied");
    expect(await applyPaymentEvent({ ...expired, eventId: `${expired.eventId}_2` }, noProvider)).toBe("ignored");

    const byJob = await openOrder(investor.id);
    // No Checkout Session: the job releases it without asking the processor.
    expect(await expireStaleReservations(new Date(Date.now() + 120_000), noProvider)).toBeGreaterThanOrEqual(1);
    expect((await noticesOf(investor.id, "order_expired")).map((row) => row.orderId).sort()).toEqual([byEvent.id, byJob.id].sort());

    const refunded = await openOrder(investor.id);
    await applyPaymentEvent(paid(refunded), noProvider);
    const refund: PaymentEvent = {
      kind: "refunded",
      eventId: `evt_ref_${refunded.id}`,
      paymentIntentId: `pi_${refunded.id}`,
      chargeId: `ch_${refunded.id}`,
      amountRefundedYen: refunded.amountYen,
      amountYen: refunded.amountYen,
      orderId: refunded.id,
    };
    expect(await applyPaymentEvent(refund, noProvider)).toBe("applied");
    expect(await applyPaymentEvent({ ...refund, eventId: `${refund.eventId}_2` }, noProvider)).toBe("ignored");
    const notices = await noticesOf(investor.id, "order_refunded");
    expect(notices).toEqual([expect.objectContaining({ orderId: refunded.id, detail: expect.objectContaining({ amountYen: refunded.amountYen }) })]);
    expect(await noticeJobs(notices[0]!.id)).toHaveLength(1);
  });

  it("tokens on chain: the notice and its mail carry the transaction and its explorer link", async () => {
    const investor = await makeUser();
    const order = await openOrder(investor.id, "allocating");
    const txHash = `0x${"ab".repeat(32)}`;
    const [txRow] = await db()
      .insert(chainTransactions)
      .values({ signer: "0x0000000000000000000000000000000000000001", chainId: 31337, kind: "allocate", txHash, status: "confirmed", blockNumber: 7 })
      .returning();
    await db().insert(allocations).values({ orderId: order.id, units: 2, toAddress: "0x0000000000000000000000000000000000000002", chainTransactionId: txRow!.id });
    expect(await recordConfirmedAllocation({ db: db() } as unknown as ChainContext, txRow!)).toBe(1);
    expect(await recordConfirmedAllocation({ db: db() } as unknown as ChainContext, txRow!)).toBe(0);
    const [notice, ...more] = await noticesOf(investor.id);
    expect(more).toHaveLength(0);
    expect(notice).toMatchObject({ kind: "tokens_allocated", orderId: order.id, detail: { txHash, explorerUrl: `/explorer/tx/${txHash}` } });

    await runNoticeMailJob({ notificationId: notice!.id });
    const [mail] = await mailsTo(investor.email);
    const base = env().authUrl.replace(/\/$/, "");
    expect(mail!.subject).toContain(offering.nameJa);
    expect(mail!.text).toContain(`${base}/explorer/tx/${txHash}`);
    expect(mail!.text).toContain(`${base}/orders/${order.id}`);
  });

  it("identity rejected: the notice, the page and the mail (in the investor's language) carry the reason; approved is told too", async () => {
    const staff = await makeUser("staff");
    const investor = await makeUser();
    await db().update(users).set({ locale: "en" }).where(eq(users.id, investor.id));
    const reason = "The photo of the card is blurred";
    expect(await decideReview({ reviewerId: staff.id, documentId: await inReview(investor.id), decision: "reject", reason })).toEqual({ ok: true });
    const [rejected] = await noticesOf(investor.id, "identity_rejected");
    expect(rejected).toMatchObject({ orderId: null, emailStatus: "pending", detail: { reason } });
    expect(await listNotifications(investor.id)).toEqual([expect.objectContaining({ kind: "identity_rejected", detail: { reason }, readAt: null })]);
    expect(await unreadCount(investor.id)).toBe(1);

    await runNoticeMailJob({ notificationId: rejected!.id });
    const [mail] = await mailsTo(investor.email);
    expect(mail!.subject).toBe("[Identity check] Please submit your document again");
    expect(mail!.text).toContain(`Reason: ${reason}`);
    expect(mail!.text).toContain(`${env().authUrl.replace(/\/$/, "")}/onboarding/identity`);

    await decideReview({ reviewerId: staff.id, documentId: await inReview(investor.id), decision: "approve", masterKeys: env().custodyMasterKeys });
    expect(await noticesOf(investor.id, "identity_approved")).toHaveLength(1);
  });

  it("turning update mail off leaves notices about money mailed", async () => {
    const investor = await makeUser();
    await applyPaymentEvent(paid(await openOrder(investor.id)), noProvider);
    await setEmailUpdates(investor.id, false);
    expect(await noticesOf(investor.id)).toEqual([expect.objectContaining({ kind: "payment_received", emailStatus: "pending" })]);
  });
  it("pay-later notices name the offering, the amount and the deadline in the mail's subject and body", async () => {
    const investor = await makeUser();
    const id = await notify(db(), {
      userId: investor.id,
      kind: "payment_instructions",
      detail: {
        orderId: "00000000-0000-4000-8000-000000000001",
        offeringNameJa: offering.nameJa,
        offeringNameEn: offering.nameEn,
        amountYen: 3000,
        endsAt: "2026-12-04T14:59:59.000Z",
        paymentMethod: "konbini",
      },
    });
    await runNoticeMailJob({ notificationId: id! });
    const [mail] = await mailsTo(investor.email);
    expect(mail!.subject).toBe(`【お支払い方法】${offering.nameJa}のご注文`);
    expect(mail!.text).toContain("¥3,000");
    expect(mail!.text).toContain("コンビニで");
  });
});

describe("notice mail as a pg-boss job", () => {
  let boss: PgBoss | undefined;
  afterAll(async () => boss?.stop({ graceful: false }));

  it("after an SMTP failure the row stays pending, the retry sends it once, and nothing sends it again", async () => {
    const investor = await makeUser();
    const order = await openOrder(investor.id);
    failing.set(investor.email, 1);
    await applyPaymentEvent(paid(order), noProvider);
    const [notice] = await noticesOf(investor.id);

    // The scheduler stays off so the sweep does not run in between.
    boss = new PgBoss({ connectionString: env().databaseUrl, schema: "pgboss", schedule: false });
    await boss.start();
    await registerNotificationJobs(boss);
    const failed = await waitFor(
      async () => (await noticeJobs(notice!.id))[0]!,
      (job) => job.state === "retry",
    );
    expect(failed.state).toBe("retry");
    expect((await noticesOf(investor.id))[0]).toMatchObject({ emailStatus: "pending", emailAttempts: 1 });
    expect(await mailsTo(investor.email)).toHaveLength(0);

    // The backoff's pause, skipped.
    await db().execute(sql`update pgboss.job set start_after = now() where id = ${failed.id}`);
    const retried = await waitFor(
      async () => (await noticeJobs(notice!.id))[0]!,
      (job) => job.state === "completed",
    );
    expect(retried.state).toBe("completed");
    expect((await noticesOf(investor.id))[0]).toMatchObject({ emailStatus: "sent", emailAttempts: 2 });
    const mails = await mailsTo(investor.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe(`【お支払い確認】${offering.nameJa}（注文番号 ${order.seq}）`);
    await boss.stop({ graceful: false });
    boss = undefined;

    await runNoticeMailJob({ notificationId: notice!.id });
    await runNoticeMailJob({ sweep: true });
    expect(await mailsTo(investor.email)).toHaveLength(1);
  });

  it("the sweep mails a notice whose job was lost, once", async () => {
    const investor = await makeUser();
    await applyPaymentEvent(paid(await openOrder(investor.id)), noProvider);
    const [notice] = await noticesOf(investor.id);
    await db().execute(sql`delete from pgboss.job where name = ${JOBS.noticeMail} and data->>'notificationId' = ${notice!.id}`);
    await runNoticeMailJob({ sweep: true });
    await runNoticeMailJob({ sweep: true });
    expect(await mailsTo(investor.email)).toHaveLength(1);
    expect(
      (
        await db()
          .select({ n: count() })
          .from(notifications)
          .where(and(eq(notifications.id, notice!.id), eq(notifications.emailStatus, "sent")))
      )[0]!.n,
    ).toBe(1);
  });
});

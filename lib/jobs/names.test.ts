import type { PgBoss } from "pg-boss";
import { describe, expect, expectTypeOf, it } from "vitest";
import { ALL_JOBS, JOBS, type JobData } from "./names";

// Declared, not imported: payloadChecks is for the type checker (`npx tsc --noEmit`), never run.
declare const enqueue: typeof import("./enqueue").enqueue;
declare const work: typeof import("./work").work;
declare const schedule: typeof import("./work").schedule;
declare const boss: PgBoss;
declare const tx: Parameters<typeof enqueue>[0];

function _payloadChecks() {
  void enqueue(tx, JOBS.allocate, { orderId: "o" });
  void enqueue(tx, JOBS.refundPayment, { exceptionId: "e" });
  void enqueue(tx, JOBS.notificationMail, { updateId: "u" });
  // @ts-expect-error a user id is not an order id
  void enqueue(tx, JOBS.allocate, { userId: "u" });
  // @ts-expect-error the order id is a string
  void enqueue(tx, JOBS.clawback, { orderId: 1 });
  // @ts-expect-error one job, or the sweep, not both
  void enqueue(tx, JOBS.allocate, { orderId: "o", sweep: true });
  // @ts-expect-error allowlisting needs the user
  void enqueue(tx, JOBS.allowlist, {});
  // @ts-expect-error nothing to carry
  void enqueue(tx, JOBS.reconcile, { orderId: "o" });
  void enqueue(tx, JOBS.deployToken, { offeringId: "f" });
  void enqueue(tx, JOBS.settleOffering, { offeringId: "f", requestedBy: null });
  // @ts-expect-error the settlement report says who asked for it (null for the closing job)
  void enqueue(tx, JOBS.settleOffering, { offeringId: "f" });
  // @ts-expect-error the closing job is scheduled with nothing to carry
  void schedule(boss, JOBS.closeDueOfferings, "* * * * *", { offeringId: "f" });
  // @ts-expect-error a sweep is scheduled with its data
  void schedule(boss, JOBS.allocate, "* * * * *");
  // @ts-expect-error no data on a job that carries nothing
  void schedule(boss, JOBS.heartbeat, "* * * * *", { sweep: true });

  void work(boss, JOBS.allowlist, async (jobs) => {
    expectTypeOf(jobs[0]!.data).toEqualTypeOf<{ userId: string }>();
  });
  void work(boss, JOBS.notificationMail, { batchSize: 5 }, async (jobs) => {
    const data = jobs[0]!.data;
    if (!data.sweep) expectTypeOf(data.updateId).toEqualTypeOf<string>();
  });
}

describe("job names", () => {
  it("are unique, and each has a payload type", () => {
    expect(new Set(ALL_JOBS).size).toBe(ALL_JOBS.length);
    expectTypeOf<JobData<typeof JOBS.unfreeze>>().toEqualTypeOf<{ orderId: string }>();
  });
});

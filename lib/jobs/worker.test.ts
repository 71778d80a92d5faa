import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { env } from "@/lib/env";
import { checkHealth } from "@/lib/health/check";
import { sendMail, listDevMailbox } from "@/lib/mail";
import { startWorker, stopWorker } from "./worker";

describe("worker and health", () => {
  let stop: (() => Promise<void>) | undefined;
  afterAll(async () => stop?.());

  it("reports degraded until the worker beats, then ok", async () => {
    const before = await checkHealth();
    expect(before.checks.database.up).toBe(true);
    expect(before.checks.worker.up).toBe(false);
    expect(before.status).toBe("degraded");

    const boss = await startWorker(env().databaseUrl, getDb());
    stop = () => boss.stop({ graceful: false });
    const after = await checkHealth();
    expect(after.status).toBe("ok");
    expect(after.checks.worker.up).toBe(true);
    expect((await boss.getSchedules()).map((s) => s.name)).toContain("system.heartbeat");
  });

  it("calls a worker whose last beat is old stale", async () => {
    const later = new Date(Date.now() + 10 * 60 * 1000);
    expect((await checkHealth(later)).checks.worker.up).toBe(false);
  });
});

describe("mail without EMAIL_SERVER in demo mode", () => {
  it("lands in the dev mailbox", async () => {
    await sendMail({ to: "hanako@example.jp", subject: "ログイン", text: "link", link: "http://127.0.0.1/x" });
    const [mail] = await listDevMailbox();
    expect(mail).toMatchObject({ to: "hanako@example.jp", subject: "ログイン", link: "http://127.0.0.1/x" });
  });
});

describe("enqueue inside a transaction", () => {
  it("creates the job only when the transaction commits", async () => {
    const { enqueue } = await import("./enqueue");
    const { JOBS: names } = await import("./names");
    const db = getDb();
    const count = async () => Number((await db.execute<{ n: string }>(sql`select count(*) as n from pgboss.job where name = ${names.allocate}`))[0]!.n);
    const before = await count();
    await db
      .transaction(async (tx) => {
        expect(await enqueue(tx, names.allocate, { orderId: "rolled-back" })).toBeTruthy();
        throw new Error("roll back");
      })
      .catch(() => undefined);
    expect(await count()).toBe(before);
    await db.transaction(async (tx) => {
      await enqueue(tx, names.allocate, { orderId: "kept" });
    });
    expect(await count()).toBe(before + 1);
  });
});

describe("the worker when PostgreSQL closes its connections", () => {
  const closePgBossConnections = () =>
    getDb().execute(sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and application_name like 'pgboss%' and pid <> pg_backend_pid()`);
  const workerLines = (spy: { mock: { calls: unknown[][] } }) => spy.mock.calls.filter((call) => call[0] === "[worker]");

  it("says so in one line while working, and nothing once it is stopping (Ctrl-C stops PostgreSQL too)", async () => {
    const boss = await startWorker(env().databaseUrl, getDb());
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      await closePgBossConnections();
      await expect.poll(() => workerLines(errors).length, { timeout: 10_000 }).toBeGreaterThan(0);
      for (const call of workerLines(errors)) expect(call).toEqual(["[worker]", expect.stringContaining("terminat")]);

      errors.mockClear();
      const stopped = stopWorker(boss);
      await closePgBossConnections();
      await stopped;
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(workerLines(errors)).toEqual([]);
    } finally {
      errors.mockRestore();
      await boss.stop({ graceful: false }).catch(() => undefined);
    }
  });
});

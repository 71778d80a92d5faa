import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { env } from "@/lib/env";
import { checkHealth } from "@/lib/health/check";
import { sendMail, listDevMailbox } from "@/lib/mail";
import { startWorker } from "./worker";

describe("worker and health", () => {
  let stop: (() => Promise<void>) | undefined;
  afterAll(async () => stop?.());

  it("reports degraded until the worker beats, then ok", async () => {
    const before = await checkHealth();
    expect(before.checks.database.up).toBe(true);
    expect(before.checks.worker.up).toBe(false);
    expect(before.status).toBe("degraded");

    const boss = await startWorker(env().databaseUrl, getDb());
    stop = () => boss.stop({ graceful: false, wait: true });
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

import { closeDb, getDb } from "@/db/client";
import { env } from "@/lib/env";
import { startWorker } from "@/lib/jobs/worker";

const boss = await startWorker(env().databaseUrl, getDb());
console.log("worker started: pg-boss queues registered");

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    await boss.stop({ graceful: true, timeout: 8_000 });
    await closeDb();
    process.exit(0);
  });
}

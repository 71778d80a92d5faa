import { closeDb, getDb } from "@/db/client";
import { env } from "@/lib/env";
import { startWorker, stopWorker } from "@/lib/jobs/worker";

const boss = await startWorker(env().databaseUrl, getDb());
console.log("worker started: pg-boss queues registered");

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    await stopWorker(boss);
    await closeDb();
    process.exit(0);
  });
}

import { closeDb, getDb } from "@/db/client";
import { env } from "@/lib/env";
import { startWorker, stopWorker } from "@/lib/jobs/worker";

const boss = await startWorker(env().databaseUrl, getDb());
console.log("worker started: pg-boss queues registered");

/** PostgreSQL closing the connection: its own shutdown (57P01), or the socket gone with it. */
const isConnectionClosed = (error: unknown) => typeof error === "object" && error !== null && ["57P01", "57P02", "57P03", "ECONNRESET", "EPIPE"].includes(String((error as { code?: unknown }).code));

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    // Ctrl-C reaches PostgreSQL too: a connection it closes while pg-boss ends its listener can surface
    // with no listener left, as an uncaught error. The worker is stopping anyway; anything else still ends it.
    process.on("uncaughtException", (error) => {
      if (isConnectionClosed(error)) return;
      console.error(error);
      process.exit(1);
    });
    await stopWorker(boss);
    await closeDb();
    process.exit(0);
  });
}

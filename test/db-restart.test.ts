import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, expect, it } from "vitest";
import { createDb } from "@/db/client";
import { makeTempDir, startEmbeddedPostgres } from "@/scripts/lib/embedded-pg";
import { freePort } from "@/scripts/lib/ports";

// PostgreSQL restarted under load (issue 17's db-restart drill): the pool must neither throw from a
// timer (postgres.js wrote to a closed socket; scripts/patch-postgres.mjs mends it) nor stop
// answering. Vitest fails the file on the uncaught error by itself.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const dir = makeTempDir("village-db-restart-");
const options = { dir: path.join(dir, "pg"), port: await freePort(), password: randomBytes(12).toString("hex") };
let cluster = await startEmbeddedPostgres(options);
const { db, client } = createDb(cluster.urlFor("postgres"), { max: 10 });

afterAll(async () => {
  await client.end({ timeout: 1 });
  await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
});

it("after two restarts under transactions, reserved connections and plain queries, the process lives on and the pool answers", async () => {
  let stop = false;
  let answered = 0;
  const loop = async (i: number) => {
    while (!stop) {
      try {
        if (i % 3 === 0) {
          // As the signer queue holds its advisory lock: one reserved connection.
          const reserved = await client.reserve();
          try {
            await reserved`select pg_try_advisory_lock(${i})`;
            await reserved`select pg_advisory_unlock(${i})`;
          } finally {
            reserved.release();
          }
        } else if (i % 3 === 1) {
          await db.transaction(async (tx) => {
            await tx.execute(sql`select 1`);
            await tx.execute(sql`select pg_sleep(0.005)`);
          });
        } else {
          await db.execute(sql`select ${i}::int`);
        }
        answered += 1;
      } catch {
        await sleep(50);
      }
    }
  };
  const loops = Array.from({ length: 12 }, (_, i) => loop(i));
  for (let round = 0; round < 2; round += 1) {
    await sleep(800);
    await cluster.stop();
    await sleep(500);
    cluster = await startEmbeddedPostgres(options);
  }
  await sleep(1_500);
  const answeredAfterRestarts = answered;
  // Reconnections back off (up to about 20 s after many failed attempts), so the waits are generous.
  for (let waited = 0; answered === answeredAfterRestarts && waited < 40_000; waited += 500) await sleep(500);
  stop = true;
  expect(answered).toBeGreaterThan(answeredAfterRestarts);
  // Fresh queries after the restarts: every one answers.
  const probes = await Promise.all(Array.from({ length: 20 }, () => Promise.race([db.execute(sql`select pg_sleep(0.05)`).then(() => "answered"), sleep(20_000).then(() => "hung")])));
  expect(probes.filter((probe) => probe === "hung")).toEqual([]);
  // A query caught on a connection mid-restart may still be waiting: the loops are not awaited to the end.
  await Promise.race([Promise.all(loops), sleep(5_000)]);
}, 150_000);

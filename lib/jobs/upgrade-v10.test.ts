import { readFileSync } from "node:fs";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { JOBS } from "./names";
import { prepareQueues } from "./worker";

const client = postgres(env().databaseUrl, { max: 1, onnotice: () => {} });
afterAll(() => client.end());

const ids = {
  waiting: "9a248e65-89f8-4684-b1db-6876b81cf52f",
  later: "f18676e5-859e-421f-b49e-ff6f85aa00cb",
  active: "2da9edd4-6050-4509-ad53-2000427e36be",
  done: "48c9a792-830b-4564-bffe-bf4003bbc07c",
};

/** The database as pg-boss 10 left it: a waiting, a deferred, an active and a finished job. */
async function databaseFromPgBoss10() {
  await client`drop schema pgboss cascade`;
  await client.unsafe(readFileSync(new URL("./pgboss-v10-schema.sql", import.meta.url), "utf8"));
  await client`select pgboss.create_queue(${JOBS.allocate}, ${client.json({ policy: "standard", retryLimit: 12, retryDelay: 5, retryBackoff: true, expireInSeconds: 1200 })}::json)`;
  await client`select pgboss.create_queue(${JOBS.refundPayment}, ${client.json({ policy: "standard" })}::json)`;
  await client`
    insert into pgboss.job (id, name, data, state, retry_limit, retry_delay, retry_backoff, expire_in, start_after) values
      (${ids.waiting}, ${JOBS.allocate}, ${client.json({ orderId: "waiting" })}, 'created', 12, 5, true, '20 minutes', now()),
      (${ids.later}, ${JOBS.refundPayment}, ${client.json({ exceptionId: "later" })}, 'retry', 10, 30, true, '15 minutes', now() + interval '1 hour'),
      (${ids.active}, ${JOBS.allocate}, ${client.json({ orderId: "active" })}, 'active', 12, 5, true, '20 minutes', now()),
      (${ids.done}, ${JOBS.allocate}, ${client.json({ orderId: "done" })}, 'completed', 12, 5, true, '20 minutes', now())`;
}

describe("a database from pg-boss 10", () => {
  it("gets pg-boss 12's schema, and its unfinished jobs move across once with their ids", async () => {
    await databaseFromPgBoss10();
    await prepareQueues(env().databaseUrl);

    const [{ version }] = (await client`select version from pgboss.version`) as unknown as [{ version: number }];
    expect(version).toBeGreaterThan(24);
    const moved = await client`
      select id, name, state, data, retry_limit, retry_delay, retry_backoff, expire_seconds, start_after > now() as deferred
      from pgboss.job where id = any(${Object.values(ids)}) order by id`;
    expect(moved).toEqual([
      { id: ids.active, name: JOBS.allocate, state: "created", data: { orderId: "active" }, retry_limit: 12, retry_delay: 5, retry_backoff: true, expire_seconds: 1200, deferred: false },
      { id: ids.waiting, name: JOBS.allocate, state: "created", data: { orderId: "waiting" }, retry_limit: 12, retry_delay: 5, retry_backoff: true, expire_seconds: 1200, deferred: false },
      { id: ids.later, name: JOBS.refundPayment, state: "created", data: { exceptionId: "later" }, retry_limit: 10, retry_delay: 30, retry_backoff: true, expire_seconds: 900, deferred: true },
    ]);
    // The finished job stays with the old schema's history.
    expect(await client`select id, state from pgboss_v10.job`).toEqual([{ id: ids.done, state: "completed" }]);
    // Every queue exists in the new schema, and a second run changes nothing.
    expect((await client`select name from pgboss.queue`).map((row) => row.name)).toEqual(expect.arrayContaining(Object.values(JOBS)));
    await prepareQueues(env().databaseUrl);
    expect((await client`select count(*)::int as n from pgboss.job where id = any(${Object.values(ids)})`)[0]!.n).toBe(3);
  });
});

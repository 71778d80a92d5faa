import "server-only";
import type { JobInsert, PgBoss } from "pg-boss";
import type postgres from "postgres";

/**
 * pg-boss 11 rebuilt its tables and cannot migrate a pg-boss 10 schema (version 24) in place. A
 * database set up before the move to pg-boss 12 keeps that schema as `<schema>_v10`, pg-boss
 * installs a fresh one, and the jobs not yet finished move across with their ids. Finished jobs
 * stay behind in `<schema>_v10`, which can be dropped once nobody needs their history.
 */
const V10_SCHEMA_VERSION = 24;

/** Renames a pg-boss 10 schema out of pg-boss 12's way; true when there was one. Run before `start()`. */
export async function setAsideV10Schema(sql: postgres.Sql, schema: string): Promise<boolean> {
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext(${`${schema}: pg-boss 10 cutover`}))`;
    const [found] = await tx`select to_regclass(${`${schema}.version`}) is not null as installed`;
    if (!found?.installed) return false;
    const [row] = await tx`select version from ${tx(schema)}.version`;
    if (Number(row?.version) !== V10_SCHEMA_VERSION) return false;
    await tx`alter schema ${tx(schema)} rename to ${tx(`${schema}_v10`)}`;
    return true;
  });
}

type V10Job = {
  id: string;
  name: string;
  data: object | null;
  priority: number;
  retryLimit: number;
  retryDelay: number;
  retryBackoff: boolean;
  startAfter: Date;
  singletonKey: string | null;
  expireInSeconds: number;
  retentionSeconds: number;
};

/**
 * Moves the jobs a pg-boss 10 schema still holds (waiting, retrying, or active when its worker
 * stopped: handlers are idempotent) into the running pg-boss, in one transaction. Their retry
 * counts start again. Returns how many moved.
 */
export async function moveV10Jobs(sql: postgres.Sql, boss: PgBoss, schema: string): Promise<number> {
  const old = `${schema}_v10`;
  const [found] = await sql`select to_regclass(${`${old}.job`}) is not null as present`;
  if (!found?.present) return 0;
  const queues = (await boss.getQueues()).map((queue) => queue.name);
  return sql.begin(async (tx) => {
    const jobs = await tx<V10Job[]>`
      delete from ${tx(old)}.job where state < 'completed' and name = any(${queues})
      returning id, name, data, priority, retry_limit as "retryLimit", retry_delay as "retryDelay",
        retry_backoff as "retryBackoff", start_after as "startAfter", singleton_key as "singletonKey",
        extract(epoch from expire_in)::int as "expireInSeconds",
        greatest(1, extract(epoch from keep_until - now()))::int as "retentionSeconds"`;
    const db = { executeSql: async (text: string, values: unknown[] = []) => ({ rows: await tx.unsafe(text, values as never[]) }) };
    for (const name of new Set(jobs.map((job) => job.name))) {
      const inserts: JobInsert[] = jobs
        .filter((job) => job.name === name)
        .map(({ name: _name, data, singletonKey, ...job }) => ({ ...job, data: data ?? undefined, singletonKey: singletonKey ?? undefined }));
      await boss.insert(name, inserts, { db });
    }
    return jobs.length;
  });
}

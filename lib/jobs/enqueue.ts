import "server-only";
import { sql, type SQL } from "drizzle-orm";
import PgBoss from "pg-boss";
import type { Db } from "@/db/client";
import { env } from "@/lib/env";
import type { JobName } from "./names";

type Executor = Pick<Db, "execute">;

// node-postgres (which pg-boss expects) sends objects as JSON; postgres.js needs it done for it.
function asParameter(value: unknown): unknown {
  if (value === undefined) return null;
  if (value !== null && typeof value === "object" && !(value instanceof Date) && !Buffer.isBuffer(value)) return JSON.stringify(value);
  return value;
}

/** pg-boss's `$1`-style SQL as a drizzle statement, so it runs on our connection or transaction. */
export function boundSql(text: string, values: unknown[]): SQL {
  const chunks: SQL[] = [];
  let last = 0;
  for (const match of text.matchAll(/\$(\d+)/g)) {
    chunks.push(sql.raw(text.slice(last, match.index)));
    chunks.push(sql`${asParameter(values[Number(match[1]) - 1])}`);
    last = match.index! + match[0].length;
  }
  chunks.push(sql.raw(text.slice(last)));
  return sql.join(chunks, sql.raw(""));
}

// A pg-boss instance used only to build job inserts; it never opens a connection of its own.
let sender: PgBoss | undefined;

/**
 * Enqueues a job inside the caller's transaction: the job exists exactly when the change that
 * caused it commits. Handlers stay idempotent: the order's state, not the job, says what is left to do.
 */
export async function enqueue(db: Executor, name: JobName, data: object, options: PgBoss.SendOptions = {}): Promise<string | null> {
  sender ??= new PgBoss({ connectionString: env().databaseUrl, schema: "pgboss" });
  return sender.send(name, data, {
    ...options,
    db: { executeSql: async (text, values) => ({ rows: [...(await db.execute(boundSql(text, values)))] }) },
  });
}

import "server-only";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { env } from "@/lib/env";
import * as schema from "./schema";

export function createDb(url: string, options: { max?: number } = {}) {
  const client = postgres(url, { max: options.max ?? 10, onnotice: () => {} });
  return { db: drizzle({ client, schema, casing: "snake_case" }), client };
}

export type Db = ReturnType<typeof createDb>["db"];
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

/** Whether a statement failed on the named constraint (drizzle wraps postgres.js's error as its cause). */
export function violatesConstraint(error: unknown, name: string): boolean {
  for (let current = error; current && typeof current === "object"; current = (current as { cause?: unknown }).cause) {
    if ((current as { constraint_name?: string }).constraint_name === name) return true;
  }
  return false;
}

// One pool per process, kept across hot reloads in development.
const globalForDb = globalThis as unknown as { __villageDb?: ReturnType<typeof createDb> };

export function getDb(): Db {
  globalForDb.__villageDb ??= createDb(env().databaseUrl, { max: env().databasePoolSize });
  return globalForDb.__villageDb.db;
}

export async function closeDb(): Promise<void> {
  const current = globalForDb.__villageDb;
  globalForDb.__villageDb = undefined;
  await current?.client.end({ timeout: 5 });
}

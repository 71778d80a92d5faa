import { createDb } from "../db/client";

/** A separate pool on this test file's database, for tests that need their own connections. */
export function testDb(max = 10) {
  return createDb(process.env.DATABASE_URL!, { max });
}

/** The PostgreSQL error under drizzle's "Failed query" wrapper; fails if the statement succeeded. */
export async function databaseError(statement: PromiseLike<unknown>): Promise<{ message: string; code?: string; constraint_name?: string }> {
  try {
    await statement;
  } catch (error) {
    return ((error as { cause?: unknown }).cause ?? error) as { message: string };
  }
  throw new Error("expected the database to refuse the statement, but it succeeded");
}

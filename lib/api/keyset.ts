import "server-only";
import { type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { z } from "zod";

/**
 * Keyset pagination for the open data API. A cursor is the position of the last item of a page,
 * (time in microseconds, unique key) or (unique key) alone, base64url-encoded so that clients treat
 * it as opaque. Microseconds, because PostgreSQL keeps them and a JavaScript Date would round them
 * away, skipping rows that share a millisecond.
 */
type Position = { t?: string; k: string };

// 18 digits always fit PostgreSQL's bigint; keys are slugs or uuids (a NUL byte would fail in the query).
const positionSchema = z
  .object({
    t: z
      .string()
      .regex(/^-?\d{1,18}$/)
      .optional(),
    k: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[0-9A-Za-z-]+$/),
  })
  .strict();

/** Thrown for a cursor that is not one this API made: the route answers 400. */
export class BadCursor extends Error {
  constructor() {
    super("cursor is not a cursor of this list");
  }
}

function decode(cursor: string | undefined): Position | null {
  if (cursor === undefined) return null;
  try {
    const parsed = positionSchema.safeParse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    if (parsed.success) return parsed.data;
  } catch {
    // Not base64url JSON: refused below.
  }
  throw new BadCursor();
}

const encode = (position: Position) => Buffer.from(JSON.stringify(position)).toString("base64url");

/** A timestamp column as microseconds since the epoch (exact: extract() returns numeric). */
export const micros = (column: AnyPgColumn) => sql<string>`(extract(epoch from ${column}) * 1000000)::bigint::text`;

/** Rows after the cursor in descending (time, key) order, or in ascending key order when `time` is null. */
export function afterCursor(cursor: string | undefined, key: AnyPgColumn, time: AnyPgColumn | null): SQL | undefined {
  const position = decode(cursor);
  if (!position) return undefined;
  if (time === null) {
    if (position.t !== undefined) throw new BadCursor();
    return sql`${key} > ${position.k}`;
  }
  if (position.t === undefined) throw new BadCursor();
  return sql`((extract(epoch from ${time}) * 1000000)::bigint, ${key}::text) < (${position.t}::bigint, ${position.k})`;
}

/** The order `afterCursor` pages through: (time, key) descending, or key ascending. */
export function keysetOrder(key: AnyPgColumn, time: AnyPgColumn | null): SQL[] {
  return time === null ? [sql`${key} asc`] : [sql`${time} desc`, sql`${key}::text desc`];
}

/** Splits `limit + 1` fetched rows into one page and the cursor of the next (null on the last page). */
export function pageOf<R>(rows: R[], limit: number, positionOf: (row: R) => Position): { rows: R[]; nextCursor: string | null } {
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  return { rows: shown, nextCursor: more ? encode(positionOf(shown.at(-1)!)) : null };
}

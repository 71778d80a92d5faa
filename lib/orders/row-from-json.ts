import { type Column, getTableColumns, type InferSelectModel, type Table } from "drizzle-orm";
import { toSnakeCase } from "drizzle-orm/casing";

const fieldsOf = new WeakMap<Table, [key: string, name: string, column: Column][]>();

/** A row as PostgreSQL's to_jsonb gives it (snake_case keys), read through the table's own column mappers. */
export function rowFromJson<T extends Table>(table: T, json: Record<string, unknown>): InferSelectModel<T> {
  let fields = fieldsOf.get(table);
  if (!fields) {
    fields = Object.entries(getTableColumns(table)).map(([key, column]) => [key, toSnakeCase(column.name), column]);
    fieldsOf.set(table, fields);
  }
  const row: Record<string, unknown> = {};
  for (const [key, name, column] of fields) {
    const value = json[name];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as InferSelectModel<T>;
}

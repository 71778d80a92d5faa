import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import type { ledgerEntries } from "@/db/schema";

/**
 * Inserts of a whole run in one statement each (unnest of column arrays): a run of 10,000
 * holders writes its payments or its ledger entries in well under a second, where multi-row
 * VALUES in chunks took seconds.
 */

/** A PostgreSQL array literal, every element quoted (NULL for null). */
function pgArray(values: readonly (string | number | null | undefined)[]): string {
  return `{${values.map((value) => (value === null || value === undefined ? "NULL" : `"${String(value).replace(/["\\]/g, "\\$&")}"`)).join(",")}}`;
}

export type PaymentRow = {
  userId: string;
  units: number;
  grossYen: number;
  nationalTaxYen: number;
  localTaxYen: number;
  netYen: number;
  principalYen: number;
  carriedFromId?: string | null;
  status: "waiting_account" | "in_file";
};

export async function insertPayments(tx: DbOrTx, runId: string, rows: PaymentRow[]): Promise<void> {
  if (rows.length === 0) return;
  const column = (pick: (row: PaymentRow) => string | number | null | undefined) => pgArray(rows.map(pick));
  await tx.execute(sql`
    insert into coupon_payments (run_id, user_id, units, gross_yen, national_tax_yen, local_tax_yen, net_yen, principal_yen, carried_from_id, status)
    select ${runId}::uuid, * from unnest(
      ${column((row) => row.userId)}::text[], ${column((row) => row.units)}::int[], ${column((row) => row.grossYen)}::int[],
      ${column((row) => row.nationalTaxYen)}::int[], ${column((row) => row.localTaxYen)}::int[], ${column((row) => row.netYen)}::int[],
      ${column((row) => row.principalYen)}::bigint[], ${column((row) => row.carriedFromId)}::uuid[], ${column((row) => row.status)}::text[])`);
}

type LedgerRow = Required<Pick<typeof ledgerEntries.$inferInsert, "kind" | "offeringId" | "yen" | "units" | "detail" | "at">> & { userId: string };

export async function insertLedgerEntries(tx: DbOrTx, rows: LedgerRow[]): Promise<void> {
  if (rows.length === 0) return;
  const column = (pick: (row: LedgerRow) => string | number | null | undefined) => pgArray(rows.map(pick));
  await tx.execute(sql`
    insert into ledger_entries (kind, offering_id, user_id, yen, units, detail, at)
    select * from unnest(
      ${column((row) => row.kind)}::ledger_kind[], ${column((row) => row.offeringId)}::uuid[], ${column((row) => row.userId)}::text[],
      ${column((row) => row.yen)}::int[], ${column((row) => row.units)}::int[], ${column((row) => JSON.stringify(row.detail))}::jsonb[],
      ${column((row) => row.at.toISOString())}::timestamptz[])`);
}

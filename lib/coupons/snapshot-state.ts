import "server-only";
import { and, desc, eq } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { recordSnapshots, type BondTerms, type Offering, type RecordSnapshot } from "@/db/schema";
import type { BondPayment } from "@/lib/bonds/schedule";
import { getBondTerms } from "@/lib/bonds/terms";
import { approvedBondOf } from "@/lib/offerings/public-view";
import { tokyoDate } from "@/lib/projects/dates";

/**
 * Where a payment's record-date snapshot stands, as the coupon pages and the run read it: frozen
 * (a run can be prepared), mismatch or error (retake it), missing, or not due (the record date
 * has not ended in Tokyo yet).
 */
export type SnapshotState = { status: "frozen"; snapshot: RecordSnapshot } | { status: "mismatch" | "error"; snapshot: RecordSnapshot } | { status: "missing" | "not_due"; snapshot: null };

export async function snapshotState(db: DbOrTx, offeringId: string, payment: Pick<BondPayment, "paymentDate" | "recordDate">, now = new Date()): Promise<SnapshotState> {
  const rows = await db
    .select()
    .from(recordSnapshots)
    .where(and(eq(recordSnapshots.offeringId, offeringId), eq(recordSnapshots.paymentDate, payment.paymentDate)))
    .orderBy(desc(recordSnapshots.takenAt));
  const frozen = rows.find((row) => row.status === "frozen");
  if (frozen) return { status: "frozen", snapshot: frozen };
  const latest = rows[0];
  if (latest) return { status: latest.status as "mismatch" | "error", snapshot: latest };
  return { status: tokyoDate(now) > payment.recordDate ? "missing" : "not_due", snapshot: null };
}

/** The terms a bond is serviced by: the approved ones (the frozen copy while an edit waits); null for other offerings. */
export async function servicedBondTerms(offering: Offering, db: DbOrTx): Promise<BondTerms | null> {
  if (offering.kind !== "municipal_bond" || offering.approvedRevision === null) return null;
  const frozen = approvedBondOf(offering);
  return frozen === undefined ? getBondTerms(offering.id, db) : frozen;
}

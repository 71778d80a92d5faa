import "server-only";
import { and, eq, inArray, isNotNull, isNull, ne, sql } from "drizzle-orm";
import { getDb, violatesConstraint } from "@/db/client";
import { couponRuns, offerings, payoutBankAccounts, snapshotHoldings } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { bondSchedule, grossForUnits } from "@/lib/bonds/schedule";
import { insertPayments, type PaymentRow } from "./bulk";
import { carryOverCandidates } from "./carry-over";
import { servicedBondTerms, snapshotState } from "./snapshot-state";
import { withholding } from "./tax";

type PrepareError = "notBond" | "noPayment" | "notDue" | "snapshotMissing" | "snapshotMismatch" | "snapshotError" | "alreadyPrepared" | "previousNotApproved" | "holderUnknown";

export type PrepareResult = { ok: true; runId: string; holders: number; carried: number } | { ok: false; error: PrepareError };

/**
 * Prepares the run of payment `paymentNumber` of a bond from its frozen record-date snapshot:
 * per holder (the units of all their addresses) the gross by the term sheet's rounding rule,
 * the principal on the final payment, the withholding split and the net, plus what earlier runs
 * still owe (carry-over). Runs go in schedule order and one live run per payment. Who may
 * prepare (staff of the issuer, or admin) is the caller's check.
 */
export async function prepareCouponRun(input: { offeringId: string; paymentNumber: number; actorId: string; now?: Date }): Promise<PrepareResult> {
  const db = getDb();
  const [offering] = await db.select().from(offerings).where(eq(offerings.id, input.offeringId));
  const terms = offering ? await servicedBondTerms(offering, db) : null;
  if (!terms) return { ok: false, error: "notBond" };
  const schedule = bondSchedule(terms);
  const payment = schedule[input.paymentNumber - 1];
  if (!payment) return { ok: false, error: "noPayment" };
  const state = await snapshotState(db, input.offeringId, payment, input.now);
  if (state.status !== "frozen") {
    const error = ({ not_due: "notDue", missing: "snapshotMissing", mismatch: "snapshotMismatch", error: "snapshotError" } as const)[state.status];
    return { ok: false, error };
  }
  const snapshot = state.snapshot;
  const final = payment.principalPerUnit > 0;
  try {
    return await db.transaction(async (tx) => {
      const runs = await tx
        .select({ paymentNumber: couponRuns.paymentNumber, status: couponRuns.status })
        .from(couponRuns)
        .where(and(eq(couponRuns.offeringId, input.offeringId), ne(couponRuns.status, "cancelled"), inArray(couponRuns.paymentNumber, [payment.number, payment.number - 1])));
      if (runs.some((run) => run.paymentNumber === payment.number)) return { ok: false, error: "alreadyPrepared" } as const;
      if (payment.number > 1 && !runs.some((run) => run.paymentNumber === payment.number - 1 && run.status !== "prepared")) {
        return { ok: false, error: "previousNotApproved" } as const;
      }
      // A wallet the portal cannot name could never be paid (and a final run would burn its units).
      const [unknown] = await tx
        .select({ address: snapshotHoldings.address })
        .from(snapshotHoldings)
        .where(and(eq(snapshotHoldings.snapshotId, snapshot.id), isNull(snapshotHoldings.userId)))
        .limit(1);
      if (unknown) return { ok: false, error: "holderUnknown" } as const;
      const holdings = await tx
        .select({ userId: snapshotHoldings.userId, units: sql<string>`sum(${snapshotHoldings.units})` })
        .from(snapshotHoldings)
        .where(and(eq(snapshotHoldings.snapshotId, snapshot.id), isNotNull(snapshotHoldings.userId)))
        .groupBy(snapshotHoldings.userId)
        .orderBy(snapshotHoldings.userId);
      const withAccount = new Set(
        (
          await tx
            .select({ userId: payoutBankAccounts.userId })
            .from(payoutBankAccounts)
            .innerJoin(snapshotHoldings, and(eq(snapshotHoldings.userId, payoutBankAccounts.userId), eq(snapshotHoldings.snapshotId, snapshot.id)))
            .where(sql`${payoutBankAccounts.endedAt} is null`)
        ).map((row) => row.userId),
      );
      // Until approval the status only previews where a payment goes; approval decides it.
      const rows: PaymentRow[] = holdings.map(({ userId, units }) => {
        const count = Number(units);
        return {
          userId: userId!,
          units: count,
          ...withholding(grossForUnits(payment, count)),
          principalYen: final ? terms.faceValueYen * count : 0,
          status: withAccount.has(userId!) ? "in_file" : "waiting_account",
        };
      });
      const carried = await carryOverCandidates(tx, input.offeringId);
      for (const original of carried) {
        const { userId, units, grossYen, nationalTaxYen, localTaxYen, netYen, principalYen } = original;
        rows.push({ userId, units, grossYen, nationalTaxYen, localTaxYen, netYen, principalYen, carriedFromId: original.id, status: "in_file" });
      }
      const sum = (pick: (row: PaymentRow) => number) => rows.reduce((total, row) => total + pick(row), 0);
      const totals = {
        holders: holdings.length,
        grossYen: sum((row) => row.grossYen),
        nationalTaxYen: sum((row) => row.nationalTaxYen),
        localTaxYen: sum((row) => row.localTaxYen),
        netYen: sum((row) => row.netYen),
        principalYen: sum((row) => row.principalYen),
        carriedInYen: carried.reduce((total, row) => total + row.netYen, 0),
      };
      const [run] = await tx
        .insert(couponRuns)
        .values({
          offeringId: input.offeringId,
          snapshotId: snapshot.id,
          paymentNumber: payment.number,
          paymentDate: payment.paymentDate,
          kind: final ? "final" : "coupon",
          preparedBy: input.actorId,
          ...totals,
        })
        .returning({ id: couponRuns.id });
      await insertPayments(tx, run!.id, rows);
      await recordAudit(tx, {
        actorId: input.actorId,
        action: "coupon_run.prepared",
        targetType: "coupon_run",
        targetId: run!.id,
        detail: {
          offeringId: input.offeringId,
          paymentNumber: payment.number,
          paymentDate: payment.paymentDate,
          snapshotId: snapshot.id,
          kind: final ? "final" : "coupon",
          carried: carried.length,
          ...totals,
        },
      });
      return { ok: true, runId: run!.id, holders: holdings.length, carried: carried.length } as const;
    });
  } catch (error) {
    // Two staff preparing at once: the partial unique indexes let one through.
    if (violatesConstraint(error, "coupon_runs_one_per_payment") || violatesConstraint(error, "coupon_payments_carried_once")) return { ok: false, error: "alreadyPrepared" };
    throw error;
  }
}

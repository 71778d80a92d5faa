import "server-only";
import { and, desc, eq, max, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { settlementReports, users } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { enqueue } from "@/lib/jobs/enqueue";
import { JOBS } from "@/lib/jobs/names";
import { computeFigures, defaultDeps, type SettlementDeps } from "./compute";
import { parseFigures, type Figures } from "./figures";

export type MadeReport = { ok: true; id: string; version: number } | { ok: false; error: "notFound" | "notClosed" };

/**
 * Makes and freezes the next version of an offering's settlement report. The figures are read
 * first (processor and chain calls, outside any transaction); the version is then taken under a
 * per-offering lock, with the unique (offering, version) index as the backstop, so two runs never
 * both make version N. Earlier versions are never touched: a later one supersedes them.
 */
export async function makeReport(offeringId: string, requestedBy: string | null, deps: SettlementDeps = defaultDeps()): Promise<MadeReport> {
  const figures = await computeFigures(offeringId, requestedBy, deps);
  if (!figures) return { ok: false, error: "notFound" };
  if (figures.offering.status !== "closed") return { ok: false, error: "notClosed" };
  return getDb().transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`settlement-report:${offeringId}`}, 0))`);
    const [last] = await tx
      .select({ version: max(settlementReports.version) })
      .from(settlementReports)
      .where(eq(settlementReports.offeringId, offeringId));
    const version = (last?.version ?? 0) + 1;
    const [row] = await tx.insert(settlementReports).values({ offeringId, version, figures, createdBy: requestedBy }).returning({ id: settlementReports.id });
    await recordAudit(tx, {
      actorId: requestedBy,
      action: "settlement.report_created",
      targetType: "offering",
      targetId: offeringId,
      detail: { reportId: row!.id, version, yenReceived: figures.sales.yenReceived, yenRefunded: figures.sales.yenRefunded, feeYen: figures.fees.feeYen, netProceedsYen: figures.netProceedsYen },
    });
    return { ok: true as const, id: row!.id, version };
  });
}

export type StoredReport = { id: string; version: number; createdAt: Date; createdBy: string | null; figures: Figures };

/** Every version of an offering's report, newest first (the offering's access is checked by the caller). */
export async function listReports(offeringId: string): Promise<Omit<StoredReport, "figures">[]> {
  return getDb()
    .select({ id: settlementReports.id, version: settlementReports.version, createdAt: settlementReports.createdAt, createdBy: users.email })
    .from(settlementReports)
    .leftJoin(users, eq(users.id, settlementReports.createdBy))
    .where(eq(settlementReports.offeringId, offeringId))
    .orderBy(desc(settlementReports.version));
}

/** One version, or the latest when `version` is undefined; null when there is none. */
export async function getReport(offeringId: string, version?: number): Promise<StoredReport | null> {
  const [row] = await getDb()
    .select({ id: settlementReports.id, version: settlementReports.version, createdAt: settlementReports.createdAt, createdBy: users.email, figures: settlementReports.figures })
    .from(settlementReports)
    .leftJoin(users, eq(users.id, settlementReports.createdBy))
    .where(and(eq(settlementReports.offeringId, offeringId), version === undefined ? undefined : eq(settlementReports.version, version)))
    .orderBy(desc(settlementReports.version))
    .limit(1);
  return row ? { ...row, figures: parseFigures(row.figures) } : null;
}

export type ReportJob = { state: "created" | "retry" | "active" | "failed"; retryCount: number; error: string | null; createdOn: Date };

/**
 * The newest report job of the offering when it is still to run, running, or failed after its
 * last report was made: what staff see while they wait, or why no new version came.
 */
export async function latestReportJob(offeringId: string): Promise<ReportJob | null> {
  const rows = await getDb().execute<{ state: ReportJob["state"]; retry_count: number; error: string | null; created_on: Date }>(sql`
    select state, retry_count, output->>'message' as error, created_on from pgboss.job
    where name = ${JOBS.settleOffering} and data->>'offeringId' = ${offeringId} and state in ('created', 'retry', 'active', 'failed')
      and created_on > coalesce((select max(created_at) from ${settlementReports} where offering_id = ${offeringId}), '-infinity')
    order by created_on desc limit 1`);
  const row = rows[0];
  return row ? { state: row.state, retryCount: Number(row.retry_count), error: row.error, createdOn: new Date(row.created_on) } : null;
}

/** Queues a new version asked for by staff, unless one is already on its way. */
export async function requestReport(offeringId: string, staffId: string): Promise<{ ok: true } | { ok: false; error: "pending" }> {
  const job = await latestReportJob(offeringId);
  if (job && job.state !== "failed") return { ok: false, error: "pending" };
  await enqueue(getDb(), JOBS.settleOffering, { offeringId, requestedBy: staffId });
  return { ok: true };
}

import "server-only";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/db/client";
import { auditLog, chainTransactions, offerings, type Offering } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import type { ChainContext } from "@/lib/chain/context";
import { DeploymentRefused, deployOfferingToken } from "@/lib/chain/deploy-offering";
import { explorerAddressUrl, explorerTxUrl } from "@/lib/chain/queries";

/** Retried with growing pauses (15 s, 30 s, … up to 15 minutes): a node that is down is waited out. */
export const DEPLOY_JOB_OPTIONS = { retryLimit: 8, retryDelay: 15, retryBackoff: true, retryDelayMax: 900 } as const;

const ofOffering = (offeringId: string) => sql`${chainTransactions.payload}->'ref'->>'offeringId' = ${offeringId}`;

/** Whether a deployment transaction of the offering is queued, sent or done. */
export async function deployUnderway(db: DbOrTx, offeringId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: chainTransactions.id })
    .from(chainTransactions)
    .where(and(eq(chainTransactions.kind, "deploy"), ofOffering(offeringId), inArray(chainTransactions.status, ["pending", "sent", "confirmed"])))
    .limit(1);
  return Boolean(row);
}

/** Why a deployment failed, in words staff can act on (the technical message is shown beside it). */
type FailureReason = "unreachable" | "funds" | "refused" | "unknown";

function reasonOf(message: string): FailureReason {
  const lower = message.toLowerCase();
  if (/unreachable|not final after|fetch failed|econnrefused|timed? ?out/.test(lower)) return "unreachable";
  if (/insufficient funds|cannot pay gas/.test(lower)) return "funds";
  if (/revert|refused|failed:/.test(lower)) return "refused";
  return "unknown";
}

export type Deployment =
  | { state: "awaitingApproval" }
  /** Approved before deployments were queued on approval (or the job was lost): staff queue it. */
  | { state: "notQueued" }
  | { state: "queued"; since: Date; lastError: string | null }
  | { state: "sent"; txHash: string; txUrl: string }
  /** Mined, but the address is not on the offering yet (the job records it, or staff re-queue after it gave up). */
  | { state: "recording"; txHash: string | null; txUrl: string | null; gaveUp: boolean }
  | { state: "deployed"; tokenAddress: string; addressUrl: string; txHash: string | null; txUrl: string | null }
  | { state: "failed"; reason: FailureReason; error: string; at: Date };

/** Where the offering's token deployment stands, from its journalled transaction and the audit log. */
export async function deploymentOf(offering: Pick<Offering, "id" | "tokenAddress" | "approvedRevision" | "termsRevision">): Promise<Deployment> {
  const db = getDb();
  const [[row], audits] = await Promise.all([
    db
      .select()
      .from(chainTransactions)
      .where(and(eq(chainTransactions.kind, "deploy"), ofOffering(offering.id)))
      .orderBy(desc(chainTransactions.createdAt))
      .limit(1),
    db
      .select({ action: auditLog.action, at: auditLog.at, detail: auditLog.detail })
      .from(auditLog)
      .where(and(eq(auditLog.targetType, "offering"), eq(auditLog.targetId, offering.id), inArray(auditLog.action, ["offering.deploy_queued", "token.deploy_failed"])))
      .orderBy(desc(auditLog.id))
      .limit(1),
  ]);
  const txHash = row?.txHash ?? null;
  if (offering.tokenAddress) {
    return { state: "deployed", tokenAddress: offering.tokenAddress, addressUrl: explorerAddressUrl(offering.tokenAddress), txHash, txUrl: txHash ? explorerTxUrl(txHash) : null };
  }
  const last = audits[0];
  const gaveUp = last?.action === "token.deploy_failed";
  const failed = (error: string, at: Date): Deployment => ({ state: "failed", reason: reasonOf(error), error, at });
  const gaveUpError = () => String(last?.detail?.error ?? "");
  if (row?.status === "sent") return { state: "sent", txHash: txHash!, txUrl: explorerTxUrl(txHash!) };
  if (row?.status === "confirmed") return { state: "recording", txHash, txUrl: txHash ? explorerTxUrl(txHash) : null, gaveUp };
  if (row?.status === "failed" && !(last?.action === "offering.deploy_queued" && last.at > row.updatedAt)) return failed(row.error ?? "", row.updatedAt);
  if (gaveUp) return failed(gaveUpError(), last.at);
  if (row?.status === "pending") return { state: "queued", since: row.createdAt, lastError: row.error };
  if (last) return { state: "queued", since: last.at, lastError: null };
  return offering.approvedRevision === offering.termsRevision ? { state: "notQueued" } : { state: "awaitingApproval" };
}

/** Whether the page should keep refreshing itself: the deployment is moving. */
export function deploymentMoving(deployment: Deployment): boolean {
  return deployment.state === "queued" || deployment.state === "sent" || (deployment.state === "recording" && !deployment.gaveUp);
}

/**
 * The deployment job. It deploys only terms that are approved now (a change after approval waits
 * for the new approval, which queues the job again). A refusal by the chain, or the last retry,
 * is audited as `token.deploy_failed` for staff to see and re-queue; anything else is thrown so
 * pg-boss runs the job again later.
 */
export async function runDeployJob(ctx: ChainContext, offeringId: string, lastAttempt: boolean): Promise<"deployed" | "exists" | "skipped" | "failed"> {
  const [offering] = await ctx.db.select().from(offerings).where(eq(offerings.id, offeringId));
  if (!offering) return "skipped";
  if (!offering.tokenAddress && (offering.approvedRevision !== offering.termsRevision || offering.status === "closed")) return "skipped";
  try {
    return (await deployOfferingToken(ctx, offeringId)).deployed ? "deployed" : "exists";
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!(error instanceof DeploymentRefused) && !lastAttempt) throw new Error(message);
    await recordAudit(ctx.db, { actorId: null, action: "token.deploy_failed", targetType: "offering", targetId: offeringId, detail: { error: message } });
    return "failed";
  }
}

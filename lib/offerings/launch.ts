import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { offerings } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { getBondTerms, publishBondDisclosure } from "@/lib/bonds/terms";
import { canActForIssuer } from "@/lib/issuers/access";
import { enqueue } from "@/lib/jobs/enqueue";
import { JOBS } from "@/lib/jobs/names";
import type { StaffUser } from "./admin";
import { DEPLOY_JOB_OPTIONS } from "./deployment";
import { approvedTermsOf } from "./public-view";
import { ALLOWED, openBlocker } from "./readiness";

type ApproveError = "notFound" | "closed" | "stale" | "alreadyApproved" | "ownTerms";

/**
 * Four eyes on the terms: a staff member of the issuer (or an admin) other than the author of the
 * current revision approves exactly that revision. Without a token yet, its deployment is queued
 * in the same transaction.
 */
export async function approveTerms(user: StaffUser, offeringId: string, revision: number): Promise<{ ok: true; deployQueued: boolean } | { ok: false; error: ApproveError }> {
  return getDb().transaction(async (tx) => {
    const [offering] = await tx.select().from(offerings).where(eq(offerings.id, offeringId)).for("update");
    if (!offering || !(await canActForIssuer(user, offering.villageId, tx))) return { ok: false as const, error: "notFound" as const };
    if (offering.status === "closed") return { ok: false as const, error: "closed" as const };
    if (offering.termsRevision !== revision) return { ok: false as const, error: "stale" as const };
    if (offering.approvedRevision === offering.termsRevision) return { ok: false as const, error: "alreadyApproved" as const };
    if (offering.termsAuthorId === user.id) return { ok: false as const, error: "ownTerms" as const };
    // The public reads this frozen copy until the next revision is approved (lib/offerings/public-view.ts).
    const approvedTerms = approvedTermsOf(offering, await getBondTerms(offeringId, tx));
    await tx.update(offerings).set({ approvedRevision: revision, approvedBy: user.id, approvedAt: new Date(), approvedTerms }).where(eq(offerings.id, offeringId));
    await recordAudit(tx, { actorId: user.id, action: "offering.terms_approved", targetType: "offering", targetId: offeringId, detail: { revision, authorId: offering.termsAuthorId } });
    // A bond's disclosure is written from exactly the terms approved here (lib/bonds/terms.ts).
    await publishBondDisclosure(tx, user.id, offeringId, revision);
    if (offering.tokenAddress) return { ok: true as const, deployQueued: false };
    await enqueue(tx, JOBS.deployToken, { offeringId }, DEPLOY_JOB_OPTIONS);
    await recordAudit(tx, { actorId: user.id, action: "offering.deploy_queued", targetType: "offering", targetId: offeringId, detail: { revision } });
    return { ok: true as const, deployQueued: true };
  });
}

/** Queues the deployment again (after it failed, or was never queued); the job does nothing twice. */
export async function requeueDeployment(user: StaffUser, offeringId: string): Promise<{ ok: true } | { ok: false; error: "notFound" | "notApproved" | "alreadyDeployed" | "closed" }> {
  return getDb().transaction(async (tx) => {
    const [offering] = await tx.select().from(offerings).where(eq(offerings.id, offeringId)).for("update");
    if (!offering || !(await canActForIssuer(user, offering.villageId, tx))) return { ok: false as const, error: "notFound" as const };
    if (offering.tokenAddress) return { ok: false as const, error: "alreadyDeployed" as const };
    if (offering.status === "closed") return { ok: false as const, error: "closed" as const };
    if (offering.approvedRevision !== offering.termsRevision) return { ok: false as const, error: "notApproved" as const };
    await enqueue(tx, JOBS.deployToken, { offeringId }, DEPLOY_JOB_OPTIONS);
    await recordAudit(tx, { actorId: user.id, action: "offering.deploy_queued", targetType: "offering", targetId: offeringId, detail: { revision: offering.termsRevision, requeued: true } });
    return { ok: true as const };
  });
}

const STATUS_ACTION = { open: "offering.open", paused: "offering.paused" } as const;

/** Opens or pauses the sale (closing has its own path: lib/offerings/closing.ts). */
export async function setOfferingStatus(
  user: StaffUser,
  offeringId: string,
  status: "open" | "paused",
  now = new Date(),
): Promise<{ ok: true } | { ok: false; error: "notFound" | "notAllowed" | "notApproved" | "noContract" | "ended" }> {
  return getDb().transaction(async (tx) => {
    const [offering] = await tx.select().from(offerings).where(eq(offerings.id, offeringId)).for("update");
    if (!offering || !(await canActForIssuer(user, offering.villageId, tx))) return { ok: false as const, error: "notFound" as const };
    if (!ALLOWED[offering.status].includes(status)) return { ok: false as const, error: "notAllowed" as const };
    const blocker = status === "open" ? openBlocker(offering, now) : null;
    if (blocker) return { ok: false as const, error: blocker };
    await tx.update(offerings).set({ status }).where(eq(offerings.id, offeringId));
    await recordAudit(tx, { actorId: user.id, action: STATUS_ACTION[status], targetType: "offering", targetId: offeringId, detail: { revision: offering.termsRevision } });
    return { ok: true as const };
  });
}

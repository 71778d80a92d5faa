import type { Offering } from "@/db/schema";

/** Pure launch rules (no database here, so components may import them). */

type Status = Offering["status"];
export type LaunchFacts = Pick<Offering, "status" | "approvedRevision" | "termsRevision" | "tokenAddress" | "closesAt">;
type OpenBlocker = "notApproved" | "noContract" | "ended";

/** Which status changes staff may make: a closed offering stays closed. */
export const ALLOWED: Record<Status, Status[]> = { draft: ["open", "closed"], open: ["paused", "closed"], paused: ["open", "closed"], closed: [] };

/** Why the sale cannot open now, or null when it can (approved current terms, a deployed contract, time left). */
export function openBlocker(offering: LaunchFacts, now = new Date()): OpenBlocker | null {
  if (offering.approvedRevision !== offering.termsRevision) return "notApproved";
  if (!offering.tokenAddress) return "noContract";
  if (offering.closesAt <= now) return "ended";
  return null;
}

/** The status changes to offer staff now: opening only when nothing blocks it, closing a draft only once approved (closed is public). */
export function allowedTransitions(offering: LaunchFacts, now = new Date()): Exclude<Status, "draft">[] {
  const unapprovedDraft = offering.status === "draft" && offering.approvedRevision !== offering.termsRevision;
  return ALLOWED[offering.status].filter(
    (status): status is Exclude<Status, "draft"> => status !== "draft" && (status !== "open" || openBlocker(offering, now) === null) && (status !== "closed" || !unapprovedDraft),
  );
}

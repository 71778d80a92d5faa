import "server-only";
import { and, asc, eq, ne } from "drizzle-orm";
import { getDb } from "@/db/client";
import { identityDocuments, investorProfiles, users, wallets } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import type { MasterKeys } from "@/lib/custody/envelope";
import { createWalletFor } from "@/lib/custody/wallets";
import { enqueue } from "@/lib/jobs/enqueue";
import { JOBS } from "@/lib/jobs/names";
import { notify } from "@/lib/notifications/notices";
import { markAddressVerified } from "@/lib/residents/address";

/** Documents in review, oldest first, without the viewer's own: nobody reviews themselves. */
export async function listReviewQueue(viewerId: string) {
  const db = getDb();
  return db
    .select({ document: identityDocuments, email: users.email, profile: investorProfiles })
    .from(identityDocuments)
    .innerJoin(users, eq(users.id, identityDocuments.userId))
    .leftJoin(investorProfiles, eq(investorProfiles.userId, identityDocuments.userId))
    .where(and(eq(identityDocuments.status, "in_review"), ne(identityDocuments.userId, viewerId)))
    .orderBy(asc(identityDocuments.submittedAt));
}

export async function getReview(documentId: string) {
  const db = getDb();
  const [row] = await db
    .select({ document: identityDocuments, email: users.email, profile: investorProfiles, walletAddress: wallets.address })
    .from(identityDocuments)
    .innerJoin(users, eq(users.id, identityDocuments.userId))
    .leftJoin(investorProfiles, eq(investorProfiles.userId, identityDocuments.userId))
    .leftJoin(wallets, eq(wallets.userId, identityDocuments.userId))
    .where(eq(identityDocuments.id, documentId));
  return row ?? null;
}

export type ReviewDecision =
  | {
      reviewerId: string | null;
      documentId: string;
      decision: "approve";
      masterKeys: MasterKeys;
      autoApproved?: boolean;
      /** The reviewer's answer whether the document's address matches the profile (undefined: not asked). */
      addressMatches?: boolean;
      /** "prefecture|city" as the reviewer saw them: a matching answer about another address is refused. */
      addressShown?: string;
    }
  | { reviewerId: string | null; documentId: string; decision: "reject"; reason: string };

/**
 * Applies a decision to a document still in review (a second reviewer finds it decided and
 * changes nothing). Staff cannot decide on their own document. Approval creates the custodial
 * wallet in the same transaction, and marks the address verified when the reviewer says the
 * document's address matches the profile; every decision is written to the audit log with reviewer and time.
 */
export async function decideReview(input: ReviewDecision): Promise<{ ok: true; walletAddress?: string } | { ok: false; error: "notInReview" | "ownDocument" | "addressChanged" }> {
  const db = getDb();
  return db.transaction(async (tx) => {
    const approved = input.decision === "approve";
    const [pending] = await tx.select({ userId: identityDocuments.userId }).from(identityDocuments).where(eq(identityDocuments.id, input.documentId));
    if (!pending) return { ok: false as const, error: "notInReview" as const };
    if (input.reviewerId !== null && pending.userId === input.reviewerId) return { ok: false as const, error: "ownDocument" as const };
    // Locks the profile so a concurrent edit lands before the approval or becomes a change request after it.
    const [profile] = await tx.select({ prefecture: investorProfiles.prefecture, city: investorProfiles.city }).from(investorProfiles).where(eq(investorProfiles.userId, pending.userId)).for("update");
    if (approved && input.addressMatches && input.addressShown !== undefined && input.addressShown !== `${profile?.prefecture ?? ""}|${profile?.city ?? ""}`) {
      return { ok: false as const, error: "addressChanged" as const };
    }
    const [document] = await tx
      .update(identityDocuments)
      .set({
        status: approved ? "approved" : "rejected",
        reviewerId: input.reviewerId,
        reviewedAt: new Date(),
        rejectionReason: approved ? null : input.reason,
        addressMatches: approved ? (input.addressMatches ?? null) : null,
      })
      .where(and(eq(identityDocuments.id, input.documentId), eq(identityDocuments.status, "in_review")))
      .returning();
    if (!document) return { ok: false as const, error: "notInReview" as const };

    await recordAudit(tx, {
      actorId: input.reviewerId,
      action: approved ? "identity.approved" : "identity.rejected",
      targetType: "identity_document",
      targetId: document.id,
      detail: approved ? { userId: document.userId, autoApproved: input.autoApproved ?? false } : { userId: document.userId, reason: input.reason },
    });
    await notify(tx, { userId: document.userId, kind: approved ? "identity_approved" : "identity_rejected", detail: approved ? {} : { reason: input.reason } });
    if (!approved) return { ok: true as const };

    // Residence (lib/residents) rests on this: only an address seen on the document counts as verified.
    if (input.addressMatches) await markAddressVerified(tx, { userId: document.userId, reviewerId: input.reviewerId, source: { documentId: document.id } });
    const wallet = await createWalletFor(tx, document.userId, input.masterKeys);
    await recordAudit(tx, { actorId: input.reviewerId, action: "wallet.created", targetType: "user", targetId: document.userId, detail: { address: wallet.address } });
    // The wallet may receive tokens only once it is allowlisted on chain, through the signer queue.
    await enqueue(tx, JOBS.allowlist, { userId: document.userId });
    return { ok: true as const, walletAddress: wallet.address };
  });
}

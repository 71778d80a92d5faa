import { eq, sql } from "drizzle-orm";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { getDb } from "@/db/client";
import { auditLog, identityDocuments, linkedWalletApprovals, linkedWallets, notifications } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/roles";
import { acceptDocuments, documentsToAccept } from "@/lib/onboarding/documents";
import { recordSuitability, saveProfile } from "@/lib/onboarding/profile";
import { issueSiweChallenge } from "@/lib/wallet-links/siwe";
import { makeUser, VALID_PROFILE } from "@/test/fixtures";

/** The own-wallet tests' world: investors who may link, browser-wallet keys, signed SIWE messages, rows to check. */

/** Completes onboarding for a user who exists already: profile, suitability, documents, identity approved. */
export async function onboard(userId: string): Promise<void> {
  await saveProfile(userId, { ...VALID_PROFILE, prefecture: "33" } as never);
  await recordSuitability(userId, { experience: "1_to_3y", incomeBand: "3m_to_5m", assetBand: "1m_to_5m", purpose: "support_village" });
  await acceptDocuments(
    userId,
    (await documentsToAccept(userId)).map((doc) => doc.id),
  );
  await getDb().insert(identityDocuments).values({ userId, storageKey: "identity/x.png", contentType: "image/png", sizeBytes: 1, status: "approved" });
}

export async function approvedInvestor(): Promise<SessionUser> {
  const user = await makeUser();
  await onboard(user.id);
  return user;
}

export const browserWallet = (): PrivateKeyAccount => privateKeyToAccount(generatePrivateKey());

/** What the link page does: a challenge for the wallet's address, signed by the wallet. */
export async function signedChallenge(userId: string, wallet: PrivateKeyAccount, now = new Date()): Promise<{ message: string; signature: `0x${string}` }> {
  const issued = await issueSiweChallenge(userId, wallet.address, now);
  if (!issued.ok) throw new Error(`no challenge: ${issued.reason}`);
  return { message: issued.message, signature: await wallet.signMessage({ message: issued.message }) };
}

export const linksOf = (userId: string) => getDb().select().from(linkedWallets).where(eq(linkedWallets.userId, userId));
export const approvalsOf = (linkedWalletId: string) => getDb().select().from(linkedWalletApprovals).where(eq(linkedWalletApprovals.linkedWalletId, linkedWalletId));
export const approvalById = async (id: string) => (await getDb().select().from(linkedWalletApprovals).where(eq(linkedWalletApprovals.id, id)))[0]!;

export async function auditCount(action: string, targetId: string): Promise<number> {
  const rows = await getDb().execute<{ n: number }>(sql`select count(*)::int as n from ${auditLog} where action = ${action} and target_id = ${targetId}`);
  return rows[0]!.n;
}

export async function noticeCount(userId: string, kind: string): Promise<number> {
  const rows = await getDb().execute<{ n: number }>(sql`select count(*)::int as n from ${notifications} where user_id = ${userId} and kind = ${kind}`);
  return rows[0]!.n;
}

export async function jobCount(approvalId: string): Promise<number> {
  const rows = await getDb().execute<{ n: number }>(sql`select count(*)::int as n from pgboss.job where name = 'wallets.linked-allowlist' and data->>'approvalId' = ${approvalId}`);
  return rows[0]!.n;
}

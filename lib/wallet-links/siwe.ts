import "server-only";
import { and, count, eq, gt, isNull, lt, sql } from "drizzle-orm";
import { getAddress, isAddress, verifyMessage, type Address, type Hex } from "viem";
import { createSiweMessage, generateSiweNonce, parseSiweMessage } from "viem/siwe";
import { getDb, type DbOrTx } from "@/db/client";
import { siweNonces } from "@/db/schema";
import { chainReader } from "@/lib/chain/context";
import { env } from "@/lib/env";

/**
 * Sign-In-with-Ethereum (EIP-4361) proof that an address is the investor's: the portal issues a
 * one-time nonce and the exact message; the wallet signs it; the portal checks every field against
 * what it issued, checks the signature, and spends the nonce with one conditional update, so a
 * replayed or concurrently resubmitted message links nothing a second time.
 */

const CHALLENGE_MS = 10 * 60_000;
/** Open (unused, unexpired) challenges a user may hold at once. */
export const MAX_OPEN_CHALLENGES = 5;
/** How far a message's issue time may lie ahead of the server clock. */
const SKEW_MS = 60_000;

/** ASCII only, as EIP-4361 requires of the statement; the page explains it in the reader's language. */
export const SIWE_STATEMENT = "Link this wallet to my account at the village offering portal. Tokens move to it only after the issuer approves it.";

type LinkRefusal =
  | "malformed"
  | "wrongDomain"
  | "wrongChain"
  | "expired"
  | "notYetValid"
  | "unknownNonce"
  | "replayed"
  | "badSignature"
  | "alreadyLinkedToSomeoneElse"
  | "notApproved"
  | "tooManyChallenges"
  | "reservedAddress"
  | "tooManyWallets";

export type SiweRefused = { ok: false; reason: LinkRefusal };

/** What the portal binds its messages to: the host and origin of AUTH_URL, and the chain's id. */
export function siweBinding(): { domain: string; uri: string; chainId: number } {
  const url = new URL(env().authUrl);
  return { domain: url.host, uri: url.origin, chainId: env().chain.chainId };
}

/** A fresh challenge for `address`: a nonce stored for this user (10 minutes) and the message to sign. */
export async function issueSiweChallenge(userId: string, address: string, now = new Date(), db: DbOrTx = getDb()): Promise<{ ok: true; message: string; nonce: string } | SiweRefused> {
  if (!isAddress(address, { strict: false })) return { ok: false, reason: "malformed" };
  const expiresAt = new Date(now.getTime() + CHALLENGE_MS);
  const nonce = generateSiweNonce();
  const issued = await db.transaction(async (tx) => {
    // One user's challenges are counted and added one request at a time.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`siwe:${userId}`}))`);
    // Expired challenges are dead weight: a message past its expiry is refused as expired before its nonce is looked up.
    await tx.delete(siweNonces).where(and(eq(siweNonces.userId, userId), lt(siweNonces.expiresAt, now)));
    const [open] = await tx
      .select({ n: count() })
      .from(siweNonces)
      .where(and(eq(siweNonces.userId, userId), isNull(siweNonces.usedAt), gt(siweNonces.expiresAt, now)));
    if ((open?.n ?? 0) >= MAX_OPEN_CHALLENGES) return false;
    await tx.insert(siweNonces).values({ nonce, userId, issuedAt: now, expiresAt });
    return true;
  });
  if (!issued) return { ok: false, reason: "tooManyChallenges" };
  const { domain, uri, chainId } = siweBinding();
  const message = createSiweMessage({ domain, uri, chainId, version: "1", address: getAddress(address), statement: SIWE_STATEMENT, nonce, issuedAt: now, expirationTime: expiresAt });
  return { ok: true, message, nonce };
}

/**
 * The signature is checked locally for an ordinary (EOA) wallet; otherwise the node is asked
 * (ERC-1271 / ERC-6492 smart-contract wallets). An unreachable node counts as a bad signature:
 * the investor can try again.
 */
async function signatureMatches(address: Address, message: string, signature: Hex): Promise<boolean> {
  try {
    if (await verifyMessage({ address, message, signature })) return true;
  } catch {
    // Not an ECDSA signature: perhaps a smart-contract wallet's.
  }
  try {
    return await chainReader().client.verifyMessage({ address, message, signature });
  } catch {
    return false;
  }
}

export type CheckedSiwe = { ok: true; address: Address; nonce: string };

/**
 * Every check but spending the nonce: the message must be exactly one the portal issued to this
 * user (domain, URI, chain, version, statement, times and nonce), unexpired and unused, and signed by its address.
 */
export async function checkSiweLink(userId: string, message: string, signature: string, now = new Date(), db: DbOrTx = getDb()): Promise<CheckedSiwe | SiweRefused> {
  const refuse = (reason: LinkRefusal): SiweRefused => ({ ok: false, reason });
  const fields = parseSiweMessage(message);
  if (!fields.address || !isAddress(fields.address, { strict: false }) || !fields.nonce || !fields.domain || !fields.uri || fields.chainId === undefined) return refuse("malformed");
  if (fields.version !== "1" || !fields.issuedAt || !fields.expirationTime) return refuse("malformed");
  if (Number.isNaN(fields.issuedAt.getTime()) || Number.isNaN(fields.expirationTime.getTime())) return refuse("malformed");
  const binding = siweBinding();
  if (fields.domain !== binding.domain || fields.uri !== binding.uri || (fields.scheme !== undefined && `${fields.scheme}://${fields.domain}` !== binding.uri)) return refuse("wrongDomain");
  if (fields.chainId !== binding.chainId) return refuse("wrongChain");
  if (fields.expirationTime.getTime() <= now.getTime()) return refuse("expired");
  if (fields.issuedAt.getTime() > now.getTime() + SKEW_MS || (fields.notBefore && fields.notBefore.getTime() > now.getTime() + SKEW_MS)) return refuse("notYetValid");
  const [issued] = await db
    .select()
    .from(siweNonces)
    .where(and(eq(siweNonces.nonce, fields.nonce), eq(siweNonces.userId, userId)));
  if (!issued) return refuse("unknownNonce");
  if (issued.usedAt) return refuse("replayed");
  if (issued.expiresAt.getTime() <= now.getTime()) return refuse("expired");
  const address = getAddress(fields.address);
  // Rebuilt from what was issued: any other statement, time, resource or layout is not our message.
  const expected = createSiweMessage({
    ...binding,
    version: "1",
    address,
    statement: SIWE_STATEMENT,
    nonce: issued.nonce,
    issuedAt: issued.issuedAt,
    expirationTime: issued.expiresAt,
  });
  if (expected !== message) return refuse("malformed");
  if (!(await signatureMatches(address, message, signature as Hex))) return refuse("badSignature");
  return { ok: true, address, nonce: issued.nonce };
}

/** Spends the nonce: true for exactly one caller, however many submit the same message at once. */
export async function spendNonce(db: DbOrTx, userId: string, nonce: string, now = new Date()): Promise<boolean> {
  const spent = await db
    .update(siweNonces)
    .set({ usedAt: now })
    .where(and(eq(siweNonces.nonce, nonce), eq(siweNonces.userId, userId), isNull(siweNonces.usedAt), gt(siweNonces.expiresAt, now)))
    .returning({ nonce: siweNonces.nonce });
  return spent.length === 1;
}

/** Checks a signed message and spends its nonce; the address it proves, or why not. */
export async function verifySiweLink(userId: string, message: string, signature: string, now = new Date(), db: DbOrTx = getDb()): Promise<CheckedSiwe | SiweRefused> {
  const checked = await checkSiweLink(userId, message, signature, now, db);
  if (!checked.ok) return checked;
  return (await spendNonce(db, userId, checked.nonce, now)) ? checked : { ok: false, reason: "replayed" };
}

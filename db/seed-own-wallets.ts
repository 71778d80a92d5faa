import { eq, inArray } from "drizzle-orm";
import { getAddress, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createSiweMessage, generateSiweNonce } from "viem/siwe";
import { recordAudit } from "@/lib/audit";
import { WELL_KNOWN_DEV_ACCOUNTS } from "@/lib/chain/dev-accounts";
import { env } from "@/lib/env";
import type { Tx } from "./client";
import { linkedWalletApprovals, linkedWallets, siweNonces, users, villages } from "./schema";

// The demo investor's own wallet (db/seed.ts calls this for an empty database, after the holders).

/** The demo investor whose own wallet is linked. */
export const DEMO_LINKED_WALLET_EMAIL = "kaito.hamada@example.jp";

/**
 * Hardhat test-mnemonic account 9: a public dev key (anyone can import it into a browser wallet
 * for the local chain, id 31337; it means nothing anywhere else). The dev chain funds it with the
 * dev stablecoin once and allowlists it on the tokens it is approved for.
 */
export const DEMO_LINKED_WALLET = { address: getAddress(WELL_KNOWN_DEV_ACCOUNTS[9]![0]), privateKey: WELL_KNOWN_DEV_ACCOUNTS[9]![1] as Hex };

/** Hardhat test-mnemonic account 8: both demo issuers' "village treasury" for stablecoin payments on the dev chain. */
export const DEMO_VILLAGE_TREASURY: Address = getAddress(WELL_KNOWN_DEV_ACCOUNTS[8]![0]);

const DEV_CHAIN_ID = 31337;
const MINUTE_MS = 60_000;

/** An EIP-4361 message as the links page asks for it, signed by the demo key now. */
async function signedLink(now: Date): Promise<{ message: string; signature: Hex; nonce: string }> {
  const account = privateKeyToAccount(DEMO_LINKED_WALLET.privateKey);
  const uri = env().authUrl;
  const nonce = generateSiweNonce();
  const message = createSiweMessage({
    address: account.address,
    chainId: DEV_CHAIN_ID,
    domain: new URL(uri).host,
    uri,
    version: "1",
    nonce,
    issuedAt: now,
    expirationTime: new Date(now.getTime() + 10 * MINUTE_MS),
    statement: "Link this wallet to my account on the village offering portal.",
  });
  return { message, signature: await account.signMessage({ message }), nonce };
}

/**
 * The demo investor has linked the demo key's address (a real SIWE signature, its nonce used), and
 * staff of each issuer approved it for their token's allowlist; the allowlisting itself is the dev
 * chain's (scripts/lib/dev-platform.ts). Both issuers take stablecoin payments to the treasury address.
 */
export async function seedOwnWallets(tx: Tx, input: { issuers: { villageId: string; offeringId: string; staffId: string }[]; now: Date }): Promise<void> {
  const { issuers, now } = input;
  const [investor] = await tx.select({ id: users.id }).from(users).where(eq(users.email, DEMO_LINKED_WALLET_EMAIL));
  if (!investor) throw new Error(`the demo investor ${DEMO_LINKED_WALLET_EMAIL} is not seeded`);
  const linkedAt = new Date(now.getTime() - 2 * 24 * 60 * MINUTE_MS);
  const { message, signature, nonce } = await signedLink(linkedAt);
  await tx.insert(siweNonces).values({ nonce, userId: investor.id, issuedAt: linkedAt, expiresAt: new Date(linkedAt.getTime() + 10 * MINUTE_MS), usedAt: linkedAt });
  const [link] = await tx.insert(linkedWallets).values({ userId: investor.id, address: DEMO_LINKED_WALLET.address, siweMessage: message, signature, linkedAt }).returning();
  await recordAudit(tx, { actorId: investor.id, action: "wallet_link.linked", targetType: "linked_wallet", targetId: link!.id, detail: { address: link!.address } });
  for (const [i, issuer] of issuers.entries()) {
    const decidedAt = new Date(linkedAt.getTime() + (60 + i * 15) * MINUTE_MS);
    const [approval] = await tx
      .insert(linkedWalletApprovals)
      .values({ linkedWalletId: link!.id, offeringId: issuer.offeringId, status: "approved", requestedAt: linkedAt, decidedBy: issuer.staffId, decidedAt })
      .returning();
    await recordAudit(tx, {
      actorId: issuer.staffId,
      action: "wallet_link.approved",
      targetType: "linked_wallet",
      targetId: link!.id,
      detail: { address: link!.address, offeringId: issuer.offeringId, approvalId: approval!.id },
    });
  }
  await tx
    .update(villages)
    .set({ stablecoinPayee: DEMO_VILLAGE_TREASURY })
    .where(
      inArray(
        villages.id,
        issuers.map((issuer) => issuer.villageId),
      ),
    );
}

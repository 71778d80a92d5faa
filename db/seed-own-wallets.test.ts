import { eq } from "drizzle-orm";
import { verifyMessage } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { parseSiweMessage, validateSiweMessage } from "viem/siwe";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { env } from "@/lib/env";
import { issuerStaff, linkedWalletApprovals, linkedWallets, offerings, siweNonces, users, villages } from "./schema";
import { DEMO_OFFERING_SLUG, DEMO_OTHER_OFFERING_SLUG, seedIfEmpty } from "./seed";
import { DEMO_LINKED_WALLET, DEMO_LINKED_WALLET_EMAIL, DEMO_VILLAGE_TREASURY } from "./seed-own-wallets";

const now = new Date();

beforeAll(async () => {
  expect(await seedIfEmpty(getDb(), now)).toBe(true);
});

async function demoLink() {
  const [row] = await getDb().select({ link: linkedWallets, email: users.email }).from(linkedWallets).innerJoin(users, eq(users.id, linkedWallets.userId));
  return row!;
}

describe("the demo investor's own wallet", () => {
  it("is Hardhat's public dev account 9, linked by the demo investor only", async () => {
    expect(DEMO_LINKED_WALLET.address).toBe("0xa0Ee7A142d267C1f36714E4a8F75612F20a79720");
    expect(privateKeyToAccount(DEMO_LINKED_WALLET.privateKey).address).toBe(DEMO_LINKED_WALLET.address);
    expect(DEMO_VILLAGE_TREASURY).toBe("0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f");
    const links = await getDb().select().from(linkedWallets);
    expect(links).toHaveLength(1);
    const { link, email } = await demoLink();
    expect(email).toBe(DEMO_LINKED_WALLET_EMAIL);
    expect(link).toMatchObject({ address: DEMO_LINKED_WALLET.address, status: "active", unlinkedAt: null });
  });

  it("carries a real SIWE message for this portal and chain 31337, signed by that address, its nonce used", async () => {
    const { link } = await demoLink();
    const message = parseSiweMessage(link.siweMessage);
    const authUrl = env().authUrl;
    expect(message).toMatchObject({ address: DEMO_LINKED_WALLET.address, chainId: 31337, domain: new URL(authUrl).host, uri: authUrl, version: "1" });
    expect(await verifyMessage({ address: DEMO_LINKED_WALLET.address, message: link.siweMessage, signature: link.signature as `0x${string}` })).toBe(true);
    expect(await verifyMessage({ address: DEMO_VILLAGE_TREASURY, message: link.siweMessage, signature: link.signature as `0x${string}` })).toBe(false);
    expect(validateSiweMessage({ message, address: DEMO_LINKED_WALLET.address, domain: new URL(authUrl).host, nonce: message.nonce, time: link.linkedAt })).toBe(true);
    expect(message.issuedAt!.getTime()).toBe(link.linkedAt.getTime());
    const [nonce] = await getDb().select().from(siweNonces).where(eq(siweNonces.nonce, message.nonce!));
    expect(nonce).toMatchObject({ userId: link.userId, usedAt: link.linkedAt });
  });

  it("is approved for the harbour and forest tokens by staff of each issuer, not yet allowlisted (the dev chain does that)", async () => {
    const { link } = await demoLink();
    const rows = await getDb()
      .select({ approval: linkedWalletApprovals, slug: offerings.slug, villageId: offerings.villageId })
      .from(linkedWalletApprovals)
      .innerJoin(offerings, eq(offerings.id, linkedWalletApprovals.offeringId))
      .where(eq(linkedWalletApprovals.linkedWalletId, link.id));
    expect(rows.map((row) => row.slug).sort()).toEqual([DEMO_OFFERING_SLUG, DEMO_OTHER_OFFERING_SLUG].sort());
    for (const { approval, villageId } of rows) {
      expect(approval).toMatchObject({ status: "approved", allowlistTxId: null, allowlistedAt: null, delistTxId: null });
      expect(approval.decidedAt!.getTime()).toBeGreaterThan(link.linkedAt.getTime());
      const [membership] = await getDb().select().from(issuerStaff).where(eq(issuerStaff.userId, approval.decidedBy!));
      expect(membership!.issuerId).toBe(villageId);
    }
  });

  it("lets both demo issuers take stablecoin payments to the dev chain's village treasury (account 8)", async () => {
    const rows = await getDb().select({ slug: villages.slug, payee: villages.stablecoinPayee }).from(villages);
    expect(rows.sort((a, b) => a.slug.localeCompare(b.slug))).toEqual([
      { slug: "nishimori", payee: DEMO_VILLAGE_TREASURY },
      { slug: "umibe", payee: DEMO_VILLAGE_TREASURY },
    ]);
  });
});

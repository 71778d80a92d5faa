import { eq } from "drizzle-orm";
import { createSiweMessage } from "viem/siwe";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { chainTransactions, ledgerEntries, linkedWalletApprovals, offerings, siweNonces, withdrawals } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/roles";
import { makeInvestor, makeOffering } from "@/test/chain-support";
import { testDb } from "@/test/db";
import { makeUser } from "@/test/fixtures";
import { approvalsOf, approvedInvestor, auditCount, browserWallet, jobCount, linksOf, onboard, signedChallenge } from "@/test/actions/own-wallets-world";
import { linkWallet, requestApproval, startWalletLink, unlinkWallet } from "./link";
import { activeLinkedWalletsOf } from "./queries";
import { checkSiweLink, issueSiweChallenge, MAX_OPEN_CHALLENGES, SIWE_STATEMENT, siweBinding, spendNonce, verifySiweLink } from "./siwe";

const MINUTE = 60_000;
let held: { id: string };
let open: { id: string };

async function withToken(offering: { id: string }, status: "open" | "draft" = "open") {
  await getDb()
    .update(offerings)
    .set({ chainId: 31337, tokenAddress: `0x${offering.id.replace(/-/g, "").slice(0, 40)}`, status })
    .where(eq(offerings.id, offering.id));
}

beforeAll(async () => {
  held = await makeOffering(getDb());
  open = await makeOffering(getDb());
  await withToken(held, "draft");
  await withToken(open);
});

describe("linking an own wallet by a SIWE signature", () => {
  it("links the signed address once, spends the nonce and asks approval for the tokens held", async () => {
    const investor = await approvedInvestor();
    await getDb().insert(ledgerEntries).values({ kind: "tokens_allocated", offeringId: held.id, userId: investor.id, units: 5, detail: {} });
    const wallet = browserWallet();
    const { message, signature } = await signedChallenge(investor.id, wallet);
    expect(message).toContain(`${siweBinding().domain} wants you to sign in with your Ethereum account:\n${wallet.address}`);
    expect(message).toContain(`Chain ID: ${siweBinding().chainId}`);
    const result = await linkWallet(investor.id, message, signature);
    expect(result).toMatchObject({ ok: true, created: true, requested: [held.id] });
    const [link] = await linksOf(investor.id);
    expect(link).toMatchObject({ address: wallet.address, status: "active", siweMessage: message, signature });
    expect((await approvalsOf(link!.id)).map((row) => [row.offeringId, row.status])).toEqual([[held.id, "requested"]]);
    expect(await auditCount("wallet_link.linked", link!.id)).toBe(1);
    const [nonce] = await getDb().select().from(siweNonces).where(eq(siweNonces.userId, investor.id));
    expect(nonce!.usedAt).not.toBeNull();
  });

  it("refuses the same message and signature a second time, and links once when both are sent at once", async () => {
    const investor = await approvedInvestor();
    const wallet = browserWallet();
    const signed = await signedChallenge(investor.id, wallet);
    expect((await linkWallet(investor.id, signed.message, signed.signature)).ok).toBe(true);
    expect(await linkWallet(investor.id, signed.message, signed.signature)).toEqual({ ok: false, reason: "replayed" });

    const other = await approvedInvestor();
    const twice = await signedChallenge(other.id, browserWallet());
    const results = await Promise.all([1, 2, 3, 4].map(() => linkWallet(other.id, twice.message, twice.signature)));
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok)).toEqual([1, 2, 3].map(() => ({ ok: false, reason: "replayed" })));
    expect(await linksOf(other.id)).toHaveLength(1);
    expect(await auditCount("wallet_link.linked", (await linksOf(other.id))[0]!.id)).toBe(1);
  });

  it("spends a checked nonce for exactly one of two submissions that both passed the checks", async () => {
    const investor = await approvedInvestor();
    const { message, signature } = await signedChallenge(investor.id, browserWallet());
    const checks = await Promise.all([checkSiweLink(investor.id, message, signature), checkSiweLink(investor.id, message, signature)]);
    expect(checks.every((check) => check.ok)).toBe(true);
    const nonce = (checks[0] as { nonce: string }).nonce;
    const [a, b] = [testDb(2), testDb(2)];
    try {
      const spent = await Promise.all([a.db.transaction((tx) => spendNonce(tx, investor.id, nonce)), b.db.transaction((tx) => spendNonce(tx, investor.id, nonce))]);
      expect(spent.filter(Boolean)).toHaveLength(1);
    } finally {
      await Promise.all([a.client.end(), b.client.end()]);
    }
    expect(await verifySiweLink(investor.id, message, signature)).toEqual({ ok: false, reason: "replayed" });
  });

  it("refuses a message signed after it expired (10 minutes), by the injected clock", async () => {
    const investor = await approvedInvestor();
    const issuedAt = new Date(Date.now() - 30 * MINUTE);
    const { message, signature } = await signedChallenge(investor.id, browserWallet(), issuedAt);
    expect(await linkWallet(investor.id, message, signature, new Date(issuedAt.getTime() + 11 * MINUTE))).toEqual({ ok: false, reason: "expired" });
    expect(await linksOf(investor.id)).toHaveLength(0);
    // A minute before the end it would have been taken.
    expect((await linkWallet(investor.id, message, signature, new Date(issuedAt.getTime() + 9 * MINUTE))).ok).toBe(true);
  });

  it("refuses another domain, another chain, another user's nonce, a changed message and a foreign signature", async () => {
    const investor = await approvedInvestor();
    const wallet = browserWallet();
    const issued = await issueSiweChallenge(investor.id, wallet.address);
    if (!issued.ok) throw new Error("no challenge");
    const { domain, uri, chainId } = siweBinding();
    const now = new Date();
    const base = { address: wallet.address, version: "1" as const, statement: SIWE_STATEMENT, nonce: issued.nonce, issuedAt: now, expirationTime: new Date(now.getTime() + 10 * MINUTE) };
    const signedAs = async (fields: Partial<Parameters<typeof createSiweMessage>[0]>) => {
      const message = createSiweMessage({ ...base, domain, uri, chainId, ...fields });
      return linkWallet(investor.id, message, await wallet.signMessage({ message }));
    };
    expect(await signedAs({ domain: "evil.example", uri: "https://evil.example" })).toEqual({ ok: false, reason: "wrongDomain" });
    expect(await signedAs({ chainId: 1 })).toEqual({ ok: false, reason: "wrongChain" });
    // The issued message with its statement changed, then signed: not ours.
    expect(await signedAs({ statement: "Send all my tokens away" })).toEqual({ ok: false, reason: "malformed" });
    // The issued message signed, then changed: the signature no longer fits (the address in it is someone else's).
    const tampered = issued.message.replace(wallet.address, browserWallet().address);
    expect(await linkWallet(investor.id, tampered, await wallet.signMessage({ message: tampered }))).toEqual({ ok: false, reason: "badSignature" });
    expect(await linkWallet(investor.id, issued.message, await browserWallet().signMessage({ message: issued.message }))).toEqual({ ok: false, reason: "badSignature" });
    // Another investor's challenge, signed by this investor's wallet.
    const someoneElse = await approvedInvestor();
    const theirs = await issueSiweChallenge(someoneElse.id, wallet.address);
    if (!theirs.ok) throw new Error("no challenge");
    expect(await linkWallet(investor.id, theirs.message, await wallet.signMessage({ message: theirs.message }))).toEqual({ ok: false, reason: "unknownNonce" });
    expect(await verifySiweLink(investor.id, "not a SIWE message", "0x00")).toEqual({ ok: false, reason: "malformed" });
    expect(await linksOf(investor.id)).toHaveLength(0);
    // None of it spent the real challenge.
    expect((await linkWallet(investor.id, issued.message, await wallet.signMessage({ message: issued.message }))).ok).toBe(true);
  });

  it("refuses an address active for another investor, and takes the same address again for the same investor as the same link", async () => {
    const [first, second] = [await approvedInvestor(), await approvedInvestor()];
    const wallet = browserWallet();
    const a = await signedChallenge(first.id, wallet);
    const linked = await linkWallet(first.id, a.message, a.signature);
    if (!linked.ok) throw new Error(linked.reason);
    const b = await signedChallenge(second.id, wallet);
    expect(await linkWallet(second.id, b.message, b.signature)).toEqual({ ok: false, reason: "alreadyLinkedToSomeoneElse" });
    const again = await signedChallenge(first.id, wallet);
    expect(await linkWallet(first.id, again.message, again.signature)).toMatchObject({ ok: true, created: false, wallet: { id: linked.wallet.id } });
    expect(await linksOf(first.id)).toHaveLength(1);
    // Unlinked, the address is free for the other investor.
    expect(await unlinkWallet(first.id, linked.wallet.id)).toEqual({ ok: true, delisting: 0 });
    const c = await signedChallenge(second.id, wallet);
    expect((await linkWallet(second.id, c.message, c.signature)).ok).toBe(true);
  });

  it("lets only an investor who finished onboarding link, and limits the open challenges", async () => {
    const newcomer = await makeUser();
    expect(await startWalletLink(newcomer.id, browserWallet().address)).toEqual({ ok: false, reason: "notApproved" });
    const { userId } = await makeInvestor(getDb());
    expect(await startWalletLink(userId, browserWallet().address)).toEqual({ ok: false, reason: "notApproved" });
    await onboard(userId);
    const wallet = browserWallet();
    for (let i = 0; i < MAX_OPEN_CHALLENGES; i++) expect((await startWalletLink(userId, wallet.address)).ok).toBe(true);
    expect(await startWalletLink(userId, wallet.address)).toEqual({ ok: false, reason: "tooManyChallenges" });
    // Expired challenges no longer count.
    expect((await startWalletLink(userId, wallet.address, new Date(Date.now() + 11 * MINUTE))).ok).toBe(true);
  });
});

describe("asking approval and unlinking", () => {
  let investor: SessionUser;
  let linkedWalletId: string;

  beforeAll(async () => {
    investor = await approvedInvestor();
    const { message, signature } = await signedChallenge(investor.id, browserWallet());
    const linked = await linkWallet(investor.id, message, signature);
    if (!linked.ok) throw new Error(linked.reason);
    linkedWalletId = linked.wallet.id;
  });

  it("asks approval for an open offering, not for a draft one the investor does not hold, and never for someone else's wallet", async () => {
    expect(await requestApproval(investor.id, linkedWalletId, open.id)).toMatchObject({ ok: true, status: "requested" });
    expect(await requestApproval(investor.id, linkedWalletId, open.id)).toMatchObject({ ok: true, status: "already" });
    expect(await requestApproval(investor.id, linkedWalletId, held.id)).toEqual({ ok: false, error: "notEligible" });
    const stranger = await approvedInvestor();
    expect(await requestApproval(stranger.id, linkedWalletId, open.id)).toEqual({ ok: false, error: "notFound" });
    expect(await unlinkWallet(stranger.id, linkedWalletId)).toEqual({ ok: false, error: "notFound" });
  });

  it("asks again after a refusal", async () => {
    const [approval] = (await approvalsOf(linkedWalletId)).filter((row) => row.offeringId === open.id);
    await getDb().update(linkedWalletApprovals).set({ status: "rejected", reason: "no" }).where(eq(linkedWalletApprovals.id, approval!.id));
    expect(await requestApproval(investor.id, linkedWalletId, open.id)).toEqual({ ok: true, approvalId: approval!.id, status: "requested" });
    expect((await approvalsOf(linkedWalletId)).find((row) => row.id === approval!.id)).toMatchObject({ status: "requested", reason: null });
  });

  it("refuses to unlink while a withdrawal to the wallet is on its way; then removes every approval and queues the delisting of allowlisted ones", async () => {
    const [link] = await linksOf(investor.id);
    const [withdrawal] = await getDb()
      .insert(withdrawals)
      .values({ userId: investor.id, offeringId: open.id, linkedWalletId, fromAddress: link!.address, toAddress: link!.address, units: 1, requestKey: `k-${linkedWalletId}` })
      .returning();
    expect(await unlinkWallet(investor.id, linkedWalletId)).toEqual({ ok: false, error: "withdrawalInFlight" });
    await getDb().update(withdrawals).set({ status: "confirmed" }).where(eq(withdrawals.id, withdrawal!.id));
    const [approval] = await approvalsOf(linkedWalletId);
    // As if the allowlisting had gone through.
    const [tx] = await getDb()
      .insert(chainTransactions)
      .values({
        signer: "0x0000000000000000000000000000000000000001",
        chainId: 31337,
        kind: "allowlist",
        status: "confirmed",
        payload: { contract: "VillageToken", functionName: "setAllowlisted", args: [], to: null, data: "0x", ref: {} },
      })
      .returning();
    await getDb().update(linkedWalletApprovals).set({ status: "approved", allowlistTxId: tx!.id, allowlistedAt: new Date() }).where(eq(linkedWalletApprovals.id, approval!.id));
    expect(await unlinkWallet(investor.id, linkedWalletId)).toEqual({ ok: true, delisting: 1 });
    expect((await approvalsOf(linkedWalletId)).map((row) => row.status)).toEqual(["removed"]);
    expect(await jobCount(approval!.id)).toBe(1);
    expect(await activeLinkedWalletsOf(getDb(), investor.id)).toEqual([]);
    expect(await auditCount("wallet_link.unlinked", linkedWalletId)).toBe(1);
    expect(await unlinkWallet(investor.id, linkedWalletId)).toEqual({ ok: false, error: "notFound" });
  });
});

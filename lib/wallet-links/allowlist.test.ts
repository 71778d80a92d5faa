import { eq, sql } from "drizzle-orm";
import type { Address } from "viem";
import type { PrivateKeyAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";
import { getDb } from "@/db/client";
import { chainTransactions, linkedWalletApprovals, offerings, type Offering } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/roles";
import { listChainIssues, retryChainTransaction } from "@/lib/chain/chain-issues";
import type { ChainContext } from "@/lib/chain/context";
import { operatorOf } from "@/lib/chain/operator";
import { approvalById, approvedInvestor, auditCount, browserWallet, jobCount, noticeCount, signedChallenge } from "@/test/actions/own-wallets-world";
import { startChainOffering, testChainContext, type HardhatNode } from "@/test/chain-support";
import { makeStaffOf } from "@/test/coupon-world";
import { approveLinkedWallet } from "./approvals";
import { runLinkedWalletAllowlist, sweepLinkedWalletAllowlists } from "./allowlist";
import { linkWallet, requestApproval, unlinkWallet } from "./link";
import { approvedAllowlistedAddress, linkedAddressesOfOffering } from "./queries";

// The allowlisting of an approved own wallet and its removal after an unlink, on a local chain:
// once each on chain however many workers run the job, and finished after a crash by the sweep.

let node: HardhatNode;
let ctx: ChainContext;
let offering: Offering;
let token: Address;
let staff: SessionUser;

beforeAll(async () => {
  const started = await startChainOffering(getDb());
  ({ node, ctx } = started);
  token = started.offering.token;
  [offering] = (await getDb().select().from(offerings).where(eq(offerings.id, started.offering.id))) as [Offering];
  staff = await makeStaffOf(offering.villageId);
}, 120_000);

afterAll(async () => {
  await node?.stop();
});

const onAllowlist = (address: Address) => ctx.client.readContract({ address: token, abi: villageTokenAbi, functionName: "isAllowlisted", args: [address] });

const txsOf = async (approvalId: string, kind: "allowlist" | "delist") =>
  getDb().select().from(chainTransactions).where(sql`${chainTransactions.kind} = ${kind} and ${chainTransactions.payload}->'ref'->>'linkedWalletApprovalId' = ${approvalId}`);

/** An investor's wallet linked and asking approval on the offering; returns the approval. */
async function requested(): Promise<{ investor: SessionUser; wallet: PrivateKeyAccount; linkedWalletId: string; approvalId: string }> {
  const investor = await approvedInvestor();
  const wallet = browserWallet();
  const { message, signature } = await signedChallenge(investor.id, wallet);
  const linked = await linkWallet(investor.id, message, signature);
  if (!linked.ok) throw new Error(linked.reason);
  const asked = await requestApproval(investor.id, linked.wallet.id, offering.id);
  if (!asked.ok) throw new Error(asked.error);
  return { investor, wallet, linkedWalletId: linked.wallet.id, approvalId: asked.approvalId };
}

describe("an approved own wallet on the token's allowlist", () => {
  it("is allowlisted once on chain when two workers run the job at once, and taken off once after the unlink", async () => {
    const { investor, wallet, linkedWalletId, approvalId } = await requested();
    expect(await approveLinkedWallet(staff, { offeringId: offering.id, approvalId })).toEqual({ ok: true });
    expect(await jobCount(approvalId)).toBe(1);
    expect(await approvedAllowlistedAddress(getDb(), { userId: investor.id, offeringId: offering.id, address: wallet.address })).toBeNull();

    const second = testChainContext(getDb(), node.rpcUrl);
    expect(await Promise.all([runLinkedWalletAllowlist(ctx, approvalId), runLinkedWalletAllowlist(second, approvalId)])).toEqual(["allowlisted", "allowlisted"]);
    expect(await txsOf(approvalId, "allowlist")).toHaveLength(1);
    expect(await onAllowlist(wallet.address)).toBe(true);
    expect((await approvalById(approvalId)).allowlistedAt).not.toBeNull();
    expect(await auditCount("wallet_link.allowlisted", linkedWalletId)).toBe(1);
    expect(await noticeCount(investor.id, "wallet_link_approved")).toBe(1);
    expect(await approvedAllowlistedAddress(getDb(), { userId: investor.id, offeringId: offering.id, address: wallet.address.toLowerCase() })).toMatchObject({ id: linkedWalletId });
    expect(await linkedAddressesOfOffering(getDb(), offering.id)).toContainEqual({ userId: investor.id, address: wallet.address });
    // A third run and the sweep find nothing left to send.
    expect(await runLinkedWalletAllowlist(ctx, approvalId)).toBe("allowlisted");
    await sweepLinkedWalletAllowlists(ctx);
    expect(await txsOf(approvalId, "allowlist")).toHaveLength(1);

    expect(await unlinkWallet(investor.id, linkedWalletId)).toEqual({ ok: true, delisting: 1 });
    expect(await Promise.all([runLinkedWalletAllowlist(ctx, approvalId), runLinkedWalletAllowlist(second, approvalId)])).toEqual(["delisted", "delisted"]);
    expect(await txsOf(approvalId, "delist")).toHaveLength(1);
    expect(await onAllowlist(wallet.address)).toBe(false);
    expect(await approvalById(approvalId)).toMatchObject({ status: "removed", delistedAt: expect.any(Date) });
    expect(await auditCount("wallet_link.delisted", linkedWalletId)).toBe(1);
    expect(await approvedAllowlistedAddress(getDb(), { userId: investor.id, offeringId: offering.id, address: wallet.address })).toBeNull();
    expect(await linkedAddressesOfOffering(getDb(), offering.id)).not.toContainEqual({ userId: investor.id, address: wallet.address });
    expect(await linkedAddressesOfOffering(getDb(), offering.id, { includeUnlinked: true })).toContainEqual({ userId: investor.id, address: wallet.address });
  });

  it("after a crash before the broadcast and an unlink meanwhile, the sweep books the allowlisting and then takes the address off", async () => {
    const { investor, wallet, linkedWalletId, approvalId } = await requested();
    expect(await approveLinkedWallet(staff, { offeringId: offering.id, approvalId })).toEqual({ ok: true });
    const crashing = testChainContext(getDb(), node.rpcUrl, {
      hooks: {
        beforeBroadcast: () => {
          throw new Error("crash before broadcast");
        },
      },
    });
    await expect(runLinkedWalletAllowlist(crashing, approvalId)).rejects.toThrow("crash before broadcast");
    expect(await approvalById(approvalId)).toMatchObject({ allowlistTxId: expect.any(String), allowlistedAt: null });
    expect(await unlinkWallet(investor.id, linkedWalletId)).toEqual({ ok: true, delisting: 1 });

    expect(await sweepLinkedWalletAllowlists(ctx)).toBeGreaterThanOrEqual(1);
    expect(await approvalById(approvalId)).toMatchObject({ status: "removed", allowlistedAt: expect.any(Date), delistedAt: expect.any(Date) });
    expect(await txsOf(approvalId, "allowlist")).toHaveLength(1);
    expect(await txsOf(approvalId, "delist")).toHaveLength(1);
    expect(await onAllowlist(wallet.address)).toBe(false);
    // Removed before it landed: the investor is not told it is on the allowlist.
    expect(await noticeCount(investor.id, "wallet_link_approved")).toBe(0);
    expect(await sweepLinkedWalletAllowlists(ctx)).toBe(0);
  });

  it("leaves a failed allowlisting to staff, who retry it from the chain page through the approval's job", async () => {
    const { wallet, approvalId } = await requested();
    expect(await approveLinkedWallet(staff, { offeringId: offering.id, approvalId })).toEqual({ ok: true });
    const [failed] = await getDb()
      .insert(chainTransactions)
      .values({
        signer: ctx.account.address,
        chainId: ctx.chainId,
        kind: "allowlist",
        status: "failed",
        error: "execution reverted",
        payload: { contract: "VillageToken", functionName: "setAllowlisted", args: [], to: token, data: "0x", ref: { linkedWalletApprovalId: approvalId, offeringId: offering.id } },
      })
      .returning();
    await getDb().update(linkedWalletApprovals).set({ allowlistTxId: failed!.id }).where(eq(linkedWalletApprovals.id, approvalId));
    expect(await runLinkedWalletAllowlist(ctx, approvalId)).toBe("failed");
    expect(await sweepLinkedWalletAllowlists(ctx)).toBe(0);
    const op = operatorOf(ctx);
    expect((await listChainIssues(op, offering)).map((issue) => issue.id)).toContain(failed!.id);

    expect(await retryChainTransaction(op, { offering, txId: failed!.id, staffId: staff.id })).toEqual({ ok: true });
    expect(await jobCount(approvalId)).toBe(2);
    expect((await listChainIssues(op, offering)).map((issue) => issue.id)).not.toContain(failed!.id);
    expect(await runLinkedWalletAllowlist(ctx, approvalId)).toBe("allowlisted");
    expect(await onAllowlist(wallet.address)).toBe(true);
    expect(await txsOf(approvalId, "allowlist")).toHaveLength(2);
  });
});

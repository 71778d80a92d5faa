import { and, eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { as, form, run } from "@/test/session-mock";
import { linkWalletAction, requestApprovalAction, unlinkWalletAction, walletChallengeAction } from "@/app/(investor)/account/wallets/actions";
import { approveLinkedWalletAction, rejectLinkedWalletAction } from "@/app/(staff)/staff/offerings/[id]/wallets/actions";
import { getDb } from "@/db/client";
import { identityDocuments, linkedWalletApprovals, linkedWallets, notifications, type Offering } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/roles";
import { approvalById, approvalsOf, approvedInvestor, browserWallet, jobCount, linksOf, onboard } from "./own-wallets-world";
import { twoIssuerWorld } from "./attack-world";

// Attacks on own wallets through the server actions: a replayed signature, someone else's link,
// staff of another issuer (or an investor) deciding, and staff approving their own wallet.

let staffA: SessionUser;
let staffB: SessionUser;
let offeringA: Offering;
let offeringB: Offering;

type Result = { status: string; message?: string; data?: { message: string }; fieldErrors?: Record<string, string> };

/** The browser's two steps through the actions: the challenge for the wallet's address, then the signed message. */
async function linkThroughActions(user: SessionUser, wallet = browserWallet()) {
  as.user = user;
  const issued = (await run(walletChallengeAction, form({ address: wallet.address.toLowerCase() }))) as Result;
  if (issued.status !== "ok" || !issued.data) throw new Error(`no challenge: ${JSON.stringify(issued)}`);
  const signed = { message: issued.data.message, signature: await wallet.signMessage({ message: issued.data.message }) };
  return { wallet, signed, result: (await run(linkWalletAction, form(signed))) as Result };
}

/** An investor with a linked wallet asking approval on offering A. */
async function askingA(): Promise<{ investor: SessionUser; linkedWalletId: string; approvalId: string }> {
  const investor = await approvedInvestor();
  const { result } = await linkThroughActions(investor);
  expect(result.status).toBe("ok");
  const [link] = await linksOf(investor.id);
  expect(await run(requestApprovalAction, form({ linkedWalletId: link!.id, offeringId: offeringA.id }))).toMatchObject({ status: "ok" });
  const [approval] = await approvalsOf(link!.id);
  return { investor, linkedWalletId: link!.id, approvalId: approval!.id };
}

beforeAll(async () => {
  ({ staffA, staffB, offeringA, offeringB } = await twoIssuerWorld());
});

beforeEach(() => {
  as.locale = "ja";
});

describe("linking through the actions", () => {
  it("links once; the same signed message sent again is refused in the reader's language", async () => {
    const investor = await approvedInvestor();
    const { wallet, signed, result } = await linkThroughActions(investor);
    expect(result).toMatchObject({ status: "ok", message: expect.stringContaining(wallet.address) });
    expect(await run(linkWalletAction, form(signed))).toEqual({ status: "error", message: "このメッセージはすでに使われました。もう一度やり直してください。" });
    as.locale = "en";
    expect(await run(linkWalletAction, form(signed))).toEqual({ status: "error", message: "This message was used already. Please start again." });
    expect(await linksOf(investor.id)).toHaveLength(1);
  });

  it("refuses an investor who has not finished onboarding, and a wallet another investor has linked", async () => {
    const [first, second] = [await approvedInvestor(), await approvedInvestor()];
    const { wallet } = await linkThroughActions(first);
    const newcomer = await approvedInvestor();
    await getDb().delete(identityDocuments).where(eq(identityDocuments.userId, newcomer.id));
    as.user = newcomer;
    expect(await run(walletChallengeAction, form({ address: browserWallet().address }))).toMatchObject({ status: "error", message: expect.stringContaining("本人確認") });
    await onboard(newcomer.id);
    expect((await linkThroughActions(newcomer)).result.status).toBe("ok");
    expect((await linkThroughActions(second, wallet)).result).toEqual({ status: "error", message: "このアドレスは別の方のアカウントに連携されています。" });
    expect(await linksOf(second.id)).toHaveLength(0);
  });

  it("refuses a malformed address and signature before anything is stored", async () => {
    as.user = await approvedInvestor();
    expect(await run(walletChallengeAction, form({ address: "0x1234" }))).toMatchObject({ status: "invalid", fieldErrors: { address: "ウォレットのアドレスが正しくありません。" } });
    expect(await run(linkWalletAction, form({ message: "x", signature: "0xnothex" }))).toMatchObject({ status: "invalid", fieldErrors: { signature: "署名の形式が正しくありません。" } });
  });

  it("never acts on another investor's link: no approval request, no unlink", async () => {
    const { linkedWalletId } = await askingA();
    as.user = await approvedInvestor();
    expect(await run(requestApprovalAction, form({ linkedWalletId, offeringId: offeringB.id }))).toEqual({ status: "error", message: "見つかりません。" });
    expect(await run(unlinkWalletAction, form({ linkedWalletId }))).toEqual({ status: "error", message: "見つかりません。" });
    expect(await approvalsOf(linkedWalletId)).toHaveLength(1);
    expect((await getDb().select().from(linkedWallets).where(eq(linkedWallets.id, linkedWalletId)))[0]!.status).toBe("active");
  });
});

describe("deciding an own wallet's approval", () => {
  it("is refused to staff of another issuer, whichever offering they name, and to an investor", async () => {
    const { investor, approvalId } = await askingA();
    as.user = staffB;
    expect(await run(approveLinkedWalletAction, form({ offeringId: offeringA.id, approvalId }))).toEqual({ status: "error", message: "申請が見つかりません。" });
    expect(await run(approveLinkedWalletAction, form({ offeringId: offeringB.id, approvalId }))).toEqual({ status: "error", message: "申請が見つかりません。" });
    expect(await run(rejectLinkedWalletAction, form({ offeringId: offeringA.id, approvalId, reason: "no" }))).toEqual({ status: "error", message: "申請が見つかりません。" });
    as.user = investor;
    expect(await run(approveLinkedWalletAction, form({ offeringId: offeringA.id, approvalId }))).toMatchObject({ status: "error" });
    expect(await approvalById(approvalId)).toMatchObject({ status: "requested", decidedBy: null });
    expect(await jobCount(approvalId)).toBe(0);
  });

  it("is refused to staff approving their own wallet", async () => {
    await onboard(staffA.id);
    const { result } = await linkThroughActions(staffA);
    expect(result.status).toBe("ok");
    const [link] = await linksOf(staffA.id);
    expect(await run(requestApprovalAction, form({ linkedWalletId: link!.id, offeringId: offeringA.id }))).toMatchObject({ status: "ok" });
    const [approval] = await approvalsOf(link!.id);
    expect(await run(approveLinkedWalletAction, form({ offeringId: offeringA.id, approvalId: approval!.id }))).toEqual({
      status: "error",
      message: "ご自身のウォレットは承認できません。別の担当者に判断を依頼してください。",
    });
    expect(await approvalById(approval!.id)).toMatchObject({ status: "requested" });
  });

  it("approves once (queuing the allowlisting), and declines with a reason the investor is told", async () => {
    const approved = await askingA();
    as.user = staffA;
    expect(await run(approveLinkedWalletAction, form({ offeringId: offeringA.id, approvalId: approved.approvalId }))).toMatchObject({ status: "ok" });
    expect(await run(approveLinkedWalletAction, form({ offeringId: offeringA.id, approvalId: approved.approvalId }))).toMatchObject({ status: "error" });
    expect(await approvalById(approved.approvalId)).toMatchObject({ status: "approved", decidedBy: staffA.id });
    expect(await jobCount(approved.approvalId)).toBe(1);

    const declined = await askingA();
    as.user = staffA;
    expect(await run(rejectLinkedWalletAction, form({ offeringId: offeringA.id, approvalId: declined.approvalId, reason: "bad\u0007reason" }))).toMatchObject({ status: "invalid" });
    expect(await run(rejectLinkedWalletAction, form({ offeringId: offeringA.id, approvalId: declined.approvalId, reason: "  本人確認書類と名義が異なるため  " }))).toMatchObject({ status: "ok" });
    expect(await approvalById(declined.approvalId)).toMatchObject({ status: "rejected", reason: "本人確認書類と名義が異なるため" });
    const notices = await getDb()
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, declined.investor.id), eq(notifications.kind, "wallet_link_rejected")));
    expect(notices).toHaveLength(1);
    expect(notices[0]!.detail).toMatchObject({ reason: "本人確認書類と名義が異なるため", offeringNameJa: offeringA.nameJa, linkedWalletId: declined.linkedWalletId });
    expect(await jobCount(declined.approvalId)).toBe(0);
    // An unlinked wallet's request is no longer open to a decision.
    const gone = await askingA();
    as.user = gone.investor;
    expect(await run(unlinkWalletAction, form({ linkedWalletId: gone.linkedWalletId }))).toMatchObject({ status: "ok" });
    as.user = staffA;
    expect(await run(approveLinkedWalletAction, form({ offeringId: offeringA.id, approvalId: gone.approvalId }))).toMatchObject({ status: "error" });
    expect((await getDb().select().from(linkedWalletApprovals).where(eq(linkedWalletApprovals.id, gone.approvalId)))[0]!.status).toBe("removed");
  });
});

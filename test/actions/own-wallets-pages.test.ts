import type { ReactNode } from "react";
import { renderToReadableStream } from "react-dom/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Offering } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/roles";
import { translator } from "@/lib/i18n/catalog";
import { approveLinkedWallet, rejectLinkedWallet } from "@/lib/wallet-links/approvals";
import { linkWallet, requestApproval } from "@/lib/wallet-links/link";
import { makeStaffOf } from "@/test/coupon-world";
import { makeUser } from "@/test/fixtures";
import { twoIssuerWorld } from "./attack-world";
import { approvedInvestor, browserWallet, signedChallenge } from "./own-wallets-world";

// The own-wallet pages as an investor and as staff read them, in both languages.

const who: { user: SessionUser | null; locale: "ja" | "en" } = { user: null, locale: "ja" };
vi.mock("@/lib/auth/session", () => ({ getCurrentUser: async () => who.user, requireUser: async () => who.user, requireRole: async () => who.user }));
vi.mock("@/lib/i18n/server", async () => {
  const { translator: make } = await import("@/lib/i18n/catalog");
  return { getLocale: async () => who.locale, getTranslator: async () => ({ locale: who.locale, t: make(who.locale) }) };
});
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
vi.mock("next/navigation", async (original) => ({ ...(await original<object>()), useRouter: () => ({ refresh: () => {} }) }));

const ja = translator("ja");
const html = async (node: ReactNode) => new Response(await renderToReadableStream(node)).text();
const text = (page: string) =>
  page
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;/g, "'")
    .replace(/\s+/g, " ");
const investorPage = async () => text(await html(await (await import("@/app/(investor)/account/wallets/page")).default()));
const staffPage = async (id: string) => html(await (await import("@/app/(staff)/staff/offerings/[id]/wallets/page")).default({ params: Promise.resolve({ id }) }));

let offeringA: Offering;
let offeringB: Offering;
let staffA: SessionUser;
let staffB: SessionUser;
let investor: SessionUser;
let address: string;

beforeAll(async () => {
  ({ offeringA, offeringB, staffA, staffB } = await twoIssuerWorld());
  const staffOfA = await makeStaffOf(offeringA.villageId);
  investor = await approvedInvestor();
  const wallet = browserWallet();
  address = wallet.address;
  const { message, signature } = await signedChallenge(investor.id, wallet);
  const linked = await linkWallet(investor.id, message, signature);
  if (!linked.ok) throw new Error(linked.reason);
  const a = await requestApproval(investor.id, linked.wallet.id, offeringA.id);
  const b = await requestApproval(investor.id, linked.wallet.id, offeringB.id);
  if (!a.ok || !b.ok) throw new Error("not requested");
  expect(await approveLinkedWallet(staffOfA, { offeringId: offeringA.id, approvalId: a.approvalId })).toEqual({ ok: true });
  expect(await rejectLinkedWallet(staffB, { offeringId: offeringB.id, approvalId: b.approvalId, reason: "名義が異なるため" })).toEqual({ ok: true });
});

describe("/account/wallets", () => {
  it("shows each own wallet with where each token's approval stands, the refusal's reason, and the link step", async () => {
    who.user = investor;
    who.locale = "ja";
    const page = await investorPage();
    expect(page).toContain("自分のウォレット");
    expect(page).toContain(address.slice(6, -4));
    expect(page).toContain(`${offeringA.nameJa} 承認済み・ブロックチェーンへの登録待ち`);
    // Each state says what happens next: waiting for the chain, or asking again after a refusal.
    expect(page).toContain(`承認済み・ブロックチェーンへの登録待ち ${ja("ownWallets.statusHint.waiting")}`);
    expect(page).toContain(`${offeringB.nameJa} 見送られました`);
    expect(page).toContain(`理由: 名義が異なるため ${ja("ownWallets.statusHint.rejected")}`);
    // The custodial wallet is named apart from the investor's own.
    expect(page).toContain(ja("ownWallets.custodial.heading"));
    expect(page).toContain("ウォレットで署名して連携する");
    expect(page).toContain("このポータルのチェーンID: 31337");
    who.locale = "en";
    const english = await investorPage();
    expect(english).toContain(`${offeringA.nameEn} Approved, being added on chain`);
    expect(english).toContain("Reason: 名義が異なるため");
    expect(english).toContain("Move tokens to your own wallet");
  });

  it("tells an investor who has not finished onboarding to do so instead of offering to link", async () => {
    who.user = await makeUser();
    who.locale = "en";
    const page = await investorPage();
    expect(page).toContain("Only investors who finished onboarding, identity check included, can link a wallet.");
    expect(page).not.toContain("Sign with your wallet and link it");
  });
});

describe("/staff/offerings/[id]/wallets", () => {
  it("lists the offering's requests for its issuer's staff, and is not found for another issuer's staff", async () => {
    who.user = staffA;
    who.locale = "ja";
    const page = await staffPage(offeringA.id);
    expect(page).toContain('data-state="waiting"');
    expect(page).toContain(`data-address="${address}"`);
    expect(page).toContain(investor.email);
    who.user = staffB;
    await expect(staffPage(offeringA.id)).rejects.toMatchObject({ digest: expect.stringContaining("404") });
    // The other offering exists and is staffB's: its declined request is shown there.
    const theirs = await staffPage(offeringB.id);
    expect(theirs).toContain('data-state="rejected"');
  });
});

import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { ReactNode } from "react";
import { renderToReadableStream } from "react-dom/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { chainTransactions, ledgerEntries, offerings, withdrawals, type Offering } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/roles";
import { makeInvestor, makeOffering } from "@/test/chain-support";
import { linkWallet, sessionOf } from "@/test/withdrawal-world";

// The withdrawal pages as an investor reads them, in both languages: the choice, the confirm step
// with the address to compare and the fresh sign-in it needs, and a withdrawal's status.

const who: { user: SessionUser | null; locale: "ja" | "en" } = { user: null, locale: "en" };
vi.mock("@/lib/auth/session", () => ({ getCurrentUser: async () => who.user, requireUser: async () => who.user, requireRole: async () => who.user }));
vi.mock("@/lib/i18n/server", async () => {
  const { translator: make } = await import("@/lib/i18n/catalog");
  return { getLocale: async () => who.locale, getTranslator: async () => ({ locale: who.locale, t: make(who.locale) }) };
});
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const html = async (node: ReactNode) => new Response(await renderToReadableStream(node)).text();
const text = (page: string) =>
  page
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
const withdrawPage = async (search: Record<string, string> = {}) => html(await (await import("@/app/(investor)/account/wallets/withdraw/page")).default({ searchParams: Promise.resolve(search) }));
const statusPage = async (id: string) => html(await (await import("@/app/(investor)/account/wallets/withdraw/[id]/page")).default({ params: Promise.resolve({ id }) }));

let offering: Offering;
let holder: SessionUser & { address: string };
let wallet: { linkedWalletId: string; address: `0x${string}` };

beforeAll(async () => {
  const made = await makeOffering(getDb());
  await getDb().update(offerings).set({ chainId: 31337, tokenAddress: "0x000000000000000000000000000000000000c0c0", withdrawalDailyLimitUnits: 8 }).where(eq(offerings.id, made.id));
  [offering] = (await getDb().select().from(offerings).where(eq(offerings.id, made.id))) as [Offering];
  const investor = await makeInvestor(getDb());
  await getDb()
    .insert(ledgerEntries)
    .values({ kind: "tokens_allocated", offeringId: offering.id, userId: investor.userId, units: 12, detail: { to: investor.address } });
  holder = { ...sessionOf(investor.userId), address: investor.address };
  wallet = await linkWallet(null, holder.id, offering.id);
});

describe("the withdrawal page", () => {
  it("offers the held token with the units free now and the day's limit left", async () => {
    who.user = holder;
    who.locale = "en";
    const page = text(await withdrawPage());
    expect(page).toContain("Forest Token (FOR)");
    expect(page).toContain("Free to move now: 12 units");
    expect(page).toContain("Left today: 8 units (up to 8 units a day)");
    who.locale = "ja";
    expect(text(await withdrawPage())).toContain("いま移せる口数: 12口");
  });

  it("lists only wallets cleared for the token, and says what to do when there is none", async () => {
    who.locale = "en";
    const page = await withdrawPage({ offeringId: offering.id });
    expect(page).toContain(`value="${wallet.linkedWalletId}"`);
    const other = await makeInvestor(getDb());
    await getDb()
      .insert(ledgerEntries)
      .values({ kind: "tokens_allocated", offeringId: offering.id, userId: other.userId, units: 3, detail: { to: other.address } });
    await linkWallet(null, other.userId, offering.id, { approval: "requested", allowlisted: false });
    who.user = sessionOf(other.userId);
    const none = text(await withdrawPage({ offeringId: offering.id }));
    expect(none).toContain("You have no linked wallet that may receive this token.");
    expect(await withdrawPage({ offeringId: offering.id })).toContain('href="/account/wallets"');
    // Already on the list of held tokens: no way into the form, but the way to the approval instead.
    const list = await withdrawPage();
    expect(text(list)).toContain("No wallet of yours may receive this token yet.");
    expect(list).not.toContain(`href="/account/wallets/withdraw?offeringId=${offering.id}"`);
    expect(list).toContain('href="/account/wallets"');
    who.user = holder;
  });

  it("confirms with the amount, the address's first 6 and last 4 characters emphasised, and the limit left after it", async () => {
    who.locale = "en";
    const search = { offeringId: offering.id, linkedWalletId: wallet.linkedWalletId, units: "3", step: "confirm" };
    const page = await withdrawPage(search);
    expect(page).toContain(
      `<strong class="font-bold text-stone-950">${wallet.address.slice(0, 6)}</strong><span class="text-stone-600">${wallet.address.slice(6, -4)}</span><strong class="font-bold text-stone-950">${wallet.address.slice(-4)}</strong>`,
    );
    const words = text(page);
    expect(words).toContain("3 units");
    expect(words).toContain("Left today after this move 5 units");
    expect(words).toContain("You signed in within the last 10 minutes.");
    expect(page).toMatch(/name="requestKey" value="[A-Za-z0-9_-]{24}"/);
    expect(words).toContain("Move 3 units");

    who.locale = "ja";
    who.user = sessionOf(holder.id, new Date(Date.now() - 20 * 60_000));
    const stale = await withdrawPage(search);
    expect(text(stale)).toContain("もう一度サインインして確認する");
    expect(stale).not.toContain('name="requestKey"');
    const back = `/account/wallets/withdraw?offeringId=${offering.id}&linkedWalletId=${wallet.linkedWalletId}&units=3&step=confirm`;
    expect(stale.replace(/&amp;/g, "&")).toContain(`href="/sign-in?again=1&callbackUrl=${encodeURIComponent(back)}"`);
    who.user = holder;
  });

  it("sends the choice back with the reason when it cannot be confirmed", async () => {
    who.locale = "en";
    const tooMany = text(await withdrawPage({ offeringId: offering.id, linkedWalletId: wallet.linkedWalletId, units: "9", step: "confirm" }));
    expect(tooMany).toContain("Up to 8 units can be moved a day; 8 units left today.");
    const notANumber = text(await withdrawPage({ offeringId: offering.id, linkedWalletId: wallet.linkedWalletId, units: "x", step: "confirm" }));
    expect(notANumber).toContain("Enter a whole number of 1 or more.");
    const someoneElses = await linkWallet(null, (await makeInvestor(getDb())).userId, offering.id);
    const refused = text(await withdrawPage({ offeringId: offering.id, linkedWalletId: someoneElses.linkedWalletId, units: "1", step: "confirm" }));
    expect(refused).toContain("Tokens cannot be moved to this wallet.");
  });
});

describe("a withdrawal's status", () => {
  it("shows its owner where it is, with the transaction and the address once done, and nobody else anything", async () => {
    const [row] = await getDb()
      .insert(withdrawals)
      .values({ userId: holder.id, offeringId: offering.id, linkedWalletId: wallet.linkedWalletId, fromAddress: holder.address, toAddress: wallet.address, units: 2, requestKey: randomUUID() })
      .returning();
    who.user = holder;
    who.locale = "en";
    expect(text(await statusPage(row!.id))).toContain("Received");
    const hash = `0x${"ab".repeat(32)}`;
    const [tx] = await getDb()
      .insert(chainTransactions)
      .values({
        signer: holder.address,
        chainId: 31337,
        kind: "withdrawal",
        status: "confirmed",
        txHash: hash,
        payload: { contract: "VillageToken", functionName: "transfer", args: [wallet.address, "2"], to: offering.tokenAddress as `0x${string}`, data: "0x", ref: { withdrawalId: row!.id } },
      })
      .returning();
    await getDb().update(withdrawals).set({ status: "confirmed", chainTransactionId: tx!.id, confirmedAt: new Date() }).where(eq(withdrawals.id, row!.id));
    const done = await statusPage(row!.id);
    expect(text(done)).toContain("The tokens were moved.");
    expect(done).toContain(`href="/explorer/tx/${hash}"`);
    expect(done).toContain(`href="/explorer/address/${wallet.address}"`);
    who.locale = "ja";
    expect(text(await statusPage(row!.id))).toContain("完了");
    expect(text(await withdrawPage())).toContain("これまでの移転");

    who.user = sessionOf((await makeInvestor(getDb())).userId);
    await expect(statusPage(row!.id)).rejects.toThrow(/NEXT_HTTP_ERROR_FALLBACK;404|NEXT_NOT_FOUND/);
  });

  it("tells its owner a failed one left the tokens in custody, offers to move them again, and folds the chain's words away", async () => {
    const [row] = await getDb()
      .insert(withdrawals)
      .values({
        userId: holder.id,
        offeringId: offering.id,
        linkedWalletId: wallet.linkedWalletId,
        fromAddress: holder.address,
        toAddress: wallet.address,
        units: 1,
        requestKey: randomUUID(),
        status: "failed",
        error: "the gas top-up failed: insufficient funds",
      })
      .returning();
    who.user = holder;
    who.locale = "ja";
    const page = await statusPage(row!.id);
    expect(text(page)).toContain("トークンはカストディウォレットに残っていて、今日の上限にも数えられていません。");
    expect(page.replace(/&amp;/g, "&")).toContain(`href="/account/wallets/withdraw?offeringId=${offering.id}"`);
    expect(page).toMatch(/<details[^>]*><summary[^>]*>技術的な詳細<\/summary><p[^>]*data-testid="withdrawal-error"[^>]*>the gas top-up failed: insufficient funds<\/p>/);
  });
});

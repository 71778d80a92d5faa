import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { ReactNode } from "react";
import { renderToReadableStream } from "react-dom/server";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { chainTransactions, ledgerEntries, offerings, perkClaims, type Offering } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/roles";
import { translator } from "@/lib/i18n/catalog";
import { cancelClaim, claimPerk } from "@/lib/perks/claims";
import { createPerk } from "@/lib/perks/define";
import { perkSchema } from "@/lib/perks/schemas";
import { makeInvestor, makeOffering } from "@/test/chain-support";
import { makeStaffOf } from "@/test/coupon-world";
import { addProfile, DELIVERY, freezeHolders, perkFields } from "./perks-world";

// The perk pages as a holder and as staff read them, in both languages: why or why not with the
// holding it was decided on, dates in Tokyo, and for staff which claim to ship and which waits.

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
    .replace(/\s+/g, " ");
const holderPerks = async () => text(await html(await (await import("@/app/(investor)/perks/page")).default()));
const holderPerk = async (id: string) => html(await (await import("@/app/(investor)/perks/[id]/page")).default({ params: Promise.resolve({ id }) }));
const staffPerk = async (id: string) => html(await (await import("@/app/(staff)/staff/offerings/[id]/perks/[perkId]/page")).default({ params: Promise.resolve({ id: offering.id, perkId: id }) }));
const staffList = async () => text(await html(await (await import("@/app/(staff)/staff/offerings/[id]/perks/page")).default({ params: Promise.resolve({ id: offering.id }) })));

let offering: Offering;
let staff: SessionUser;
let holder: SessionUser;
let small: SessionUser;
const ids: Record<"rice" | "inn" | "big", string> = { rice: "", inn: "", big: "" };

async function investor(units: number): Promise<SessionUser> {
  const { userId, address } = await makeInvestor(getDb());
  await addProfile(userId);
  await getDb()
    .insert(ledgerEntries)
    .values({ kind: "tokens_allocated", offeringId: offering.id, userId, units, detail: { to: address } });
  return { id: userId, email: `${userId}@example.jp`, name: null, role: "investor" };
}

async function perk(overrides: Record<string, string>) {
  const created = await createPerk({ offeringId: offering.id, values: perkSchema.parse(perkFields(offering.id, overrides)), photoImageId: null, actorId: staff.id });
  if ("refused" in created) throw new Error(created.refused);
  return created.id;
}

beforeAll(async () => {
  const { id } = await makeOffering(getDb());
  [offering] = (await getDb()
    .update(offerings)
    .set({ chainId: 1_337_003, tokenAddress: `0x${randomBytes(20).toString("hex")}` })
    .where(eq(offerings.id, id))
    .returning()) as [Offering];
  staff = await makeStaffOf(offering.villageId);
  [holder, small] = [await investor(12), await investor(4)];
  await freezeHolders(id, [
    { userId: holder.id, units: 12 },
    { userId: small.id, units: 4 },
  ]);
  ids.rice = await perk({ titleEn: "<b>Rice</b>" });
  ids.inn = await perk({ kind: "redeeming", costUnits: "5", titleJa: "民泊一泊", titleEn: "Guesthouse night" });
  ids.big = await perk({ minUnits: "20", titleEn: "Big rice" });
  const cancelled = await claimPerk({ perkId: ids.rice, userId: holder.id, delivery: DELIVERY });
  await cancelClaim({ claimId: (cancelled as { claimId: string }).claimId, offeringId: id, reason: "Out of rice", actorId: staff.id });
  // Three claims of the inn: one burned (to ship), one waiting for its burn, one whose burn failed.
  for (const [units, state] of [
    [12, "burned"],
    [5, "waiting"],
    [5, "failed"],
  ] as const) {
    const user = units === 12 ? holder : await investor(units);
    const { claimId } = (await claimPerk({ perkId: ids.inn, userId: user.id, delivery: DELIVERY })) as { claimId: string };
    if (state === "burned") await getDb().update(perkClaims).set({ burnedAt: new Date() }).where(eq(perkClaims.id, claimId));
    if (state === "failed") {
      const [tx] = await getDb().insert(chainTransactions).values({ signer: "0x0000000000000000000000000000000000000001", chainId: 1_337_003, kind: "perk_burn", status: "failed" }).returning();
      await getDb().update(perkClaims).set({ burnChainTransactionId: tx!.id }).where(eq(perkClaims.id, claimId));
    }
  }
});

beforeEach(() => {
  who.locale = "en";
});

describe("a holder's perk pages", () => {
  it("say why or why not with the holding at the record date, in Tokyo time, titles as text", async () => {
    who.user = small;
    const en = await holderPerks();
    expect(en).toMatch(/You held 4 tokens at the end of \d{1,2} \w{3} 2\d{3}; this perk is for holders of 10 or more\./);
    expect(en).toContain("&lt;b&gt;Rice&lt;/b&gt;");
    expect(en).toContain(translator("en")("perks.eligibility.insufficient_units", { units: "4", needed: "5" }));
    expect(en).toContain("so you cannot claim it now");
    who.locale = "ja";
    const ja = await holderPerks();
    expect(ja).toMatch(/\d{4}年\d{1,2}月\d{1,2}日の終わりに4口お持ちでした。この特典は10口以上の保有者が対象です。/);
    expect(ja).toContain("この特典には5口が必要なため、いまはお申し込みいただけません。");
  });

  it("shows the claim form with the burn warning in plain words, and the dates of the window in Japan time", async () => {
    who.user = await investor(9);
    const page = text(await holderPerk(ids.inn));
    expect(page).toContain(translator("en")("perks.claim.burnWarning", { count: "5" }));
    expect(page).toContain("Claim period");
    expect(page).toMatch(/\d{2}:\d{2} GMT\+9 – /);
    who.locale = "ja";
    expect(text(await holderPerk(ids.inn))).toMatch(/\d{2}:\d{2} JST〜/);
  });
});

describe("the staff perk pages", () => {
  it("put the claims to ship first and say which wait for their burn and which failed", async () => {
    who.user = staff;
    const page = await staffPerk(ids.inn);
    expect([...page.matchAll(/data-step="([a-z_]+)"/g)].map((match) => match[1])).toEqual(["to_ship", "burn_failed", "awaiting_burn"]);
    expect(page.match(/data-testid="perk-ship-form"/g)).toHaveLength(1);
    const t = translator("en");
    const words = text(page);
    expect(words).toContain(t("perksStaff.claims.summary", { toShip: "1", awaitingBurn: "1", burnFailed: "1" }));
    expect(words).toContain(t("perksStaff.claims.burnFailed"));
    expect(page).toContain(`href="/staff/offerings/${offering.id}/chain"`);
    expect(words).toContain(t("perksStaff.claims.waitingBurn"));
    expect(await staffList()).toContain(t("perksStaff.list.counts", { toShip: 1, awaitingBurn: 2, shipped: 0, cancelled: 0 }));
    who.locale = "ja";
    expect(text(await staffPerk(ids.inn))).toContain("発送できる1件・消却待ち1件・消却に失敗1件");
    expect(await staffList()).toContain("発送できる0件・発送済み0件・取消1件");
  });
});

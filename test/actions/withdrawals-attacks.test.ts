import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { as, form, run } from "@/test/session-mock";
import { getDb } from "@/db/client";
import { auditLog, ledgerEntries, offerings, withdrawals, type Offering } from "@/db/schema";
import { requestWithdrawalAction } from "@/app/(investor)/account/wallets/withdraw/actions";
import { setWithdrawalLimitAction } from "@/app/(staff)/staff/offerings/[id]/withdrawal-actions";
import type { SessionUser } from "@/lib/auth/roles";
import { withdrawalOf } from "@/lib/withdrawals/queries";
import { makeInvestor } from "@/test/chain-support";
import { linkWallet, sessionOf } from "@/test/withdrawal-world";
import { offeringById, twoIssuerWorld } from "./attack-world";

// Attacks on withdrawals through the actions, as a browser could send them: someone else's wallet
// or key, a wallet not cleared for the token, more units than are free or than the day allows, a
// stale sign-in; and on the daily limit's staff form from another issuer or with values out of range.

let staffA: SessionUser;
let staffB: SessionUser;
let offeringA: Offering;
let offeringB: Offering;

type Holder = SessionUser & { address: string };

/** An investor whose custodial wallet holds `units` of the offering in the ledger, signed in just now. */
async function holderOf(offeringId: string, units: number): Promise<Holder> {
  const investor = await makeInvestor(getDb());
  await getDb()
    .insert(ledgerEntries)
    .values({ kind: "tokens_allocated", offeringId, userId: investor.userId, units, detail: { to: investor.address } });
  return { ...sessionOf(investor.userId), address: investor.address };
}

const fields = (offeringId: string, linkedWalletId: string, units: number | string, requestKey: string = randomUUID()) => ({ offeringId, linkedWalletId, units: String(units), requestKey });

async function submit(user: SessionUser, values: Record<string, string>) {
  as.user = user;
  return run(requestWithdrawalAction, form(values));
}

const withdrawalsOfUser = (userId: string) => getDb().select().from(withdrawals).where(eq(withdrawals.userId, userId));

beforeAll(async () => {
  ({ staffA, staffB, offeringA, offeringB } = await twoIssuerWorld());
});

describe("an investor's withdrawal request", () => {
  it("is one withdrawal when the same form is sent twice, and its key names nothing for anyone else", async () => {
    const holder = await holderOf(offeringA.id, 10);
    const wallet = await linkWallet(null, holder.id, offeringA.id);
    const values = fields(offeringA.id, wallet.linkedWalletId, 3);
    const first = await submit(holder, values);
    const second = await submit(holder, values);
    expect(first).toHaveProperty("redirect");
    expect(second).toEqual(first);
    const rows = await withdrawalsOfUser(holder.id);
    expect(rows.map((row) => [row.units, row.status, row.toAddress])).toEqual([[3, "requested", wallet.address]]);
    expect((first as { redirect: string }).redirect).toBe(`/account/wallets/withdraw/${rows[0]!.id}`);

    // Another investor replaying the key learns nothing and moves nothing.
    const intruder = await holderOf(offeringA.id, 10);
    const theirs = await linkWallet(null, intruder.id, offeringA.id);
    const replay = await submit(intruder, { ...values, linkedWalletId: theirs.linkedWalletId });
    expect(replay).toMatchObject({ status: "error" });
    expect(JSON.stringify(replay)).not.toContain(rows[0]!.id);
    expect(await withdrawalsOfUser(intruder.id)).toEqual([]);
    expect(await withdrawalOf(intruder.id, rows[0]!.id)).toBeNull();
  });

  it("refuses a stale sign-in and hands back the way to sign in again to the same confirm step", async () => {
    const holder = await holderOf(offeringA.id, 10);
    const wallet = await linkWallet(null, holder.id, offeringA.id);
    const result = await submit(sessionOf(holder.id, new Date(Date.now() - 11 * 60_000)), fields(offeringA.id, wallet.linkedWalletId, 2));
    expect(result).toMatchObject({ status: "error", message: "安全のため、もう一度サインインしてから確認してください。" });
    const path = (result as { data: { signInAgain: string } }).data.signInAgain;
    expect(path).toBe(`/sign-in?again=1&callbackUrl=${encodeURIComponent(`/account/wallets/withdraw?offeringId=${offeringA.id}&linkedWalletId=${wallet.linkedWalletId}&units=2&step=confirm`)}`);
    // An unknown sign-in time is never recent.
    const unknown = await submit({ ...sessionOf(holder.id), signedInAt: undefined }, fields(offeringA.id, wallet.linkedWalletId, 2));
    expect(unknown).toMatchObject({ status: "error", data: { signInAgain: path } });
    expect(await withdrawalsOfUser(holder.id)).toEqual([]);
  });

  it("refuses another investor's wallet, and wallets not approved and allowlisted for this token", async () => {
    const holder = await holderOf(offeringA.id, 10);
    const other = await holderOf(offeringA.id, 10);
    const wallets = [
      await linkWallet(null, other.id, offeringA.id),
      await linkWallet(null, holder.id, offeringA.id, { approval: "requested", allowlisted: false }),
      await linkWallet(null, holder.id, offeringA.id, { approval: "rejected", allowlisted: false }),
      await linkWallet(null, holder.id, offeringA.id, { allowlisted: false }),
      await linkWallet(null, holder.id, offeringA.id, { active: false }),
      await linkWallet(null, holder.id, offeringB.id),
      await linkWallet(null, holder.id, offeringA.id, { approval: null }),
    ];
    for (const wallet of wallets) {
      expect(await submit(holder, fields(offeringA.id, wallet.linkedWalletId, 1))).toEqual({
        status: "error",
        message: "このウォレットには移せません。ご自身が連携し、このトークンについて承認され、許可リストに登録されたウォレットを選んでください。",
      });
    }
    expect(await withdrawalsOfUser(holder.id)).toEqual([]);
  });

  it("refuses more units than are free, and past the day's limit", async () => {
    const holder = await holderOf(offeringA.id, 10);
    const wallet = await linkWallet(null, holder.id, offeringA.id);
    as.locale = "en";
    expect(await submit(holder, fields(offeringA.id, wallet.linkedWalletId, 11))).toEqual({ status: "error", message: "You can move 10 units now. Please enter fewer." });
    await getDb().update(offerings).set({ withdrawalDailyLimitUnits: 4 }).where(eq(offerings.id, offeringA.id));
    try {
      expect(await submit(holder, fields(offeringA.id, wallet.linkedWalletId, 3))).toHaveProperty("redirect");
      expect(await submit(holder, fields(offeringA.id, wallet.linkedWalletId, 2))).toEqual({ status: "error", message: "Up to 4 units can be moved a day; 1 unit left today." });
      expect(await submit(holder, fields(offeringA.id, wallet.linkedWalletId, 1))).toHaveProperty("redirect");
      // 0 turns withdrawals off.
      await getDb().update(offerings).set({ withdrawalDailyLimitUnits: 0 }).where(eq(offerings.id, offeringA.id));
      expect(await submit(holder, fields(offeringA.id, wallet.linkedWalletId, 1))).toEqual({
        status: "error",
        message: "This token cannot be moved to your own wallet now (the issuer has turned it off).",
      });
    } finally {
      as.locale = "ja";
      await getDb().update(offerings).set({ withdrawalDailyLimitUnits: 100 }).where(eq(offerings.id, offeringA.id));
    }
    expect((await withdrawalsOfUser(holder.id)).map((row) => row.units).sort()).toEqual([1, 3]);
  });

  it("refuses malformed input before anything else", async () => {
    const holder = await holderOf(offeringA.id, 10);
    const wallet = await linkWallet(null, holder.id, offeringA.id);
    for (const [units, key] of [
      ["0", randomUUID()],
      ["-1", randomUUID()],
      ["1.5", randomUUID()],
      ["1000001", randomUUID()],
      ["1", "short"],
      ["1", "x".repeat(65)],
    ] as const) {
      expect(await submit(holder, fields(offeringA.id, wallet.linkedWalletId, units, key))).toMatchObject({ status: "invalid" });
    }
    expect(await submit(holder, fields("not-a-uuid", wallet.linkedWalletId, 1))).toMatchObject({ status: "invalid" });
    as.user = null;
    expect(await run(requestWithdrawalAction, form(fields(offeringA.id, wallet.linkedWalletId, 1)))).toMatchObject({ status: "error" });
    expect(await withdrawalsOfUser(holder.id)).toEqual([]);
  });
});

describe("the daily limit's staff form", () => {
  const limitForm = (offeringId: string, value: string) => form({ offeringId, withdrawalDailyLimitUnits: value });

  it("is set by the issuer's staff within 0 to 1,000,000, and audited", async () => {
    as.user = staffA;
    expect(await run(setWithdrawalLimitAction, limitForm(offeringA.id, "25"))).toMatchObject({ status: "ok" });
    expect((await offeringById(offeringA.id)).withdrawalDailyLimitUnits).toBe(25);
    for (const value of ["-1", "1000001", "2.5", "", "ten"]) {
      expect(await run(setWithdrawalLimitAction, limitForm(offeringA.id, value))).toMatchObject({ status: "invalid" });
    }
    expect(await run(setWithdrawalLimitAction, limitForm(offeringA.id, "0"))).toMatchObject({ status: "ok" });
    expect(await run(setWithdrawalLimitAction, limitForm(offeringA.id, "1000000"))).toMatchObject({ status: "ok" });
    expect((await offeringById(offeringA.id)).withdrawalDailyLimitUnits).toBe(1_000_000);
    const audits = await getDb().select().from(auditLog).where(eq(auditLog.targetId, offeringA.id));
    expect(audits.filter((row) => row.action === "offering.updated").map((row) => row.detail?.withdrawalDailyLimitUnits)).toEqual([25, 0, 1_000_000]);
    await run(setWithdrawalLimitAction, limitForm(offeringA.id, "100"));
  });

  it("is refused to another issuer's staff and to investors", async () => {
    as.user = staffB;
    expect(await run(setWithdrawalLimitAction, limitForm(offeringA.id, "1"))).toMatchObject({ status: "error" });
    as.user = await holderOf(offeringA.id, 1);
    expect(await run(setWithdrawalLimitAction, limitForm(offeringA.id, "1"))).toMatchObject({ status: "error" });
    expect((await offeringById(offeringA.id)).withdrawalDailyLimitUnits).toBe(100);
  });
});

import { randomBytes } from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { as, form, run } from "../session-mock";
import { makeUser } from "../fixtures";
import { cancelEmailChangeAction, confirmEmailChangeAction, requestEmailChangeAction, signOutEverywhereAction } from "@/app/(investor)/account/actions";
import { getDb } from "@/db/client";
import { auditLog, devMailbox, emailChangeRequests, sessions, users } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/roles";

const db = () => getDb();
const MINUTE = 60_000;

/** A signed-in investor whose session began `minutesAgo` minutes ago, with a session row to be ended. */
async function signedIn(minutesAgo = 1): Promise<SessionUser> {
  const user = await makeUser();
  const signedInAt = new Date(Date.now() - minutesAgo * MINUTE);
  await db()
    .insert(sessions)
    .values({ sessionToken: randomBytes(16).toString("hex"), userId: user.id, expires: new Date(Date.now() + 3_600_000), createdAt: signedInAt, lastSeenAt: new Date() });
  as.user = { ...user, signedInAt };
  return as.user;
}

const mailsTo = (to: string) => db().select().from(devMailbox).where(eq(devMailbox.to, to)).orderBy(desc(devMailbox.sentAt));
const tokenOf = (link: string | null) => new URL(link!).searchParams.get("token")!;
const sessionCount = async (userId: string) => (await db().select().from(sessions).where(eq(sessions.userId, userId))).length;
const pendingCount = async (userId: string) => (await db().select().from(emailChangeRequests).where(eq(emailChangeRequests.userId, userId))).length;
const emailOf = async (userId: string) => (await db().select({ email: users.email }).from(users).where(eq(users.id, userId)))[0]!.email;
const freshAddress = () => `new-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.jp`;

/** Asks for a change and returns the links the two mails carried. */
async function askForChange(user: SessionUser, newEmail: string) {
  const answer = await run(requestEmailChangeAction, form({ newEmail }));
  expect(answer).toMatchObject({ status: "ok" });
  const [toNew] = await mailsTo(newEmail);
  const [notice] = await mailsTo(user.email);
  return { toNew: toNew!, notice: notice!, confirmToken: tokenOf(toNew!.link), cancelToken: tokenOf(notice!.link) };
}

beforeEach(() => {
  as.locale = "ja";
});

describe("asking for an email change needs a recent sign-in", () => {
  it.each([
    ["ja", /10分以内のログインが必要です/],
    ["en", /sign-in within the last 10 minutes/],
  ] as const)("an 11-minute-old sign-in is told to sign in again (%s), with the way to do it, and nothing happens", async (locale, message) => {
    const user = await signedIn(11);
    as.locale = locale;
    const newEmail = freshAddress();
    const answer = await run(requestEmailChangeAction, form({ newEmail }));
    expect(answer).toEqual({ status: "error", message: expect.stringMatching(message), data: { signInAgain: "/sign-in?again=1&callbackUrl=%2Faccount" } });
    expect(await pendingCount(user.id)).toBe(0);
    expect(await mailsTo(newEmail)).toHaveLength(0);
    expect(await mailsTo(user.email)).toHaveLength(0);
  });

  it("a session whose sign-in time is unknown is not recent", async () => {
    const user = await signedIn(1);
    as.user = { ...user, signedInAt: undefined };
    expect(await run(requestEmailChangeAction, form({ newEmail: freshAddress() }))).toMatchObject({ status: "error", data: { signInAgain: expect.any(String) } });
    expect(await pendingCount(user.id)).toBe(0);
  });

  it("a 9-minute-old sign-in may ask", async () => {
    await signedIn(9);
    expect(await run(requestEmailChangeAction, form({ newEmail: freshAddress() }))).toMatchObject({ status: "ok" });
  });
});

describe("the old address is told, and can cancel", () => {
  it("gets a notice naming the new address, with a cancel link; the new address gets the confirmation link", async () => {
    const user = await signedIn();
    const newEmail = freshAddress();
    const { toNew, notice } = await askForChange(user, newEmail);
    expect(toNew.link).toMatch(/\/account\/confirm-email\?token=/);
    expect(notice.subject).toBe("ログイン用メールアドレスの変更が申し込まれました");
    expect(notice.text).toContain(newEmail);
    expect(notice.link).toMatch(/^http:\/\/localhost:3000\/account\/cancel-email-change\?token=[A-Za-z0-9_-]{43}$/);
    expect(notice.text).toContain(notice.link!);
  });

  it("the cancel link stops the change, ends every session, and is recorded", async () => {
    const user = await signedIn();
    const { confirmToken, cancelToken } = await askForChange(user, freshAddress());
    as.user = null; // the owner of the old address need not be signed in
    expect(await run(cancelEmailChangeAction, form({ token: cancelToken }))).toEqual({ redirect: "/sign-in?cancelled=1" });
    expect(await pendingCount(user.id)).toBe(0);
    expect(await sessionCount(user.id)).toBe(0);
    expect(await run(confirmEmailChangeAction, form({ token: confirmToken }))).toEqual({ status: "error", message: "リンクの有効期限が切れているか、すでに使用されています。" });
    expect(await emailOf(user.id)).toBe(user.email);
    const [entry] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, user.id), eq(auditLog.action, "account.email_change_cancelled")));
    expect(entry).toBeDefined();
    // Used once.
    expect(await run(cancelEmailChangeAction, form({ token: cancelToken }))).toMatchObject({ status: "error" });
  });

  it("the confirmation link cannot cancel, nor the cancel link confirm", async () => {
    const user = await signedIn();
    const { confirmToken, cancelToken } = await askForChange(user, freshAddress());
    expect(await run(cancelEmailChangeAction, form({ token: confirmToken }))).toMatchObject({ status: "error" });
    expect(await run(confirmEmailChangeAction, form({ token: cancelToken }))).toMatchObject({ status: "error" });
    expect(await pendingCount(user.id)).toBe(1);
  });
});

describe("pending change links stop working", () => {
  it("after signing out everywhere", async () => {
    const user = await signedIn();
    const first = await askForChange(user, freshAddress());
    const second = await askForChange(user, freshAddress());
    expect(await run(signOutEverywhereAction, form({}))).toEqual({ redirect: "/sign-in" });
    expect(await pendingCount(user.id)).toBe(0);
    for (const token of [first.confirmToken, second.confirmToken]) {
      expect(await run(confirmEmailChangeAction, form({ token }))).toMatchObject({ status: "error" });
    }
    expect(await emailOf(user.id)).toBe(user.email);
  });

  it("after a completed change, every other pending link is dead", async () => {
    const user = await signedIn();
    const first = await askForChange(user, freshAddress());
    const secondAddress = freshAddress();
    const second = await askForChange(user, secondAddress);
    expect(await run(confirmEmailChangeAction, form({ token: second.confirmToken }))).toEqual({ redirect: "/sign-in?changed=1" });
    expect(await emailOf(user.id)).toBe(secondAddress);
    expect(await sessionCount(user.id)).toBe(0);
    expect(await pendingCount(user.id)).toBe(0);
    expect(await run(confirmEmailChangeAction, form({ token: first.confirmToken }))).toMatchObject({ status: "error" });
    expect(await run(cancelEmailChangeAction, form({ token: first.cancelToken }))).toMatchObject({ status: "error" });
    expect(await emailOf(user.id)).toBe(secondAddress);
  });
});

describe("an address already in use is not revealed", () => {
  it.each(["ja", "en"] as const)("gets the same answer and the same notice as a free address (%s)", async (locale) => {
    as.locale = locale;
    const other = await makeUser();
    const free = freshAddress();

    const user = await signedIn();
    const takenAnswer = await run(requestEmailChangeAction, form({ newEmail: other.email }));
    const [takenNotice] = await mailsTo(user.email);
    const takenPending = await pendingCount(user.id);

    const user2 = await signedIn();
    const freeAnswer = await run(requestEmailChangeAction, form({ newEmail: free }));
    const [freeNotice] = await mailsTo(user2.email);

    expect(takenAnswer).toEqual(freeAnswer);
    expect(takenAnswer).toMatchObject({ status: "ok" });
    expect(takenPending).toBe(await pendingCount(user2.id));
    expect(takenNotice!.subject).toBe(freeNotice!.subject);
    expect(takenNotice!.text.replace(other.email, "ADDRESS").replace(takenNotice!.link!, "LINK")).toBe(freeNotice!.text.replace(free, "ADDRESS").replace(freeNotice!.link!, "LINK"));

    // The address in use is told that an account already exists there, and gets no link to change anything.
    const [toTaken] = await mailsTo(other.email);
    expect(toTaken!.text).toMatch(locale === "ja" ? /すでにアカウントがあるため/ : /an account already uses this address/);
    expect(toTaken!.link).toBe("http://localhost:3000/sign-in");
    expect(toTaken!.text).not.toMatch(/confirm-email/);
    expect(await emailOf(other.id)).toBe(other.email);

    // Its cancel link works like any other.
    expect(await run(cancelEmailChangeAction, form({ token: tokenOf(takenNotice!.link) }))).toEqual({ redirect: "/sign-in?cancelled=1" });
  });

  it("still says plainly when the new address is the current one", async () => {
    const user = await signedIn();
    expect(await run(requestEmailChangeAction, form({ newEmail: user.email }))).toEqual({ status: "invalid", fieldErrors: { newEmail: "現在と同じメールアドレスです。" } });
  });
});

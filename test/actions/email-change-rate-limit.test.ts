import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { as, form, run } from "../session-mock";
import { makeUser } from "../fixtures";
import { requestEmailChangeAction } from "@/app/(investor)/account/actions";
import { env } from "@/lib/env";

const MINUTE = 60_000;
const freshAddress = () => `limit-${randomBytes(6).toString("hex")}@example.jp`;

describe("email change requests are rate limited per account, through the action wrapper", () => {
  it("counts only requests from a recent sign-in, and answers over the limit with the wait", async () => {
    const user = await makeUser();
    const { perEmail } = env().signInLimits;

    // Told to sign in again: not counted.
    as.user = { ...user, signedInAt: new Date(Date.now() - 11 * MINUTE) };
    for (let i = 0; i <= perEmail; i++) {
      expect(await run(requestEmailChangeAction, form({ newEmail: freshAddress() }))).toMatchObject({ status: "error", data: { signInAgain: expect.any(String) } });
    }

    as.user = { ...user, signedInAt: new Date() };
    for (let i = 0; i < perEmail; i++) {
      expect(await run(requestEmailChangeAction, form({ newEmail: freshAddress() }))).toMatchObject({ status: "ok" });
    }
    expect(await run(requestEmailChangeAction, form({ newEmail: freshAddress() }))).toEqual({
      status: "error",
      message: expect.stringMatching(/^ログインメールの送信回数が上限に達しました。\d+分ほど/),
    });
    // Another account has its own count.
    const other = await makeUser();
    as.user = { ...other, signedInAt: new Date() };
    expect(await run(requestEmailChangeAction, form({ newEmail: freshAddress() }))).toMatchObject({ status: "ok" });
  });
});

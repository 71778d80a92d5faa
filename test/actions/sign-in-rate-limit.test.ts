import { beforeEach, describe, expect, it, vi } from "vitest";
import { as, form, run } from "../session-mock";
import { requestSignInLink } from "@/app/(public)/sign-in/actions";
import { stampPeerAddresses } from "@/lib/auth/client-ip";

/** The request as the action sees it, and the settings it runs with. */
const request = vi.hoisted(() => ({ headers: new Headers(), hops: 0 }));
const signIn = vi.hoisted(() => vi.fn(async () => undefined));

vi.mock("next/headers", () => ({ headers: async () => request.headers }));
vi.mock("@/lib/auth", () => ({ signIn }));
vi.mock("@/lib/env", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/env")>();
  return {
    ...actual,
    env: () => {
      const settings = actual.env();
      return { ...settings, trustedProxyHops: request.hops, signInLimits: { ...settings.signInLimits, perEmail: 100, perIp: 3 } };
    },
  };
});

const PEER_HEADER = stampPeerAddresses();
let counter = 0;
const nextEmail = () => `rate-${++counter}-${Date.now()}@example.jp`;

/** One sign-in request from a socket peer, with whatever X-Forwarded-For the client made up. */
async function ask(peer: string, forwardedFor?: string) {
  request.headers = new Headers({ [PEER_HEADER]: peer, ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}) });
  return run(requestSignInLink, form({ email: nextEmail() }));
}

const SENT = { redirect: "/sign-in/check-email" };
const LIMITED = { status: "error", message: expect.stringMatching(/上限に達しました/) };

beforeEach(() => {
  as.user = null;
  as.locale = "ja";
  signIn.mockClear();
});

describe("sign-in mail limit per client IP, through the action", () => {
  it("with no proxy, counts the socket peer however X-Forwarded-For is spoofed", async () => {
    request.hops = 0;
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await ask("203.0.113.10", `10.9.${i}.1`));
    expect(answers.slice(0, 3)).toEqual([SENT, SENT, SENT]);
    expect(answers[3]).toEqual(LIMITED);
    expect(signIn).toHaveBeenCalledTimes(3);
    // Another client, even one claiming to be the first, has its own count.
    expect(await ask("203.0.113.11", "203.0.113.10")).toEqual(SENT);
  });

  it("behind one proxy, counts the entry the proxy appended, not the ones before it", async () => {
    request.hops = 1;
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await ask("10.0.0.2", `172.16.${i}.9, 198.51.100.20`));
    expect(answers.slice(0, 3)).toEqual([SENT, SENT, SENT]);
    expect(answers[3]).toEqual(LIMITED);
    expect(await ask("10.0.0.2", "198.51.100.20, 198.51.100.21")).toEqual(SENT);
  });

  it("behind two proxies, counts the entry the outer proxy appended", async () => {
    request.hops = 2;
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await ask("10.0.0.2", `192.168.${i}.1, 198.51.100.30, 10.0.0.1`));
    expect(answers.slice(0, 3)).toEqual([SENT, SENT, SENT]);
    expect(answers[3]).toEqual(LIMITED);
  });

  it("answers the limit in English too", async () => {
    request.hops = 0;
    for (let i = 0; i < 3; i++) await ask("203.0.113.40");
    as.locale = "en";
    const answer = await ask("203.0.113.40", "1.2.3.4");
    expect(answer).toMatchObject({ status: "error" });
    expect((answer as { message: string }).message).toMatch(/minutes/);
  });
});

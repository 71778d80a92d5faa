"use server";

import { revalidatePath } from "next/cache";
import { signedInAction } from "@/lib/actions";
import type { RateLimitBucket } from "@/lib/auth/rate-limit";
import { linkWallet, requestApproval, startWalletLink, unlinkWallet } from "@/lib/wallet-links/link";
import { challengeSchema, linkSchema, requestApprovalSchema, unlinkSchema } from "@/lib/wallet-links/schemas";

/** An investor's own wallets: every action acts on the signed-in investor's own links only. */

const PAGE = "/account/wallets";

/** Signature requests and link attempts per account: generous for a person, short for a script. */
const buckets =
  (what: string) =>
  (_input: unknown, { user }: { user: { id: string } }): RateLimitBucket[] => [{ key: `wallet-link:${what}:${user.id}`, limit: 20, windowSeconds: 600 }];

/** Step 1: the message to sign for the address the browser wallet gave (`data.message`). */
export const walletChallengeAction = signedInAction<typeof challengeSchema, { message: string }>(
  challengeSchema,
  async ({ address }, { user, t }) => {
    const result = await startWalletLink(user.id, address);
    if (!result.ok) return { status: "error", message: t(`ownWallets.refusals.${result.reason}`) };
    return { status: "ok", data: { message: result.message } };
  },
  { rateLimit: buckets("challenge") },
);

/** Step 2: the signed message; the link is recorded and approval asked for the tokens held. */
export const linkWalletAction = signedInAction(
  linkSchema,
  async ({ message, signature }, { user, t }) => {
    const result = await linkWallet(user.id, message, signature);
    if (!result.ok) return { status: "error", message: t(`ownWallets.refusals.${result.reason}`) };
    revalidatePath(PAGE);
    const linked = t("ownWallets.link.linked", { address: result.wallet.address });
    const requested = result.requested.length > 0 ? ` ${t("ownWallets.link.requested", { count: result.requested.length })}` : "";
    return { status: "ok", message: `${linked}${requested}` };
  },
  { rateLimit: buckets("link") },
);

// Each request lands in the issuer's staff queue: bounded like linking, so a refused one cannot be asked again in a loop.
export const requestApprovalAction = signedInAction(
  requestApprovalSchema,
  async ({ linkedWalletId, offeringId }, { user, t }) => {
    const result = await requestApproval(user.id, linkedWalletId, offeringId);
    if (!result.ok) return { status: "error", message: t(`ownWallets.errors.${result.error}`) };
    revalidatePath(PAGE);
    return { status: "ok", message: t(result.status === "already" ? "ownWallets.request.already" : "ownWallets.request.done") };
  },
  { rateLimit: buckets("request") },
);

export const unlinkWalletAction = signedInAction(
  unlinkSchema,
  async ({ linkedWalletId }, { user, t }) => {
    const result = await unlinkWallet(user.id, linkedWalletId);
    if (!result.ok) return { status: "error", message: t(`ownWallets.errors.${result.error}`) };
    revalidatePath(PAGE);
    return { status: "ok", message: t("ownWallets.unlink.done") };
  },
  { rateLimit: buckets("unlink") },
);

"use server";

import { revalidatePath } from "next/cache";
import { roleAction } from "@/lib/actions";
import { approveLinkedWallet, rejectLinkedWallet } from "@/lib/wallet-links/approvals";
import { approveSchema, rejectSchema } from "@/lib/wallet-links/schemas";

/** Staff of the offering's issuer decide an investor's own wallet for the token's allowlist. */

export const approveLinkedWalletAction = roleAction("staff", approveSchema, async (input, { user, t }) => {
  const result = await approveLinkedWallet(user, input);
  if (!result.ok) return { status: "error", message: t(`ownWallets.staff.errors.${result.error}`) };
  revalidatePath(`/staff/offerings/${input.offeringId}/wallets`);
  return { status: "ok", message: t("ownWallets.staff.approved") };
});

export const rejectLinkedWalletAction = roleAction("staff", rejectSchema, async (input, { user, t }) => {
  const result = await rejectLinkedWallet(user, input);
  if (!result.ok) return { status: "error", message: t(`ownWallets.staff.errors.${result.error}`) };
  revalidatePath(`/staff/offerings/${input.offeringId}/wallets`);
  return { status: "ok", message: t("ownWallets.staff.rejected") };
});

/**
 * Every action the portal writes to the audit log, by area (the part before the dot, which the
 * audit page also filters by). The log is append-only: rename an action only with a new name.
 */
export const AUDIT_ACTIONS = [
  // An investor's own account (lib/auth/email-change.ts, app/(investor)/account).
  "account.email_change_requested",
  "account.email_change_cancelled",
  "account.email_changed",
  "account.signed_out_everywhere",
  "notifications.email_preference",

  // Onboarding: profile, identity check, and profile changes after it (reviewed by staff).
  "profile.created",
  "profile.updated",
  "profile.change_requested",
  "profile.change_withdrawn",
  "profile.change_approved",
  "profile.change_rejected",
  "identity.submitted",
  "identity.approved",
  "identity.rejected",
  // Staff confirmed the profile's address against the identity document (residence for residents' tranches).
  "identity.address_verified",
  "wallet.created",
  "wallet.allowlisted",
  // A wallet reported lost: the investor gets a fresh custodial key (lib/chain/forced-transfer.ts).
  "wallet.replaced",
  // A replaced wallet taken off a token's allowlist once its units there moved away (lib/chain/forced-transfer.ts).
  "wallet.delisted",

  // Offerings managed by staff; `offering.open` / `.paused` / `.closed` are status changes.
  // Konbini / bank transfer offered or not (its own card: not part of the approved terms).
  "offering.payment_methods_changed",
  "offering.created",
  "offering.updated",
  "offering.open",
  "offering.paused",
  "offering.closed",
  "offering.disclosure_published",
  // Four eyes on the terms: a second staff member of the issuer approves the revision (lib/offerings).
  "offering.terms_approved",
  // A change of approved terms sends them back to approval.
  "offering.approval_withdrawn",
  "offering.deploy_queued",
  // Open reservations released when an offering closes (staff, or the closing job at its end time).
  "offering.reservations_released",
  "token.deployed",
  "token.deploy_failed",

  // Issuers and their staff, managed by admins (lib/issuers).
  "issuer.created",
  "issuer.updated",
  // The municipality whose residents may buy first (lib/residents).
  "issuer.residence_set",
  "issuer.staff_granted",
  "issuer.staff_revoked",

  // Operating an offering's token (lib/chain/operations): each with the reason staff gave.
  "token.paused",
  "token.unpaused",
  "wallet.frozen",
  "wallet.unfrozen",
  "chain.transaction_retried",
  "chain.transaction_given_up",
  "forced_transfer.requested",
  "forced_transfer.approved",
  "forced_transfer.rejected",
  "forced_transfer.done",
  "forced_transfer.failed",

  // Municipal bonds (lib/bonds) and investors' payout accounts (lib/payouts).
  "bond.terms_saved",
  "payout_account.registered",
  "payout_account.replaced",
  // Bond servicing: record-date snapshots, coupon runs (four eyes), transfers, redemption burns.
  "bond.snapshot_taken",
  "bond.snapshot_mismatch",
  "coupon_run.prepared",
  "coupon_run.approved",
  "coupon_run.cancelled",
  "coupon_run.file_downloaded",
  "coupon_run.closed",
  "coupon_payment.paid",
  "coupon_payment.failed",
  "redemption.burn_queued",
  "redemption.burned",
  "issuer.payout_settings_saved",

  // Holders' village (lib/perks, lib/votes): record-date snapshots of a village token's holders,
  // perks and their claims. Ballots are never audited by person.
  "holders.snapshot_taken",
  "holders.snapshot_mismatch",
  "perk.created",
  "perk.updated",
  "perk.withdrawn",
  "perk.claimed",
  "perk.packing_list_downloaded",
  "perk_claim.shipped",
  "perk_claim.cancelled",
  "perk_claim.burned",
  "perk_claim.restored",
  "vote.created",

  // Own wallets (lib/wallet-links, lib/withdrawals, lib/stablecoin): linking by SIWE, approval for
  // a token's allowlist, withdrawals from custody, stablecoin payments settled with the allocation.
  "wallet_link.linked",
  "wallet_link.unlinked",
  "wallet_link.approved",
  "wallet_link.rejected",
  "wallet_link.allowlisted",
  "wallet_link.delisted",
  "withdrawal.requested",
  "withdrawal.confirmed",
  "withdrawal.failed",
  "stablecoin.payment_submitted",
  "stablecoin.settled",
  "stablecoin.failed",
  "stablecoin.contracts_deployed",

  // Settlement reports of closed offerings (lib/settlement).
  "settlement.report_created",

  // Orders after payment: refunds and card disputes (lib/orders/charge-events.ts, refund.ts).
  "order.refund_requested",
  "order.partially_refunded",
  "order.refunded",
  "order.disputed",
  "order.dispute_won",
  "order.dispute_lost",
  // Konbini and bank transfer (lib/orders/deferred): the instructions issued, and cancellations.
  "order.payment_instructions_issued",
  "order.payment_cancelled",
  // The investor cancelled within the cooling-off period (lib/orders/cooling-off): refund and clawback follow.
  "order.cooling_off_cancelled",

  // Payments the portal could not apply (one per payment exception kind) and what became of them.
  "payment.unmatched_event",
  "payment.amount_mismatch",
  "payment.duplicate_payment",
  "payment.late_payment_sold_out",
  "payment.late_payment_over_cap",
  // A payment that arrived after the investor cancelled the order within cooling-off (refunded).
  "payment.late_payment_cancelled",
  "payment.underpaid_transfer",
  "payment.unapplied_transfer",
  // Staff asked the buyer to transfer the rest of an underpaid order.
  "payment.topup_requested",
  "payment.refund_queued",
  "payment.refund_sent",
  "payment.exception_dismissed",
  // A dispute closed on an order that was not (or no longer) disputed: nothing changed.
  "payment.dispute_closed",

  // Compliance steps on chain for refunded and disputed orders (lib/chain/compliance.ts).
  "tokens.clawed_back",
  "tokens.frozen",
  "tokens.unfrozen",
  "tokens.clawback_failed",
  "tokens.freeze_failed",
  "tokens.unfreeze_failed",
  // A closed dispute left the wallet frozen: staff froze it themselves.
  "tokens.freeze_kept",

  // Projects, their updates and spending (lib/projects).
  "project.created",
  "project.updated",
  "project.published",
  "project.unpublished",
  "update.created",
  "update.edited",
  "update.withdrawn",
  "update.published",
  "spending.recorded",
  "spending.removed",

  // The holder register.
  "register.exported",
  "orders.exported",
  // A demo-only holding granted by staff (never in live mode).
  "demo.holding_granted",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

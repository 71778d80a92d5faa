/**
 * Every server action and route handler of app/, with how the fuzz suite calls it. The suite finds
 * them on the file system and fails when one has no entry here, or an entry names nothing.
 */

/** Which test file fuzzes an action (three files, so vitest runs them side by side). */
export type ActionGroup = "investor" | "issuer-ops" | "staff";

/** Field name → table whose ids it gets (other people's things); without one, lib defaults by field name. */
export type ActionEntry = { group: ActionGroup; pools?: Record<string, string> };

const investor: ActionEntry = { group: "investor" };
const issuerOps: ActionEntry = { group: "issuer-ops" };
const staff: ActionEntry = { group: "staff" };

export const ACTIONS: Record<string, ActionEntry> = {
  "(investor)/account/actions.ts#signOutEverywhereAction": investor,
  "(investor)/account/actions.ts#requestEmailChangeAction": investor,
  "(investor)/account/actions.ts#confirmEmailChangeAction": investor,
  "(investor)/account/actions.ts#cancelEmailChangeAction": investor,
  "(investor)/account/payout/actions.ts#registerPayoutAccountAction": investor,
  "(investor)/account/wallets/actions.ts#walletChallengeAction": investor,
  "(investor)/account/wallets/actions.ts#linkWalletAction": investor,
  "(investor)/account/wallets/actions.ts#requestApprovalAction": investor,
  "(investor)/account/wallets/actions.ts#unlinkWalletAction": investor,
  "(investor)/account/wallets/withdraw/actions.ts#requestWithdrawalAction": investor,
  "(investor)/notifications/actions.ts#markAllReadAction": investor,
  "(investor)/notifications/actions.ts#saveEmailPreferenceAction": investor,
  "(investor)/onboarding/actions.ts#saveProfileAction": investor,
  "(investor)/onboarding/actions.ts#saveSuitabilityAction": investor,
  "(investor)/onboarding/actions.ts#acceptDocumentsAction": { group: "investor", pools: { documentIds: "legal_documents" } },
  "(investor)/onboarding/actions.ts#uploadIdentityAction": investor,
  "(investor)/orders/[id]/actions.ts#prepareStablecoinAction": investor,
  "(investor)/orders/[id]/actions.ts#submitStablecoinAction": investor,
  "(investor)/orders/[id]/cooling-off-actions.ts#cancelCoolingOffAction": investor,
  "(investor)/perks/actions.ts#claimPerkAction": investor,
  "(investor)/perks/actions.ts#claimPerkWithoutAddressAction": investor,
  "(public)/offerings/[slug]/actions.ts#buyAction": investor,
  "(public)/sign-in/actions.ts#requestSignInLink": investor,
  "(public)/votes/[id]/actions.ts#castBallotAction": investor,
  "(staff)/staff/admin/issuers/actions.ts#saveIssuerAction": staff,
  "(staff)/staff/admin/issuers/actions.ts#grantStaffAction": staff,
  "(staff)/staff/admin/issuers/actions.ts#revokeStaffAction": staff,
  "(staff)/staff/offerings/[id]/chain/actions.ts#pauseTokenAction": issuerOps,
  "(staff)/staff/offerings/[id]/chain/actions.ts#freezeWalletAction": issuerOps,
  "(staff)/staff/offerings/[id]/chain/actions.ts#retryTransactionAction": issuerOps,
  "(staff)/staff/offerings/[id]/chain/actions.ts#giveUpTransactionAction": issuerOps,
  "(staff)/staff/offerings/[id]/chain/actions.ts#refundGivenUpOrderAction": issuerOps,
  "(staff)/staff/offerings/[id]/chain/actions.ts#requestForcedTransferAction": issuerOps,
  "(staff)/staff/offerings/[id]/chain/actions.ts#approveForcedTransferAction": issuerOps,
  "(staff)/staff/offerings/[id]/chain/actions.ts#rejectForcedTransferAction": issuerOps,
  "(staff)/staff/offerings/[id]/coupons/actions.ts#prepareRunAction": issuerOps,
  "(staff)/staff/offerings/[id]/coupons/actions.ts#prepareCarryOverRunAction": issuerOps,
  "(staff)/staff/offerings/[id]/coupons/actions.ts#takeSnapshotAction": issuerOps,
  "(staff)/staff/offerings/[id]/coupons/actions.ts#approveRunAction": issuerOps,
  "(staff)/staff/offerings/[id]/coupons/actions.ts#cancelRunAction": issuerOps,
  "(staff)/staff/offerings/[id]/coupons/actions.ts#markAllPaidAction": issuerOps,
  "(staff)/staff/offerings/[id]/coupons/actions.ts#markPaymentPaidAction": issuerOps,
  "(staff)/staff/offerings/[id]/coupons/actions.ts#markPaymentFailedAction": issuerOps,
  "(staff)/staff/offerings/[id]/coupons/actions.ts#saveIssuerSettingsAction": issuerOps,
  "(staff)/staff/offerings/[id]/payment-method-actions.ts#setPaymentMethodsAction": issuerOps,
  "(staff)/staff/offerings/[id]/perks/actions.ts#createPerkAction": issuerOps,
  "(staff)/staff/offerings/[id]/perks/actions.ts#updatePerkAction": issuerOps,
  "(staff)/staff/offerings/[id]/perks/actions.ts#withdrawPerkAction": issuerOps,
  "(staff)/staff/offerings/[id]/perks/actions.ts#shipClaimAction": issuerOps,
  "(staff)/staff/offerings/[id]/perks/actions.ts#cancelClaimAction": issuerOps,
  "(staff)/staff/offerings/[id]/settlement/actions.ts#requestReportAction": issuerOps,
  "(staff)/staff/offerings/[id]/votes/actions.ts#createVoteAction": issuerOps,
  "(staff)/staff/offerings/[id]/votes/actions.ts#retakeVoteSnapshotAction": issuerOps,
  "(staff)/staff/offerings/[id]/wallets/actions.ts#approveLinkedWalletAction": issuerOps,
  "(staff)/staff/offerings/[id]/wallets/actions.ts#rejectLinkedWalletAction": issuerOps,
  "(staff)/staff/offerings/[id]/withdrawal-actions.ts#setWithdrawalLimitAction": issuerOps,
  "(staff)/staff/offerings/actions.ts#createOfferingAction": staff,
  "(staff)/staff/offerings/actions.ts#updateOfferingAction": staff,
  "(staff)/staff/offerings/actions.ts#approveTermsAction": staff,
  "(staff)/staff/offerings/actions.ts#requeueDeploymentAction": staff,
  "(staff)/staff/offerings/actions.ts#setOfferingStatusAction": staff,
  "(staff)/staff/offerings/actions.ts#publishDisclosureAction": staff,
  "(staff)/staff/orders/actions.ts#refundOrderAction": staff,
  "(staff)/staff/payments/actions.ts#refundExceptionAction": staff,
  "(staff)/staff/payments/actions.ts#requestTopUpAction": staff,
  "(staff)/staff/payments/actions.ts#dismissExceptionAction": staff,
  "(staff)/staff/projects/actions.ts#saveProjectAction": staff,
  "(staff)/staff/projects/actions.ts#setProjectPublishedAction": staff,
  "(staff)/staff/projects/actions.ts#saveUpdateAction": staff,
  "(staff)/staff/projects/actions.ts#setUpdatePublishedAction": staff,
  "(staff)/staff/projects/actions.ts#recordSpendingAction": staff,
  "(staff)/staff/projects/actions.ts#removeSpendingAction": staff,
  "(staff)/staff/reviews/actions.ts#decideReviewAction": staff,
  "(staff)/staff/reviews/actions.ts#decideProfileChangeAction": { group: "staff", pools: { requestId: "profile_change_requests" } },
  "actions.ts#switchLocale": investor,
  "actions.ts#signOutAction": investor,
};

/**
 * How a route is fuzzed: `json` routes take or give JSON (the scope); `file` routes give a
 * download or a page and are fuzzed the same way, since a 5xx there is as real. `body` says what
 * hostile body a request carries; `params` maps a path parameter to the table whose ids it gets.
 */
export type RouteEntry = { answers: "json" | "file"; body?: "json" | "webhook" | "any"; params?: Record<string, string> };

const json: RouteEntry = { answers: "json" };
const jsonBody: RouteEntry = { answers: "json", body: "json" };
const file: RouteEntry = { answers: "file" };
const DEMO_ROUTE_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
const everyMethod = (path: string, entry: RouteEntry) => Object.fromEntries(DEMO_ROUTE_METHODS.map((method) => [`${path}#${method}`, entry]));

export const ROUTES: Record<string, RouteEntry> = {
  "(investor)/account/income/notices/[paymentId]/pdf/route.ts#GET": { answers: "file", params: { paymentId: "coupon_payments" } },
  "(investor)/account/income/statements/[year]/csv/route.ts#GET": file,
  "(investor)/account/income/statements/[year]/pdf/route.ts#GET": file,
  "(staff)/staff/offerings/[id]/coupons/[runId]/file/route.ts#GET": { answers: "file", params: { id: "offerings", runId: "coupon_runs" } },
  "(staff)/staff/offerings/[id]/perks/[perkId]/packing-list/route.ts#GET": { answers: "file", params: { id: "offerings", perkId: "perks" } },
  "(staff)/staff/offerings/[id]/settlement/csv/route.ts#GET": { answers: "file", params: { id: "offerings" } },
  "(staff)/staff/offerings/[id]/settlement/pdf/route.ts#GET": { answers: "file", params: { id: "offerings" } },
  "(staff)/staff/orders/export/route.ts#GET": file,
  ...everyMethod("(staff)/staff/register/demo-holding/route.ts", jsonBody),
  "(staff)/staff/register/export/route.ts#GET": file,
  "api/auth/[...nextauth]/route.ts#GET": json,
  "api/auth/[...nextauth]/route.ts#POST": { answers: "json", body: "any" },
  ...everyMethod("api/dev/stablecoin-faucet/route.ts", jsonBody),
  "api/health/route.ts#GET": json,
  "api/identity-documents/[id]/route.ts#GET": { answers: "file", params: { id: "identity_documents" } },
  "api/images/[id]/route.ts#GET": { answers: "file", params: { id: "images" } },
  "api/stripe/webhook/route.ts#POST": { answers: "json", body: "webhook" },
  "api/v1/[...path]/route.ts#GET": json,
  "api/v1/[...path]/route.ts#OPTIONS": json,
  "api/v1/issuers/[slug]/route.ts#GET": { answers: "json", params: { slug: "villages" } },
  "api/v1/issuers/[slug]/route.ts#OPTIONS": json,
  "api/v1/issuers/route.ts#GET": json,
  "api/v1/issuers/route.ts#OPTIONS": json,
  "api/v1/offerings/[slug]/route.ts#GET": { answers: "json", params: { slug: "offerings" } },
  "api/v1/offerings/[slug]/route.ts#OPTIONS": json,
  "api/v1/offerings/route.ts#GET": json,
  "api/v1/offerings/route.ts#OPTIONS": json,
  "api/v1/openapi.json/route.ts#GET": json,
  "api/v1/openapi.json/route.ts#OPTIONS": json,
  "api/v1/projects/[slug]/route.ts#GET": { answers: "json", params: { slug: "projects" } },
  "api/v1/projects/[slug]/route.ts#OPTIONS": json,
  "api/v1/projects/[slug]/spending/route.ts#GET": { answers: "json", params: { slug: "projects" } },
  "api/v1/projects/[slug]/spending/route.ts#OPTIONS": json,
  "api/v1/projects/[slug]/updates/route.ts#GET": { answers: "json", params: { slug: "projects" } },
  "api/v1/projects/[slug]/updates/route.ts#OPTIONS": json,
  "api/v1/projects/route.ts#GET": json,
  "api/v1/projects/route.ts#OPTIONS": json,
  "favicon.ico/route.ts#GET": file,
  "feed.xml/route.ts#GET": file,
};

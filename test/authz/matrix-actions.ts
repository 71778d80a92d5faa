import { randomUUID } from "node:crypto";
import { nextBusinessDay } from "@/lib/bonds/calendar";
import { PNG_1x1 } from "@/test/images";
import { VALID_PROFILE } from "@/test/fixtures";
import { DELIVERY, perkFields } from "@/test/actions/perks-world";
import { projectFields, updateFields } from "@/test/actions/project-fixtures";
import type { MessageKey } from "@/lib/i18n/catalog";
import type { Rule, Outcome } from "./matrix";
import type { World, Who } from "./world";

/**
 * The server actions' half of the matrix: each action's rule and a valid-looking form for a thing
 * of "this" investor or issuer. A form must pass validation, so that the action's own checks (who
 * owns the thing) run; the test fails when an allowed caller gets "invalid".
 */

type Fields = Record<string, string | Blob | string[]>;
/** `refusal`: the action's own typed answer to a caller who may not touch the thing, when it is not the not-found one. */
export type ActionRule = { rule: Rule; form: (w: World) => Fields; expect?: Partial<Record<Who, Outcome>>; note?: string; refusal?: MessageKey };

const day = 24 * 60 * 60 * 1000;
const tokyoInput = (date: Date) => new Date(date.getTime() + 9 * 3_600_000).toISOString().slice(0, 16);
const tokyoDay = (date: Date) => tokyoInput(date).slice(0, 10);
/** A bank business day about n days ahead (Tokyo), for dates that must be near and a business day. */
const businessDayIn = (n: number) => nextBusinessDay(tokyoDay(new Date(Date.now() + n * day)));
const reason = "Checked by the authorisation matrix";
const png = () => new File([PNG_1x1], "id.png", { type: "image/png" });

const TERMS = {
  kind: "village_token",
  nameJa: "海辺町 漁港トークン 第2回",
  nameEn: "Umibe Harbour Token, Series 2",
  descriptionJa: "漁港の整備に充てます。",
  descriptionEn: "For the harbour.",
  tokenSymbol: "UHT2",
  priceYen: "1000",
  capUnits: "2000",
  minUnitsPerOrder: "1",
  maxUnitsPerOrder: "100",
  yearlyCapYenPerInvestor: "500000",
  opensAt: "2027-01-05T09:00",
  closesAt: "2099-03-31T17:00",
};
const ISSUER = {
  kind: "municipality",
  nameJa: "海辺町",
  nameEn: "Umibe Town",
  prefectureJa: "高知県",
  prefectureEn: "Kochi",
  population: "3200",
  descriptionJa: "港町です。",
  descriptionEn: "A harbour town.",
};

const onOffering = (extra: (w: World) => Fields) => (w: World) => ({ offeringId: w.offering.id, ...extra(w) });
const onBond = (extra: (w: World) => Fields) => (w: World) => ({ offeringId: w.bond.id, ...extra(w) });
const staff = (form: (w: World) => Fields, note?: string): ActionRule => ({ rule: "issuerStaff", form, ...(note ? { note } : {}) });
const mine = (form: (w: World) => Fields, note?: string): ActionRule => ({ rule: "owner", form, ...(note ? { note } : {}) });
const signedIn = (form: (w: World) => Fields = () => ({}), note?: string): ActionRule => ({ rule: "signedIn", form, ...(note ? { note } : {}) });

export const ACTIONS: Record<string, ActionRule> = {
  "app/actions#switchLocale": { rule: "public", form: () => ({ locale: "en", returnTo: "/" }) },
  "app/actions#signOutAction": signedIn(),
  "lib/auth/background-refresh#refreshInBackground": { rule: "public", form: () => ({}), note: "re-renders the page the caller is on: nothing to protect" },
  "app/(public)/sign-in/actions#requestSignInLink": { rule: "public", form: () => ({ email: `matrix-${randomUUID()}@example.jp`, callbackUrl: "/dashboard" }) },
  "app/(public)/offerings/[slug]/actions#buyAction": signedIn(
    (w) => ({ offeringId: w.offering.id, units: "1", disclosureId: w.disclosure.id, confirmDisclosure: "on", paymentMethod: "card" }),
    "anyone signed in may try to buy; eligibility is the handler's answer",
  ),
  "app/(public)/votes/[id]/actions#castBallotAction": signedIn((w) => ({ voteId: w.vote.id, optionId: w.option.id }), "a holder's ballot; others are told why not"),

  "app/(investor)/account/actions#signOutEverywhereAction": signedIn(),
  "app/(investor)/account/actions#requestEmailChangeAction": signedIn(() => ({ newEmail: `matrix-${randomUUID()}@example.jp` })),
  "app/(investor)/account/actions#confirmEmailChangeAction": { rule: "public", form: () => ({ token: "x".repeat(43) }), note: "the emailed token is the credential" },
  "app/(investor)/account/actions#cancelEmailChangeAction": { rule: "public", form: () => ({ token: "x".repeat(43) }), note: "the emailed token is the credential" },
  "app/(investor)/account/payout/actions#registerPayoutAccountAction": signedIn(() => ({
    bankCode: "0001",
    branchCode: "110",
    accountType: "ordinary",
    accountNumber: "7654321",
    holderNameKana: "ハマダ カイト",
  })),
  "app/(investor)/account/wallets/actions#walletChallengeAction": signedIn((w) => ({ address: w.link.address })),
  "app/(investor)/account/wallets/actions#linkWalletAction": signedIn(() => ({ message: "not a SIWE message", signature: `0x${"1".repeat(130)}` }), "the signature is the proof"),
  "app/(investor)/account/wallets/actions#requestApprovalAction": mine((w) => ({ linkedWalletId: w.link.id, offeringId: w.bond.id })),
  "app/(investor)/account/wallets/actions#unlinkWalletAction": mine((w) => ({ linkedWalletId: w.link.id })),
  "app/(investor)/account/wallets/withdraw/actions#requestWithdrawalAction": {
    ...mine((w) => ({ offeringId: w.offering.id, linkedWalletId: w.link.id, units: "1", requestKey: randomUUID() })),
    refusal: "withdrawals.outcome.walletNotEligible",
  },
  "app/(investor)/notifications/actions#markAllReadAction": signedIn(),
  "app/(investor)/notifications/actions#saveEmailPreferenceAction": signedIn(() => ({ emailUpdates: "on" })),
  "app/(investor)/onboarding/actions#saveProfileAction": signedIn(() => ({ ...VALID_PROFILE })),
  "app/(investor)/onboarding/actions#saveSuitabilityAction": signedIn(() => ({ experience: "none", incomeBand: "under_3m", assetBand: "under_1m", purpose: "support_village", understandsRisk: "on" })),
  "app/(investor)/onboarding/actions#acceptDocumentsAction": signedIn((w) => ({ documentIds: [w.disclosure.id] })),
  "app/(investor)/onboarding/actions#uploadIdentityAction": signedIn(() => ({ document: png() })),
  "app/(investor)/orders/[id]/actions#prepareStablecoinAction": mine((w) => ({ orderId: w.order.id })),
  "app/(investor)/orders/[id]/actions#submitStablecoinAction": mine((w) => ({
    orderId: w.order.id,
    kind: "eip3009",
    from: w.link.address,
    to: w.link.address,
    value: "1000000000000000000000",
    validAfter: "0",
    validBefore: String(Math.floor(Date.now() / 1000) + 600),
    nonce: `0x${"2".repeat(64)}`,
    signature: `0x${"3".repeat(130)}`,
  })),
  "app/(investor)/orders/[id]/cooling-off-actions#cancelCoolingOffAction": { ...mine((w) => ({ orderId: w.order.id })), refusal: "coolingOff.errors.notOwner" },
  "app/(investor)/perks/actions#claimPerkAction": signedIn((w) => ({ perkId: w.perk.id, ...DELIVERY }), "any holder claims; others are told why not"),
  "app/(investor)/perks/actions#claimPerkWithoutAddressAction": signedIn((w) => ({ perkId: w.perk.id }), "any holder claims; others are told why not"),

  "app/(staff)/staff/admin/issuers/actions#saveIssuerAction": { rule: "admin", form: (w) => ({ ...ISSUER, slug: "umibe", issuerId: w.issuerId }) },
  "app/(staff)/staff/admin/issuers/actions#grantStaffAction": { rule: "admin", form: (w) => ({ issuerId: w.issuerId, email: w.newcomer.email! }) },
  "app/(staff)/staff/admin/issuers/actions#revokeStaffAction": { rule: "admin", form: (w) => ({ issuerId: w.issuerId, userId: w.colleague.id }) },
  "app/(staff)/staff/reviews/actions#decideReviewAction": {
    rule: "staffAny",
    form: (w) => ({ documentId: w.pendingDoc.id, decision: "reject", reason: "The photo is blurred." }),
    note: "identity checks belong to no issuer: any staff member reviews them",
  },
  "app/(staff)/staff/reviews/actions#decideProfileChangeAction": {
    rule: "staffAny",
    form: (w) => ({ requestId: w.change.id, decision: "reject", reason: "Please send a document." }),
    note: "as identity checks",
  },
  "app/(staff)/staff/orders/actions#refundOrderAction": staff((w) => ({ orderId: w.paidOrder.id })),
  "app/(staff)/staff/payments/actions#refundExceptionAction": staff((w) => ({ exceptionId: w.exceptions.refund.id })),
  "app/(staff)/staff/payments/actions#requestTopUpAction": {
    ...staff((w) => ({ exceptionId: w.exceptions.topUp.id })),
    expect: { staffThis: "notFound", admin: "notFound" },
    note: "weak: a top-up needs an order awaiting a bank transfer, which this world lacks, so the issuer's staff get the not-found answer too",
  },
  "app/(staff)/staff/payments/actions#dismissExceptionAction": staff((w) => ({ exceptionId: w.exceptions.dismiss.id, note: "Handled by phone." })),

  "app/(staff)/staff/projects/actions#saveProjectAction": staff((w) => ({ ...projectFields(w.project.slug, w.offering.id), projectId: w.project.id })),
  "app/(staff)/staff/projects/actions#setProjectPublishedAction": staff((w) => ({ projectId: w.project.id, publish: "false" })),
  "app/(staff)/staff/projects/actions#saveUpdateAction": staff((w) => ({ ...updateFields(w.project.id), updateId: w.update.id })),
  "app/(staff)/staff/projects/actions#setUpdatePublishedAction": staff((w) => ({ updateId: w.update.id, publish: "false" })),
  "app/(staff)/staff/projects/actions#recordSpendingAction": staff((w) => ({ projectId: w.project.id, spentOn: "2026-11-02", amountYen: "7000", descriptionJa: "資材", descriptionEn: "Materials" })),
  "app/(staff)/staff/projects/actions#removeSpendingAction": staff((w) => ({ spendingId: w.spending.id })),

  "app/(staff)/staff/offerings/actions#createOfferingAction": staff((w) => ({ ...TERMS, slug: `umibe-harbour-${Date.now()}`, issuerId: w.issuerId })),
  "app/(staff)/staff/offerings/actions#updateOfferingAction": staff((w) => ({
    ...TERMS,
    slug: w.offering.slug,
    tokenSymbol: w.offering.tokenSymbol,
    priceYen: String(w.offering.priceYen),
    capUnits: String(w.offering.capUnits),
    offeringId: w.offering.id,
  })),
  "app/(staff)/staff/offerings/actions#approveTermsAction": staff(onOffering((w) => ({ revision: String(w.offering.termsRevision) }))),
  "app/(staff)/staff/offerings/actions#requeueDeploymentAction": staff(onOffering(() => ({}))),
  "app/(staff)/staff/offerings/actions#setOfferingStatusAction": staff(onOffering(() => ({ status: "paused" }))),
  "app/(staff)/staff/offerings/actions#publishDisclosureAction": staff(onOffering(() => ({ version: "9.9", titleJa: "説明書", titleEn: "Disclosure", bodyJa: "本文", bodyEn: "Body" }))),
  "app/(staff)/staff/offerings/[id]/payment-method-actions#setPaymentMethodsAction": staff(onOffering(() => ({ konbini: "on", bankTransfer: "on" }))),
  "app/(staff)/staff/offerings/[id]/withdrawal-actions#setWithdrawalLimitAction": staff(onOffering(() => ({ withdrawalDailyLimitUnits: "50" }))),
  "app/(staff)/staff/offerings/[id]/settlement/actions#requestReportAction": staff(onOffering(() => ({}))),
  "app/(staff)/staff/offerings/[id]/wallets/actions#approveLinkedWalletAction": staff(onBond((w) => ({ approvalId: w.approval.id }))),
  "app/(staff)/staff/offerings/[id]/wallets/actions#rejectLinkedWalletAction": staff(onBond((w) => ({ approvalId: w.approval.id, reason }))),

  "app/(staff)/staff/offerings/[id]/chain/actions#pauseTokenAction": staff(onOffering(() => ({ paused: "true", reason }))),
  "app/(staff)/staff/offerings/[id]/chain/actions#freezeWalletAction": staff(onOffering((w) => ({ frozen: "true", holder: w.who.investor!.email, reason }))),
  "app/(staff)/staff/offerings/[id]/chain/actions#retryTransactionAction": staff(onOffering((w) => ({ chainTransactionId: w.tx.id }))),
  "app/(staff)/staff/offerings/[id]/chain/actions#giveUpTransactionAction": staff(onOffering((w) => ({ chainTransactionId: w.tx.id, reason }))),
  "app/(staff)/staff/offerings/[id]/chain/actions#refundGivenUpOrderAction": staff(onOffering((w) => ({ orderId: w.order.id }))),
  "app/(staff)/staff/offerings/[id]/chain/actions#requestForcedTransferAction": staff(onOffering((w) => ({ holder: w.who.investor!.email, reason }))),
  "app/(staff)/staff/offerings/[id]/chain/actions#approveForcedTransferAction": staff(onOffering((w) => ({ requestId: w.forced.id }))),
  "app/(staff)/staff/offerings/[id]/chain/actions#rejectForcedTransferAction": staff(onOffering((w) => ({ requestId: w.forced.id, reason }))),

  "app/(staff)/staff/offerings/[id]/perks/actions#createPerkAction": staff((w) => perkFields(w.offering.id)),
  "app/(staff)/staff/offerings/[id]/perks/actions#updatePerkAction": staff((w) => ({ ...perkFields(w.offering.id), perkId: w.perk.id })),
  "app/(staff)/staff/offerings/[id]/perks/actions#withdrawPerkAction": staff(onOffering((w) => ({ perkId: w.perk.id }))),
  "app/(staff)/staff/offerings/[id]/perks/actions#shipClaimAction": staff(onOffering((w) => ({ claimId: w.claim.id, trackingNumber: "1234-5678-9012" }))),
  "app/(staff)/staff/offerings/[id]/perks/actions#cancelClaimAction": staff(onOffering((w) => ({ claimId: w.claim.id, reason }))),

  "app/(staff)/staff/offerings/[id]/votes/actions#createVoteAction": staff(
    onOffering(() => ({
      questionJa: "次に何を作りますか",
      questionEn: "What do we build next?",
      recordDate: tokyoDay(new Date(Date.now() - 2 * day)),
      endsAt: tokyoInput(new Date(Date.now() + 7 * day)),
      counting: "per_holder",
      "option.0.labelJa": "桟橋",
      "option.0.labelEn": "Pier",
      "option.1.labelJa": "屋根",
      "option.1.labelEn": "Roof",
    })),
  ),
  "app/(staff)/staff/offerings/[id]/votes/actions#retakeVoteSnapshotAction": staff(onOffering((w) => ({ voteId: w.vote.id }))),

  "app/(staff)/staff/offerings/[id]/coupons/actions#prepareRunAction": staff(onBond(() => ({ paymentNumber: "2" }))),
  "app/(staff)/staff/offerings/[id]/coupons/actions#prepareCarryOverRunAction": staff(onBond(() => ({ paymentDate: businessDayIn(40) }))),
  "app/(staff)/staff/offerings/[id]/coupons/actions#takeSnapshotAction": staff(onBond(() => ({ paymentNumber: "2" }))),
  "app/(staff)/staff/offerings/[id]/coupons/actions#approveRunAction": staff(onBond((w) => ({ runId: w.run.id }))),
  "app/(staff)/staff/offerings/[id]/coupons/actions#cancelRunAction": staff(onBond((w) => ({ runId: w.run.id, reason }))),
  "app/(staff)/staff/offerings/[id]/coupons/actions#markAllPaidAction": staff(onBond((w) => ({ runId: w.run.id }))),
  "app/(staff)/staff/offerings/[id]/coupons/actions#markPaymentPaidAction": staff(onBond((w) => ({ runId: w.run.id, paymentId: w.payment.id }))),
  "app/(staff)/staff/offerings/[id]/coupons/actions#markPaymentFailedAction": staff(onBond((w) => ({ runId: w.run.id, paymentId: w.payment.id, reason }))),
  "app/(staff)/staff/offerings/[id]/coupons/actions#saveIssuerSettingsAction": staff(
    onBond(() => ({ requesterCode: "1234567890", requesterNameKana: "ウミベチョウ", bankCode: "0001", branchCode: "110", accountType: "ordinary", accountNumber: "1234567" })),
  ),
};

/** Server actions written inline in a component ("use server" in a function body): each only calls an exported action, whose entry covers it. */
export const INLINE_ACTIONS: Record<string, string> = {
  "components/site/header#signOutFromHeader": "signOutAction",
  "components/site/locale-switch#switchLocaleFromHeader": "switchLocale",
};

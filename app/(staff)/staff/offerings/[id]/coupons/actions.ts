"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { roleAction, type ActionState } from "@/lib/actions";
import type { SessionUser } from "@/lib/auth/roles";
import { bondSchedule } from "@/lib/bonds/schedule";
import { requestChainContext } from "@/lib/chain/context";
import { takeRecordSnapshot } from "@/lib/bonds/snapshot";
import { approveCouponRun, cancelCouponRun } from "@/lib/coupons/approve";
import { prepareCarryOverRun } from "@/lib/coupons/carry-over-run";
import { saveIssuerPayoutSettings } from "@/lib/coupons/issuer-settings";
import { markFailed, markPaid } from "@/lib/coupons/payments";
import { prepareCouponRun } from "@/lib/coupons/prepare";
import { cancelRunSchema, failPaymentSchema, issuerSettingsSchema, paymentNumberSchema, paymentSchema, runSchema } from "@/lib/coupons/schemas";
import { servicedBondTerms } from "@/lib/coupons/snapshot-state";
import { getDb } from "@/db/client";
import type { Translate } from "@/lib/i18n/catalog";
import { msg } from "@/lib/i18n/keys";
import { offeringForStaff } from "@/lib/issuers/access";

type Offering = NonNullable<Awaited<ReturnType<typeof offeringForStaff>>>;

/** Only staff of the offering's issuer (or admin) act on its coupons; anyone else learns nothing. */
async function forOffering(user: SessionUser, offeringId: string, t: Translate, run: (offering: Offering) => Promise<ActionState>): Promise<ActionState> {
  const offering = await offeringForStaff(user, offeringId);
  if (!offering) return { status: "error", message: t("coupons.errors.notFound") };
  const state = await run(offering);
  if (state.status === "ok") revalidatePath(`/staff/offerings/${offering.id}/coupons`, "layout");
  return state;
}

export const prepareRunAction = roleAction("staff", paymentNumberSchema, async (input, { user, t }) =>
  forOffering(user, input.offeringId, t, async (offering) => {
    const result = await prepareCouponRun({ offeringId: offering.id, paymentNumber: input.paymentNumber, actorId: user.id });
    if (!result.ok) return { status: "error", message: t(`coupons.errors.${result.error}`) };
    return { status: "ok", message: t("coupons.run.prepared", { holders: result.holders, carried: result.carried }) };
  }),
);

const carryOverSchema = z.object({
  offeringId: z.uuid({ error: msg("errors.invalid") }),
  paymentDate: z
    .string({ error: msg("coupons.errors.badDate") })
    .trim()
    .max(10, { error: msg("coupons.errors.badDate") }),
});

const DATE_ERRORS = new Set(["badDate", "pastDate", "notBusinessDay", "tooFar"]);

/** A payment of amounts owed on a date staff choose; a refused date is reported on the field. */
export const prepareCarryOverRunAction = roleAction("staff", carryOverSchema, async (input, { user, t }) =>
  forOffering(user, input.offeringId, t, async (offering) => {
    const result = await prepareCarryOverRun({ offeringId: offering.id, paymentDate: input.paymentDate, actorId: user.id });
    if (!result.ok) {
      const message = t(`coupons.errors.${result.error}`);
      return DATE_ERRORS.has(result.error) ? { status: "invalid", message, fieldErrors: { paymentDate: message }, values: { paymentDate: input.paymentDate } } : { status: "error", message };
    }
    return { status: "ok", message: t("coupons.carryOver.prepared", { holders: result.holders, carried: result.carried }) };
  }),
);

/** Staff take (or retake, after a mismatch or error) the snapshot of one payment now. */
export const takeSnapshotAction = roleAction("staff", paymentNumberSchema, async (input, { user, t }) =>
  forOffering(user, input.offeringId, t, async (offering) => {
    const terms = await servicedBondTerms(offering, getDb());
    const payment = terms ? bondSchedule(terms)[input.paymentNumber - 1] : undefined;
    if (!payment) return { status: "error", message: t("coupons.errors.noPayment") };
    const outcome = await takeRecordSnapshot({ offeringId: offering.id, paymentDate: payment.paymentDate, takenBy: user.id }, requestChainContext());
    const message = t(`coupons.snapshot.outcome.${outcome.status}`);
    return outcome.status === "frozen" || outcome.status === "already_frozen" ? { status: "ok", message } : { status: "error", message };
  }),
);

export const approveRunAction = roleAction("staff", runSchema, async (input, { user, t }) =>
  forOffering(user, input.offeringId, t, async (offering) => {
    const result = await approveCouponRun({ offeringId: offering.id, runId: input.runId, actorId: user.id });
    if (!result.ok) return { status: "error", message: t(`coupons.errors.${result.error}`) };
    return { status: "ok", message: t("coupons.actions.approved", { inFile: result.inFile, waiting: result.waiting }) };
  }),
);

export const cancelRunAction = roleAction("staff", cancelRunSchema, async (input, { user, t }) =>
  forOffering(user, input.offeringId, t, async (offering) => {
    const result = await cancelCouponRun({ offeringId: offering.id, runId: input.runId, actorId: user.id, reason: input.reason });
    if (!result.ok) return { status: "error", message: t(`coupons.errors.${result.error}`) };
    return { status: "ok", message: t("coupons.actions.cancelled") };
  }),
);

function marked(t: Translate, result: Awaited<ReturnType<typeof markPaid>>, done: string): ActionState {
  if (!result.ok) return { status: "error", message: t(`coupons.errors.${result.error}`) };
  return { status: "ok", message: result.closed ? `${done} ${t("coupons.actions.closedToo")}` : done };
}

export const markAllPaidAction = roleAction("staff", runSchema, async (input, { user, t }) =>
  forOffering(user, input.offeringId, t, async (offering) => {
    const result = await markPaid({ offeringId: offering.id, runId: input.runId, actorId: user.id });
    return marked(t, result, t("coupons.actions.markedPaid", { count: result.ok ? result.marked : 0 }));
  }),
);

export const markPaymentPaidAction = roleAction("staff", paymentSchema, async (input, { user, t }) =>
  forOffering(user, input.offeringId, t, async (offering) => {
    const result = await markPaid({ offeringId: offering.id, runId: input.runId, paymentId: input.paymentId, actorId: user.id });
    return marked(t, result, t("coupons.actions.markedPaid", { count: 1 }));
  }),
);

export const markPaymentFailedAction = roleAction("staff", failPaymentSchema, async (input, { user, t }) =>
  forOffering(user, input.offeringId, t, async (offering) => {
    const result = await markFailed({ offeringId: offering.id, runId: input.runId, paymentId: input.paymentId, actorId: user.id, reason: input.reason });
    return marked(t, result, t("coupons.actions.markedFailed"));
  }),
);

export const saveIssuerSettingsAction = roleAction("staff", issuerSettingsSchema, async ({ offeringId, ...input }, { user, t }) =>
  forOffering(user, offeringId, t, async (offering) => {
    const result = await saveIssuerPayoutSettings(user.id, offering.villageId, input);
    if (!result.ok) {
      const fieldErrors = Object.fromEntries(Object.entries(result.fieldErrors).map(([field, key]) => [field, t(key)]));
      return { status: "invalid", message: t("errors.invalid"), fieldErrors, values: { ...input } };
    }
    return { status: "ok", message: t("coupons.settings.saved") };
  }),
);

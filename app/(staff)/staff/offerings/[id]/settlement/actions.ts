"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { roleAction } from "@/lib/actions";
import { msg } from "@/lib/i18n/keys";
import { offeringForStaff } from "@/lib/issuers/access";
import { requestReport } from "@/lib/settlement/reports";

const requestSchema = z.object({ offeringId: z.uuid({ error: msg("errors.invalid") }) });

/** Queues a new version of a closed offering's report (the job reads the processor and the chain, with retries). */
export const requestReportAction = roleAction("staff", requestSchema, async ({ offeringId }, { user, t }) => {
  const offering = await offeringForStaff(user, offeringId);
  if (!offering) return { status: "error", message: t("settlement.errors.notFound") };
  if (offering.status !== "closed") return { status: "error", message: t("settlement.errors.notClosed") };
  const requested = await requestReport(offering.id, user.id);
  if (!requested.ok) return { status: "error", message: t("settlement.errors.pending") };
  revalidatePath(`/staff/offerings/${offering.id}/settlement`);
  return { status: "ok", message: t("settlement.requested") };
});

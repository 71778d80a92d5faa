"use server";

import { redirect } from "next/navigation";
import { signedInAction } from "@/lib/actions";
import { env } from "@/lib/env";
import { acceptDocuments } from "@/lib/onboarding/documents";
import { submitIdentityDocument, type IdentityUploadError } from "@/lib/onboarding/identity";
import { recordSuitability, saveProfile } from "@/lib/onboarding/profile";
import { acceptanceSchema, identityUploadSchema, profileSchema, suitabilitySchema } from "@/lib/onboarding/schemas";
import { getOnboardingState } from "@/lib/onboarding/state";

export const saveProfileAction = signedInAction(profileSchema(), async (input, { user }) => {
  const outcome = await saveProfile(user.id, input);
  // A verified investor's identity change waits for staff: back to the page that says so.
  redirect(outcome === "changeRequested" ? "/onboarding/profile" : "/onboarding/suitability");
});

export const saveSuitabilityAction = signedInAction(suitabilitySchema, async (answers, { user, t }) => {
  const assessment = await recordSuitability(user.id, answers);
  if (!assessment.suitable) {
    return { status: "error", message: assessment.reasons.map((reason) => t(`onboarding.suitability.reasons.${reason}`)).join(" ") };
  }
  redirect("/onboarding/disclosures");
});

export const acceptDocumentsAction = signedInAction(acceptanceSchema, async ({ documentIds }, { user, t }) => {
  const result = await acceptDocuments(user.id, documentIds);
  if (!result.ok) return { status: "error", message: t("onboarding.errors.staleDocuments") };
  redirect("/onboarding/identity");
});

const UPLOAD_ERRORS: Record<
  IdentityUploadError,
  | "onboarding.errors.fileMissing"
  | "onboarding.errors.fileTooLarge"
  | "onboarding.errors.fileType"
  | "onboarding.errors.fileCorrupt"
  | "onboarding.errors.fileDimensions"
  | "onboarding.errors.alreadySubmitted"
> = {
  missing: "onboarding.errors.fileMissing",
  tooLarge: "onboarding.errors.fileTooLarge",
  type: "onboarding.errors.fileType",
  corrupt: "onboarding.errors.fileCorrupt",
  dimensions: "onboarding.errors.fileDimensions",
  alreadySubmitted: "onboarding.errors.alreadySubmitted",
};

export const uploadIdentityAction = signedInAction(identityUploadSchema, async ({ document }, { user, t }) => {
  const state = await getOnboardingState(user.id);
  if (!state.done.profile || !state.done.suitability || !state.done.disclosures) {
    return { status: "error", message: t("onboarding.errors.stepsFirst") };
  }
  const settings = env();
  const result = await submitIdentityDocument({
    userId: user.id,
    file: document,
    uploadDir: settings.uploadDir,
    autoApprove: settings.kycAutoApprove,
    masterKeys: settings.custodyMasterKeys,
  });
  if (!result.ok) return { status: "invalid", fieldErrors: { document: t(UPLOAD_ERRORS[result.error]) } };
  redirect("/onboarding/identity");
});

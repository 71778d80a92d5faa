import { IdentityUploadForm } from "@/components/onboarding/choice-forms";
import { ProfileChangeNotice } from "@/components/onboarding/profile-change-parts";
import { OnboardingProgress } from "@/components/onboarding/progress";
import { ButtonLink } from "@/components/ui/button-link";
import { Card } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { messagesFor } from "@/lib/i18n/catalog";
import { getTranslator } from "@/lib/i18n/server";
import { fieldsOf, latestProfileChange } from "@/lib/onboarding/profile-changes";
import { getOnboardingState } from "@/lib/onboarding/state";
import { uploadIdentityAction } from "../actions";

export default async function IdentityStep() {
  const user = await requireUser("/onboarding/identity");
  const [{ locale, t }, state, change] = await Promise.all([getTranslator(), getOnboardingState(user.id), latestProfileChange(user.id)]);
  const { status, reason } = state.identity;
  const canUpload = status === "not_submitted" || status === "rejected";
  const tone = status === "approved" ? "bg-forest-50 text-forest-800" : status === "rejected" ? "bg-red-50 text-red-800" : "bg-stone-100 text-stone-700";
  return (
    <>
      <OnboardingProgress done={state.done} current={state.nextStep ?? "identity"} t={t} />
      <Card>
        <h2 className="text-lg font-bold">{t("onboarding.identity.title")}</h2>
        <p className="mb-4 mt-1 text-sm text-stone-600">{t("onboarding.identity.lead")}</p>
        {env().kycAutoApprove ? <p className="mb-4 rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-xs font-semibold text-amber-900">{t("onboarding.identity.autoApprove")}</p> : null}
        <div className={`mb-4 rounded-lg px-4 py-3 text-sm ${tone}`} role="status">
          <p className="font-semibold" data-testid="identity-status">
            {t(`onboarding.identity.status.${status}`)}
          </p>
          <p className="mt-1">{t(`onboarding.identity.next.${status}`)}</p>
          {status === "rejected" && reason ? (
            <p className="mt-1" data-testid="rejection-reason">
              {t("onboarding.identity.reason", { reason })}
            </p>
          ) : null}
        </div>
        <ProfileChangeNotice change={change?.status === "pending" ? { ...change, fields: fieldsOf(change.newValues) } : null} locale={locale} t={t} m={messagesFor(locale)} />
        {canUpload ? <IdentityUploadForm action={uploadIdentityAction} m={messagesFor(locale).onboarding} /> : <ButtonLink href="/dashboard">{t("nav.dashboard")} →</ButtonLink>}
      </Card>
    </>
  );
}

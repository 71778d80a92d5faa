import { SuitabilityForm } from "@/components/onboarding/choice-forms";
import { OnboardingProgress } from "@/components/onboarding/progress";
import { Card } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";
import { messagesFor } from "@/lib/i18n/catalog";
import { getTranslator } from "@/lib/i18n/server";
import { getOnboardingState, latestSuitability } from "@/lib/onboarding/state";
import { saveSuitabilityAction } from "../actions";

export default async function SuitabilityStep() {
  const user = await requireUser("/onboarding/suitability");
  const [{ locale, t }, state, latest] = await Promise.all([getTranslator(), getOnboardingState(user.id), latestSuitability(user.id)]);
  return (
    <>
      <OnboardingProgress done={state.done} current="suitability" t={t} />
      <Card>
        <h2 className="text-lg font-bold">{t("onboarding.suitability.title")}</h2>
        <p className="mb-4 mt-1 text-sm text-stone-600">{t("onboarding.suitability.lead")}</p>
        {state.suitability && !state.suitability.suitable ? (
          <div className="mb-4 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900" data-testid="unsuitable">
            <p className="font-semibold">{t("onboarding.suitability.unsuitableTitle")}</p>
            {state.suitability.reasons.map((reason) => (
              <p key={reason} className="mt-1">
                {t(`onboarding.suitability.reasons.${reason}`)}
              </p>
            ))}
          </div>
        ) : null}
        <SuitabilityForm action={saveSuitabilityAction} initial={latest?.answers ?? {}} m={messagesFor(locale).onboarding} />
      </Card>
    </>
  );
}

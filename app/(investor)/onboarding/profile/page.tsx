import { OnboardingProgress } from "@/components/onboarding/progress";
import { ProfileForm } from "@/components/onboarding/profile-form";
import { Card } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";
import { messagesFor } from "@/lib/i18n/catalog";
import { getTranslator } from "@/lib/i18n/server";
import { PREFECTURES } from "@/lib/onboarding/prefectures";
import { getOnboardingState, getProfile } from "@/lib/onboarding/state";
import { saveProfileAction } from "../actions";

export default async function ProfileStep() {
  const user = await requireUser("/onboarding/profile");
  const [{ locale, t }, state, profile] = await Promise.all([getTranslator(), getOnboardingState(user.id), getProfile(user.id)]);
  const initial = Object.fromEntries(Object.entries(profile ?? {}).map(([key, value]) => [key, typeof value === "string" ? value : ""]));
  return (
    <>
      <OnboardingProgress done={state.done} current="profile" t={t} />
      <Card>
        <h2 className="text-lg font-bold">{t("onboarding.profile.title")}</h2>
        <p className="mb-4 mt-1 text-sm text-stone-600">{t("onboarding.profile.lead")}</p>
        <ProfileForm
          action={saveProfileAction}
          initial={initial}
          prefectures={PREFECTURES.map(([code, ja, en]) => ({ value: code, label: locale === "ja" ? ja : en }))}
          m={messagesFor(locale).onboarding}
        />
      </Card>
    </>
  );
}

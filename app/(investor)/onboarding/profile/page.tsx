import { OnboardingProgress } from "@/components/onboarding/progress";
import { ProfileChangeNotice } from "@/components/onboarding/profile-change-parts";
import { ProfileForm } from "@/components/onboarding/profile-form";
import { Card } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";
import { messagesFor } from "@/lib/i18n/catalog";
import { getTranslator } from "@/lib/i18n/server";
import { PREFECTURES } from "@/lib/onboarding/prefectures";
import { fieldsOf, latestProfileChange } from "@/lib/onboarding/profile-changes";
import { getOnboardingState, getProfile } from "@/lib/onboarding/state";
import { saveProfileAction } from "../actions";

export default async function ProfileStep() {
  const user = await requireUser("/onboarding/profile");
  const [{ locale, t }, state, profile, change] = await Promise.all([getTranslator(), getOnboardingState(user.id), getProfile(user.id), latestProfileChange(user.id)]);
  // The form shows what the investor asked for; the verified values stay in force until approval.
  const requested = change?.status === "pending" ? change.newValues : {};
  const initial = Object.fromEntries(Object.entries({ ...profile, ...requested }).map(([key, value]) => [key, typeof value === "string" ? value : ""]));
  const m = messagesFor(locale);
  return (
    <>
      <OnboardingProgress done={state.done} current="profile" t={t} />
      <Card>
        <h2 className="text-lg font-bold">{t("onboarding.profile.title")}</h2>
        <p className="mb-4 mt-1 text-sm text-stone-600">{t("onboarding.profile.lead")}</p>
        {state.identity.status === "approved" ? <p className="mb-4 text-sm text-stone-700">{t("profileChanges.verifiedNote")}</p> : null}
        <ProfileChangeNotice change={change ? { ...change, fields: fieldsOf(change.newValues) } : null} locale={locale} t={t} m={m} />
        <ProfileForm action={saveProfileAction} initial={initial} prefectures={PREFECTURES.map(([code, ja, en]) => ({ value: code, label: locale === "ja" ? ja : en }))} m={m.onboarding} />
      </Card>
    </>
  );
}

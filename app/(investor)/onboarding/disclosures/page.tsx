import { AcceptDocumentsForm } from "@/components/onboarding/choice-forms";
import { OnboardingProgress } from "@/components/onboarding/progress";
import { ButtonLink } from "@/components/ui/button-link";
import { Card } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";
import { messagesFor } from "@/lib/i18n/catalog";
import { localized } from "@/lib/i18n/localized";
import { getTranslator } from "@/lib/i18n/server";
import { documentsToAccept } from "@/lib/onboarding/documents";
import { getOnboardingState } from "@/lib/onboarding/state";
import { acceptDocumentsAction } from "../actions";

export default async function DisclosuresStep() {
  const user = await requireUser("/onboarding/disclosures");
  const [{ locale, t }, state, pending] = await Promise.all([getTranslator(), getOnboardingState(user.id), documentsToAccept(user.id)]);
  return (
    <>
      <OnboardingProgress done={state.done} current="disclosures" t={t} />
      <Card>
        <h2 className="text-lg font-bold">{t("onboarding.disclosures.title")}</h2>
        <p className="mb-4 mt-1 text-sm text-stone-600">{t("onboarding.disclosures.lead")}</p>
        {pending.length === 0 ? (
          <>
            <p className="text-sm text-forest-800" role="status">
              {t("onboarding.disclosures.allAccepted")}
            </p>
            <ButtonLink href="/onboarding/identity" className="mt-4">
              {t("onboarding.steps.identity")} →
            </ButtonLink>
          </>
        ) : (
          <>
            <div className="mb-4 space-y-3">
              {pending.map((doc) => (
                <article key={doc.id} className="max-h-56 overflow-y-auto rounded-lg border border-stone-200 bg-stone-50 p-4 text-sm">
                  <h3 className="font-semibold">{localized(doc, "title", locale)}</h3>
                  <p className="text-xs text-stone-500">{t("onboarding.disclosures.version", { version: doc.version })}</p>
                  <p className="mt-2 whitespace-pre-line text-stone-700">{localized(doc, "body", locale)}</p>
                </article>
              ))}
            </div>
            <AcceptDocumentsForm action={acceptDocumentsAction} documentIds={pending.map((doc) => doc.id)} m={messagesFor(locale).onboarding} />
          </>
        )}
      </Card>
    </>
  );
}

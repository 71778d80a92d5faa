import Link from "next/link";
import type { Translate } from "@/lib/i18n/catalog";
import { STEPS, type Step } from "@/lib/onboarding/state";

export function OnboardingProgress({ done, current, t }: { done: Record<Step, boolean>; current: Step | null; t: Translate }) {
  const index = current ? STEPS.indexOf(current) + 1 : STEPS.length;
  return (
    <nav aria-label={t("onboarding.title")} className="mb-6">
      <p className="mb-2 text-sm font-medium text-stone-600" data-testid="onboarding-progress">
        {t("onboarding.progress", { current: index, total: STEPS.length })}
      </p>
      <ol className="grid grid-cols-4 gap-1.5">
        {STEPS.map((step, i) => {
          const isCurrent = step === current;
          const tone = done[step] ? "bg-forest-600" : isCurrent ? "bg-forest-300" : "bg-stone-200";
          return (
            <li key={step} aria-current={isCurrent ? "step" : undefined}>
              <div className={`h-1.5 rounded-full ${tone}`} />
              <Link href={`/onboarding/${step}`} className="mt-1.5 block text-xs leading-tight text-stone-700 hover:underline">
                <span className="sr-only">{i + 1}. </span>
                {t(`onboarding.steps.${step}`)}
                {done[step] ? (
                  <span className="ml-1 text-forest-700">
                    ✓<span className="sr-only">{t("onboarding.stepDone")}</span>
                  </span>
                ) : null}
              </Link>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

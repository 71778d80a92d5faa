import type { ReactNode } from "react";
import { PageHeading } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";
import { getTranslator } from "@/lib/i18n/server";

export default async function OnboardingLayout({ children }: { children: ReactNode }) {
  await requireUser("/onboarding");
  const { t } = await getTranslator();
  return (
    <div className="mx-auto max-w-2xl">
      <PageHeading title={t("onboarding.title")} lead={t("onboarding.lead")} />
      {children}
    </div>
  );
}

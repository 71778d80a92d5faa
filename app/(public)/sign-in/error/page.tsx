import { ButtonLink } from "@/components/ui/button-link";
import { PageHeading } from "@/components/ui/card";
import { getTranslator } from "@/lib/i18n/server";

export default async function SignInErrorPage() {
  const { t } = await getTranslator();
  return (
    <div className="mx-auto max-w-md">
      <PageHeading title={t("auth.errorTitle")} lead={t("auth.errorLead")} />
      <ButtonLink href="/sign-in">{t("auth.tryAgain")}</ButtonLink>
    </div>
  );
}

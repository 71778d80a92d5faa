import Link from "next/link";
import { PageHeading } from "@/components/ui/card";
import { getTranslator } from "@/lib/i18n/server";

export default async function SignInErrorPage() {
  const { t } = await getTranslator();
  return (
    <div className="mx-auto max-w-md">
      <PageHeading title={t("auth.errorTitle")} lead={t("auth.errorLead")} />
      <Link href="/sign-in" className="inline-flex min-h-11 items-center rounded-lg bg-forest-700 px-5 text-sm font-semibold text-white">
        {t("auth.tryAgain")}
      </Link>
    </div>
  );
}

import Link from "next/link";
import { PageHeading } from "@/components/ui/card";
import { getTranslator } from "@/lib/i18n/server";

export default async function Forbidden() {
  const { t } = await getTranslator();
  return (
    <div className="mx-auto max-w-md" data-testid="forbidden">
      <PageHeading title={t("errors.forbiddenTitle")} lead={t("errors.forbiddenLead")} />
      <Link href="/" className="font-semibold text-forest-700 hover:underline">
        {t("errors.backHome")}
      </Link>
    </div>
  );
}

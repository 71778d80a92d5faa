import Link from "next/link";
import { PageHeading } from "@/components/ui/card";
import { getTranslator } from "@/lib/i18n/server";

export default async function NotFound() {
  const { t } = await getTranslator();
  return (
    <div className="mx-auto max-w-md">
      <PageHeading title={t("errors.notFoundTitle")} lead={t("errors.notFoundLead")} />
      <Link href="/" className="font-semibold text-forest-700 hover:underline">
        {t("errors.backHome")}
      </Link>
    </div>
  );
}

import Link from "next/link";
import { Card, PageHeading } from "@/components/ui/card";
import { env } from "@/lib/env";
import { getTranslator } from "@/lib/i18n/server";

export default async function CheckEmailPage() {
  const { t } = await getTranslator();
  const devMailbox = env().isDemo && !env().emailServer;
  return (
    <div className="mx-auto max-w-md">
      <PageHeading title={t("auth.checkEmailTitle")} lead={t("auth.checkEmailLead")} />
      {devMailbox ? (
        <Card>
          <p className="text-sm text-stone-600">{t("auth.devMailboxHint")}</p>
          <Link href="/dev/mailbox" className="mt-3 inline-flex min-h-11 items-center font-semibold text-forest-700 hover:underline">
            {t("auth.openDevMailbox")} →
          </Link>
        </Card>
      ) : null}
    </div>
  );
}

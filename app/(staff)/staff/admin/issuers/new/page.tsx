import Link from "next/link";
import { IssuerForm } from "@/components/issuers/issuer-form";
import { Card, PageHeading } from "@/components/ui/card";
import { requireRole } from "@/lib/auth/session";
import { messagesFor } from "@/lib/i18n/catalog";
import { getTranslator } from "@/lib/i18n/server";
import { ISSUER_KINDS } from "@/lib/issuers/schemas";
import { prefectureOptions } from "@/lib/residents/prefectures";
import { saveIssuerAction } from "../actions";

export default async function NewIssuerPage() {
  await requireRole("admin", "/staff/admin/issuers/new");
  const { locale, t } = await getTranslator();
  return (
    <>
      <Link href="/staff/admin/issuers" className="inline-flex min-h-11 items-center text-sm text-forest-700 hover:underline">
        ← {t("issuers.admin.back")}
      </Link>
      <PageHeading title={t("issuers.admin.newTitle")} />
      <Card>
        <IssuerForm
          action={saveIssuerAction}
          initial={{}}
          kinds={ISSUER_KINDS.map((kind) => ({ value: kind, label: t(`issuers.kind.${kind}`) }))}
          m={messagesFor(locale).issuers.admin}
          residence={{ m: messagesFor(locale).residents.issuer, prefectures: prefectureOptions(locale) }}
        />
      </Card>
    </>
  );
}

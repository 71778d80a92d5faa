import { OfferingForm } from "@/components/staff-offerings/offering-form";
import { Card, PageHeading } from "@/components/ui/card";
import { requireRole } from "@/lib/auth/session";
import { messagesFor } from "@/lib/i18n/catalog";
import { getTranslator } from "@/lib/i18n/server";
import { createOfferingAction } from "../actions";

export default async function NewOfferingPage() {
  await requireRole("staff", "/staff/offerings/new");
  const { locale, t } = await getTranslator();
  const kinds = (["village_token", "municipal_bond"] as const).map((value) => ({ value, label: t(`offering.kind.${value}`) }));
  return (
    <>
      <PageHeading title={t("offeringAdmin.create")} />
      <Card>
        <OfferingForm action={createOfferingAction} initial={{ kind: "village_token", minUnitsPerOrder: "1", yearlyCapYenPerInvestor: "500000" }} m={messagesFor(locale).offeringAdmin} kinds={kinds} />
      </Card>
    </>
  );
}

import { OfferingForm } from "@/components/staff-offerings/offering-form";
import { Card, PageHeading } from "@/components/ui/card";
import { bondFormValues } from "@/lib/bonds/form-values";
import { requireRole } from "@/lib/auth/session";
import { messagesFor } from "@/lib/i18n/catalog";
import { localized } from "@/lib/i18n/localized";
import { getTranslator } from "@/lib/i18n/server";
import { issuersForStaff } from "@/lib/offerings/admin";
import { createOfferingAction } from "../actions";

export default async function NewOfferingPage() {
  const user = await requireRole("staff", "/staff/offerings/new");
  const [{ locale, t }, issuers] = await Promise.all([getTranslator(), issuersForStaff(user)]);
  const kinds = (["village_token", "municipal_bond"] as const).map((value) => ({ value, label: t(`offering.kind.${value}`) }));
  return (
    <>
      <PageHeading title={t("offeringAdmin.create")} lead={t("launch.steps")} />
      <Card>
        {issuers.length === 0 ? (
          <p className="text-sm text-stone-700">{t("launch.noIssuer")}</p>
        ) : (
          <OfferingForm
            action={createOfferingAction}
            // A staff member of one issuer has it chosen already.
            initial={{
              ...bondFormValues(null),
              kind: "village_token",
              minUnitsPerOrder: "1",
              yearlyCapYenPerInvestor: "500000",
              coolingOffDays: "8",
              residentUnits: "0",
              ...(issuers.length === 1 ? { issuerId: issuers[0]!.id } : {}),
            }}
            m={messagesFor(locale).offeringAdmin}
            kinds={kinds}
            bond={messagesFor(locale).bonds.form}
            residents={messagesFor(locale).residents.terms}
            issuers={{ label: t("launch.issuer"), placeholder: t("launch.chooseIssuer"), options: issuers.map((issuer) => ({ value: issuer.id, label: localized(issuer, "name", locale) })) }}
          />
        )}
      </Card>
    </>
  );
}

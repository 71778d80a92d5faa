import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { PaymentMethodsForm } from "@/components/deferred-payments/methods-form";
import { DeploymentStatus } from "@/components/offerings/deployment-status";
import { StatusActions } from "@/components/offerings/status-actions";
import { TermsApproval } from "@/components/offerings/terms-approval";
import { AutoRefresh } from "@/components/orders/auto-refresh";
import { DisclosureForm, OfferingForm } from "@/components/staff-offerings/offering-form";
import { Card, PageHeading } from "@/components/ui/card";
import { WithdrawalLimitForm } from "@/components/withdrawals/limit-form";
import { bondFormValues } from "@/lib/bonds/form-values";
import { getBondTerms } from "@/lib/bonds/terms";
import { requireRole } from "@/lib/auth/session";
import { messagesFor } from "@/lib/i18n/catalog";
import { localized } from "@/lib/i18n/localized";
import { getTranslator } from "@/lib/i18n/server";
import { formatDateTime } from "@/lib/i18n/format";
import { getOfferingForStaff } from "@/lib/offerings/admin";
import { deploymentMoving, deploymentOf } from "@/lib/offerings/deployment";
import { offeringFormValues } from "@/lib/offerings/form-values";
import { BANK_TRANSFER_DAYS, KONBINI_DAYS } from "@/lib/orders/deferred/availability";
import { approveTermsAction, publishDisclosureAction, requeueDeploymentAction, setOfferingStatusAction, updateOfferingAction } from "../actions";
import { setPaymentMethodsAction } from "./payment-method-actions";
import { setWithdrawalLimitAction } from "./withdrawal-actions";

const linkClass = "inline-flex min-h-11 items-center text-sm font-semibold text-forest-700 hover:underline";

export default async function EditOfferingPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireRole("staff", `/staff/offerings/${id}`);
  if (!z.uuid().safeParse(id).success) notFound();
  const [{ locale, t }, found] = await Promise.all([getTranslator(), getOfferingForStaff(user, id)]);
  // Another issuer's offering is not found, exactly like one that does not exist.
  if (!found) notFound();
  const { offering, issuer } = found;
  const [deployment, bondTerms] = await Promise.all([deploymentOf(offering), getBondTerms(id)]);
  const m = messagesFor(locale).offeringAdmin;
  const kinds = (["village_token", "municipal_bond"] as const).map((value) => ({ value, label: t(`offering.kind.${value}`) }));
  return (
    <div className="space-y-4">
      {/* The deployment moves in the background: the page follows it until it is done or failed. */}
      {deploymentMoving(deployment) ? <AutoRefresh everyMs={3000} /> : null}
      <PageHeading
        title={`${t("offeringAdmin.edit")}: ${localized(offering, "name", locale)}`}
        lead={`${t("launch.issuer")}: ${localized(issuer, "name", locale)} · ${t("offeringAdmin.status")}: ${t(`offering.status.${offering.status}`)}`}
      />
      <nav className="flex flex-wrap gap-4">
        <Link href={`/staff/offerings/${id}/chain`} className={linkClass}>
          {t("launch.links.chain")} →
        </Link>
        <Link href={`/staff/offerings/${id}/settlement`} className={linkClass}>
          {t("launch.links.settlement")} →
        </Link>
        <Link href={`/staff/register?offering=${id}`} className={linkClass}>
          {t("register.title")} →
        </Link>
        {offering.kind === "municipal_bond" ? (
          <Link href={`/staff/offerings/${id}/coupons`} className={linkClass} data-testid="coupons-link">
            {t("coupons.link")} →
          </Link>
        ) : null}
        {offering.kind === "village_token" ? (
          <Link href={`/staff/offerings/${id}/perks`} className={linkClass} data-testid="perks-link">
            {t("perksStaff.link")} →
          </Link>
        ) : null}
        {offering.kind === "village_token" ? (
          <Link href={`/staff/offerings/${id}/votes`} className={linkClass} data-testid="votes-link">
            {t("votesStaff.link")} →
          </Link>
        ) : null}
        <Link href={`/staff/offerings/${id}/wallets`} className={linkClass} data-testid="wallets-link">
          {t("ownWallets.staff.link")} →
        </Link>
      </nav>
      <Card>
        <h2 className="mb-1 font-bold">{t("launch.title")}</h2>
        <p className="mb-4 text-sm text-stone-600">{t("launch.steps")}</p>
        <div className="grid gap-6 md:grid-cols-3">
          <section aria-labelledby="terms-heading">
            <h3 id="terms-heading" className="mb-2 text-sm font-bold">
              {t("launch.terms.heading")}
            </h3>
            <TermsApproval offering={offering} viewerId={user.id} authorName={found.authorName} approverName={found.approverName} approve={approveTermsAction} locale={locale} t={t} />
          </section>
          <section aria-labelledby="deploy-heading">
            <h3 id="deploy-heading" className="mb-2 text-sm font-bold">
              {t("launch.deploy.heading")}
            </h3>
            <DeploymentStatus deployment={deployment} offeringId={id} requeue={requeueDeploymentAction} locale={locale} t={t} />
          </section>
          <section aria-labelledby="sale-heading">
            <h3 id="sale-heading" className="mb-2 text-sm font-bold">
              {t("launch.sale.heading")}
            </h3>
            <p className="mb-2 text-sm" data-testid="offering-status">
              {t(`offering.status.${offering.status}`)}
            </p>
            {offering.closedAt ? <p className="mb-2 text-sm text-stone-600">{t("launch.sale.closedAt", { date: formatDateTime(offering.closedAt, locale) })}</p> : null}
            <div className="flex flex-wrap items-center gap-2">
              <StatusActions offering={offering} action={setOfferingStatusAction} t={t} />
            </div>
          </section>
        </div>
      </Card>
      {offering.status === "closed" ? null : (
        <Card>
          <OfferingForm
            action={updateOfferingAction}
            offeringId={id}
            initial={{ ...offeringFormValues(offering), ...bondFormValues(bondTerms) }}
            m={m}
            kinds={kinds}
            bond={messagesFor(locale).bonds.form}
            residents={messagesFor(locale).residents.terms}
          />
        </Card>
      )}
      <Card>
        <WithdrawalLimitForm
          action={setWithdrawalLimitAction}
          offeringId={id}
          limit={offering.withdrawalDailyLimitUnits}
          m={{ heading: t("withdrawals.staff.heading"), lead: t("withdrawals.staff.lead"), label: t("withdrawals.staff.label"), save: t("withdrawals.staff.save") }}
        />
      </Card>
      <Card>
        <PaymentMethodsForm
          action={setPaymentMethodsAction}
          offeringId={id}
          konbini={offering.konbiniEnabled}
          bankTransfer={offering.bankTransferEnabled}
          days={{ konbini: KONBINI_DAYS, bankTransfer: BANK_TRANSFER_DAYS }}
          m={messagesFor(locale).deferredPayments.staff}
        />
      </Card>
      <Card>
        <h2 className="font-bold">{t("offeringAdmin.disclosure")}</h2>
        <p className="mb-3 mt-1 text-sm text-stone-600">{t("offeringAdmin.disclosureLead")}</p>
        {found.disclosures.length === 0 ? <p className="mb-3 text-sm text-stone-600">{t("offeringAdmin.noDisclosure")}</p> : null}
        <ul className="mb-4 space-y-1 text-sm">
          {found.disclosures.map((doc) => (
            <li key={doc.id}>
              {doc.version} · {localized(doc, "title", locale)} · {formatDateTime(doc.publishedAt, locale)}
            </li>
          ))}
        </ul>
        <DisclosureForm action={publishDisclosureAction} offeringId={id} m={m} />
      </Card>
    </div>
  );
}

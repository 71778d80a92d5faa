import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { StatusButton } from "@/components/staff/status-button";
import { Card, PageHeading } from "@/components/ui/card";
import { requireRole } from "@/lib/auth/session";
import { formatExactYen } from "@/lib/bonds/schedule";
import { carryOverOverview, type CarryOverOverview } from "@/lib/coupons/carry-over-run";
import { issuerPayoutSettingsOf } from "@/lib/coupons/issuer-settings";
import { couponSchedule, type ScheduleRow } from "@/lib/coupons/queries";
import type { Locale, Translate } from "@/lib/i18n/catalog";
import { messagesFor } from "@/lib/i18n/catalog";
import { formatYen } from "@/lib/i18n/format";
import { localized } from "@/lib/i18n/localized";
import { getTranslator } from "@/lib/i18n/server";
import { offeringForStaff } from "@/lib/issuers/access";
import { maskAccountNumber } from "@/lib/payouts/accounts";
import { formatCalendarDate } from "@/lib/i18n/format";
import { findBank, findBranch } from "@/lib/payouts/banks";
import { prepareCarryOverRunAction, prepareRunAction, saveIssuerSettingsAction, takeSnapshotAction } from "./actions";
import { CarryOverForm, IssuerSettingsForm } from "./forms";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTranslator();
  return { title: t("coupons.title") };
}

function SnapshotCell({ row, t }: { row: ScheduleRow; t: Translate }) {
  const { snapshot } = row;
  if (snapshot.status === "frozen") return <span>{t("coupons.snapshot.frozen", { holders: snapshot.snapshot.holders })}</span>;
  return <span className={snapshot.status === "mismatch" || snapshot.status === "error" ? "font-semibold text-red-700" : "text-stone-600"}>{t(`coupons.snapshot.${snapshot.status}`)}</span>;
}

function SnapshotProblem({ row, t }: { row: ScheduleRow; t: Translate }) {
  const { snapshot } = row;
  if (snapshot.status === "error") return <p className="text-sm text-red-700">{t("coupons.snapshot.errorLead", { error: snapshot.snapshot.error ?? "—" })}</p>;
  if (snapshot.status !== "mismatch") return null;
  return (
    <div className="text-sm text-red-800" data-testid="snapshot-mismatch">
      <p>{t("coupons.snapshot.mismatchLead")}</p>
      <ul className="mt-1 list-disc pl-5">
        {snapshot.snapshot.mismatches.map((item) => (
          <li key={item.address}>
            {t("coupons.snapshot.mismatchRow", {
              holder: (item.userId && row.holderEmails[item.userId]) || t("coupons.snapshot.unknownHolder"),
              address: item.address,
              chain: item.chain,
              ledger: item.ledger,
            })}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** What the bond still owes, and the payments of amounts owed: prepare one on a chosen date when something can be paid. */
function OwedCard({ overview, offeringId, base, t, locale }: { overview: CarryOverOverview; offeringId: string; base: string; t: Translate; locale: Locale }) {
  const { payable, waiting } = overview;
  return (
    <section data-testid="coupon-owed">
      <Card className="space-y-3">
        <h2 className="font-bold">{t("coupons.carryOver.heading")}</h2>
        <p className="text-sm text-stone-600">{t("coupons.carryOver.lead")}</p>
        <ul className="space-y-1 text-sm">
          {payable ? (
            <li className="font-medium" data-testid="owed-payable">
              {t("coupons.carryOver.payable", { holders: payable.holders, count: payable.count, yen: formatYen(payable.yen), since: formatCalendarDate(payable.since, locale) })}
            </li>
          ) : null}
          {waiting ? (
            <li className="text-stone-700" data-testid="owed-waiting">
              {t("coupons.carryOver.waiting", { holders: waiting.holders, count: waiting.count, yen: formatYen(waiting.yen), since: formatCalendarDate(waiting.since, locale) })}
            </li>
          ) : null}
          {!payable && !waiting ? <li className="text-stone-600">{t("coupons.carryOver.none")}</li> : null}
        </ul>
        {overview.pending ? <p className="text-sm font-medium text-amber-900">{t("coupons.carryOver.pending")}</p> : null}
        {overview.canPrepare && payable ? (
          <CarryOverForm
            action={prepareCarryOverRunAction}
            offeringId={offeringId}
            earliestDate={overview.earliestDate}
            m={{
              paymentDate: t("coupons.carryOver.paymentDate"),
              paymentDateHint: t("coupons.carryOver.paymentDateHint"),
              prepare: t("coupons.carryOver.prepare"),
              confirm: { question: t("coupons.carryOver.prepareConfirm", { count: payable.count }), cancel: t("coupons.actions.confirmCancel") },
            }}
          />
        ) : null}
        {overview.runs.length > 0 ? (
          <div>
            <h3 className="text-sm font-semibold">{t("coupons.carryOver.runs")}</h3>
            <ul className="mt-1 space-y-1 text-sm" data-testid="carry-over-runs">
              {overview.runs.map((run) => (
                <li key={run.id}>
                  <Link href={`${base}/${run.id}`} className="text-forest-700 underline-offset-4 hover:underline">
                    {t("coupons.carryOver.runLine", {
                      date: formatCalendarDate(run.paymentDate, locale),
                      status: t(`coupons.run.status.${run.status}`),
                      yen: formatYen(run.netYen + run.principalYen),
                    })}
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </Card>
    </section>
  );
}

/** A bond's payment schedule with each payment's snapshot and run, and the issuer's paying account: staff of its issuer only. */
export default async function CouponsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireRole("staff", `/staff/offerings/${id}/coupons`);
  if (!z.uuid().safeParse(id).success) notFound();
  const offering = await offeringForStaff(user, id);
  if (offering?.kind !== "municipal_bond") notFound();
  const [{ locale, t }, overview, owed, settings] = await Promise.all([getTranslator(), couponSchedule(offering), carryOverOverview(offering), issuerPayoutSettingsOf(offering.villageId)]);
  const [bank, branch] = settings ? await Promise.all([findBank(settings.bankCode), findBranch(settings.bankCode, settings.branchCode)]) : [null, null];
  const base = `/staff/offerings/${offering.id}/coupons`;
  const confirmCancel = t("coupons.actions.confirmCancel");
  return (
    <div className="space-y-4">
      <Link href={`/staff/offerings/${offering.id}`} className="text-sm text-forest-700 hover:underline">
        ← {t("coupons.back")}
      </Link>
      <PageHeading title={`${t("coupons.title")}: ${localized(offering, "name", locale)}`} lead={t("coupons.lead")} />
      {!overview ? (
        <Card>
          <p className="text-sm text-stone-600">{t("coupons.notBond")}</p>
        </Card>
      ) : (
        <Card>
          <h2 className="mb-3 font-bold">{t("coupons.schedule.heading")}</h2>
          <ul className="mb-3 list-disc pl-5 text-sm text-stone-600">
            <li>{t("bonds.sheet.roundingText")}</li>
            <li>{t("bonds.sheet.taxText")}</li>
          </ul>
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm" data-testid="coupon-schedule">
              <thead className="text-xs text-stone-500">
                <tr>
                  <th className="py-2 pr-3">{t("coupons.schedule.number")}</th>
                  <th className="py-2 pr-3">{t("coupons.schedule.paymentDate")}</th>
                  <th className="py-2 pr-3">{t("coupons.schedule.recordDate")}</th>
                  <th className="py-2 pr-3 text-right">{t("coupons.schedule.couponPerUnit")}</th>
                  <th className="py-2 pr-3 text-right">{t("coupons.schedule.principalPerUnit")}</th>
                  <th className="py-2 pr-3">{t("coupons.schedule.snapshot")}</th>
                  <th className="py-2 pr-3">{t("coupons.schedule.run")}</th>
                  <th className="py-2">{t("coupons.schedule.actions")}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-stone-100 align-top">
                {overview.rows.map((row) => {
                  const fields = { offeringId: offering.id, paymentNumber: String(row.payment.number) };
                  return (
                    <tr key={row.payment.number} data-testid={`coupon-payment-${row.payment.number}`}>
                      <td className="py-2 pr-3">{t("coupons.schedule.numberValue", { number: row.payment.number })}</td>
                      <td className="py-2 pr-3 tabular-nums">{formatCalendarDate(row.payment.paymentDate, locale)}</td>
                      <td className="py-2 pr-3 tabular-nums">{formatCalendarDate(row.payment.recordDate, locale)}</td>
                      <td className="py-2 pr-3 text-right tabular-nums">{formatExactYen(row.payment.couponPerUnit)}</td>
                      <td className="py-2 pr-3 text-right tabular-nums">{row.payment.principalPerUnit ? formatYen(row.payment.principalPerUnit) : "—"}</td>
                      <td className="space-y-2 py-2 pr-3">
                        <SnapshotCell row={row} t={t} />
                        <SnapshotProblem row={row} t={t} />
                      </td>
                      <td className="py-2 pr-3" data-testid="coupon-run-status">
                        {row.run ? (
                          <Link href={`${base}/${row.run.id}`} className="text-forest-700 underline-offset-4 hover:underline">
                            {t(`coupons.run.status.${row.run.status}`)}
                          </Link>
                        ) : (
                          t("coupons.run.none")
                        )}
                        {row.cancelledRuns > 0 ? <span className="block text-xs text-stone-500">{t("coupons.run.cancelled", { count: row.cancelledRuns })}</span> : null}
                      </td>
                      <td className="space-y-2 py-2">
                        {row.canPrepare ? (
                          <StatusButton
                            action={prepareRunAction}
                            label={t("coupons.run.prepare")}
                            fields={fields}
                            testId="coupon-prepare"
                            confirm={{ question: t("coupons.run.prepareConfirm"), cancel: confirmCancel }}
                          />
                        ) : null}
                        {row.canSnapshot ? (
                          <StatusButton
                            action={takeSnapshotAction}
                            label={row.snapshot.status === "missing" ? t("coupons.snapshot.take") : t("coupons.snapshot.retake")}
                            fields={fields}
                            variant="quiet"
                            testId="coupon-snapshot"
                          />
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </Card>
      )}
      {owed ? <OwedCard overview={owed} offeringId={offering.id} base={base} t={t} locale={locale} /> : null}
      <Card>
        <h2 className="font-bold">{t("coupons.settings.heading")}</h2>
        <p className="mb-3 mt-1 text-sm text-stone-600">{t("coupons.settings.lead")}</p>
        <p className="mb-4 text-sm" data-testid="issuer-settings-current">
          {settings
            ? `${settings.requesterCode} ${settings.requesterNameKana} · ${t("coupons.settings.current", {
                bank: bank?.name ?? settings.bankCode,
                branch: branch?.name ?? settings.branchCode,
                type: t(`coupons.settings.accountTypes.${settings.accountType}`),
                number: maskAccountNumber(settings.accountNumber),
              })}`
            : t("coupons.settings.none")}
        </p>
        <IssuerSettingsForm
          action={saveIssuerSettingsAction}
          offeringId={offering.id}
          m={messagesFor(locale).coupons.settings}
          initial={
            settings
              ? {
                  requesterCode: settings.requesterCode,
                  requesterNameKana: settings.requesterNameKana,
                  bankCode: settings.bankCode,
                  branchCode: settings.branchCode,
                  accountType: settings.accountType,
                  accountNumber: settings.accountNumber,
                }
              : {}
          }
        />
      </Card>
    </div>
  );
}

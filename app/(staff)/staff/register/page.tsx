import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Card, PageHeading, Stat } from "@/components/ui/card";
import { requireRole } from "@/lib/auth/session";
import { issuerIdsOf } from "@/lib/issuers/access";
import { getTranslator } from "@/lib/i18n/server";
import { localized } from "@/lib/i18n/localized";
import { formatDate, formatDateTime, formatNumber } from "@/lib/i18n/format";
import { tokyoDateTimeInput } from "@/lib/projects/dates";
import { registerQuery } from "@/lib/register/params";
import { addressOf, getRegister, listRegisterOfferings } from "@/lib/register/register";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTranslator();
  return { title: t("register.title") };
}

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function RegisterPage({ searchParams }: Props) {
  const user = await requireRole("staff", "/staff/register");
  const [{ locale, t }, offerings, params] = await Promise.all([getTranslator(), issuerIdsOf(user).then(listRegisterOfferings), searchParams]);
  const query = registerQuery(params);
  const requested = query.success ? query.data.offering : undefined;
  const offering = requested ? offerings.find((row) => row.id === requested) : offerings[0];
  // Another issuer's offering is not found, rather than silently showing one of the viewer's own.
  if (requested && !offering) notFound();
  const asOf = (query.success ? query.data.at : undefined) ?? new Date();
  const register = offering ? await getRegister(offering.id, asOf) : null;
  const atValue = query.success && query.data.at ? tokyoDateTimeInput(query.data.at) : "";
  const exportHref = offering ? `/staff/register/export?${new URLSearchParams({ offering: offering.id, at: tokyoDateTimeInput(asOf) })}` : null;
  const control = "mt-1 block min-h-11 w-full rounded-lg border border-stone-300 bg-white px-3 text-base";
  return (
    <>
      <PageHeading title={t("register.title")} lead={t("register.lead")} />
      <Card className="mb-6">
        <form method="get" className="grid gap-4 sm:grid-cols-[1fr_1fr_auto] sm:items-end">
          <div>
            <label htmlFor="offering" className="block text-sm font-medium">
              {t("register.offering")}
            </label>
            <select id="offering" name="offering" defaultValue={offering?.id} className={control}>
              {offerings.map((row) => (
                <option key={row.id} value={row.id}>
                  {localized(row, "name", locale)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="at" className="block text-sm font-medium">
              {t("register.asOf")}
            </label>
            <input id="at" name="at" type="datetime-local" defaultValue={atValue} className={control} aria-describedby="at-hint" />
            <p id="at-hint" className="mt-1 text-xs text-stone-500">
              {t("register.asOfHint")}
            </p>
          </div>
          <button type="submit" className="inline-flex min-h-11 items-center justify-center rounded-lg bg-forest-700 px-4 text-sm font-semibold text-white sm:mb-5">
            {t("register.show")}
          </button>
        </form>
        {!query.success ? (
          <p role="alert" className="mt-2 text-sm text-red-700">
            {t("register.invalidDate")}
          </p>
        ) : null}
      </Card>
      {register && offering ? (
        <>
          <div className="mb-4 flex flex-wrap items-end justify-between gap-4">
            <dl className="grid grid-cols-3 gap-6">
              <Stat label={t("register.asOf")} value={formatDateTime(asOf, locale)} testId="register-as-of" />
              <Stat label={t("register.holders")} value={formatNumber(register.holders.length, locale)} testId="register-holders" />
              <Stat label={t("register.totalUnits")} value={`${formatNumber(register.totalUnits, locale)} ${offering.tokenSymbol}`} testId="register-units" />
            </dl>
            <div className="flex flex-wrap items-center gap-4">
              <Link href={`/staff/offerings/${offering.id}`} className="inline-flex min-h-11 items-center text-sm font-semibold text-forest-700 hover:underline">
                {t("register.offeringLink")} →
              </Link>
              {offering.kind === "municipal_bond" ? (
                <Link href={`/staff/offerings/${offering.id}/coupons`} className="inline-flex min-h-11 items-center text-sm font-semibold text-forest-700 hover:underline">
                  {t("coupons.link")} →
                </Link>
              ) : null}
              {exportHref ? (
                <a href={exportHref} className="inline-flex min-h-11 items-center rounded-lg border border-forest-600 px-4 text-sm font-semibold text-forest-700" download>
                  {t("register.export")}
                </a>
              ) : null}
            </div>
          </div>
          <p className="mb-4 text-xs text-stone-500">{t("register.chainNote")}</p>
          {register.holders.length === 0 ? <p className="text-stone-600">{t("register.empty")}</p> : null}
          {register.holders.length > 0 ? (
            <div className="overflow-x-auto rounded-2xl border border-stone-200 bg-white">
              <table className="w-full min-w-[56rem] text-left text-sm" data-testid="register-table">
                <thead className="bg-stone-50 text-xs text-stone-500">
                  <tr>
                    {(["holder", "address", "wallet", "identity", "units", "history"] as const).map((column) => (
                      <th key={column} scope="col" className="px-3 py-2 font-medium">
                        {t(`register.columns.${column}`)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody className="divide-y divide-stone-200 align-top">
                  {register.holders.map((holder) => (
                    <tr key={holder.userId}>
                      <td className="px-3 py-2">
                        <p className="font-medium">{holder.nameKanji || t("register.noProfile")}</p>
                        <p className="text-xs text-stone-500">{holder.nameKana}</p>
                        <p className="text-xs text-stone-500">{holder.birthDate}</p>
                      </td>
                      <td className="px-3 py-2 text-xs">
                        <p>
                          {holder.postalCode} {addressOf(holder, locale)}
                        </p>
                        <p>{holder.phone}</p>
                        <p className="break-all">{holder.email}</p>
                      </td>
                      <td className="max-w-40 break-all px-3 py-2 font-mono text-xs">{holder.walletAddress}</td>
                      <td className="px-3 py-2 text-xs">
                        {holder.identityApprovedAt ? t("register.identityApproved", { date: formatDate(holder.identityApprovedAt, locale) }) : t("register.identityNone")}
                      </td>
                      <td className="px-3 py-2 text-right font-semibold tabular-nums">{formatNumber(holder.units, locale)}</td>
                      <td className="px-3 py-2 text-xs">
                        <ul>
                          {holder.acquisitions.map((entry, i) => (
                            // biome-ignore lint/suspicious/noArrayIndexKey: a read-only list rendered once per request
                            <li key={i}>
                              {formatDate(entry.at, locale)} ·{" "}
                              {t(
                                entry.perkClaimId
                                  ? entry.kind === "tokens_redeemed"
                                    ? "register.perkRedeemed"
                                    : "register.perkRestored"
                                  : entry.kind === "tokens_allocated"
                                    ? "register.allocated"
                                    : entry.kind === "tokens_redeemed"
                                      ? "register.redeemed"
                                      : "register.clawedBack",
                              )}{" "}
                              {formatNumber(entry.units, locale)}
                              {" · "}
                              {entry.orderSeq ? t("register.order", { seq: entry.orderSeq }) : t("register.noOrder")}
                            </li>
                          ))}
                        </ul>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </>
      ) : null}
    </>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { Card, PageHeading } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";
import { formatNumber, formatYen } from "@/lib/i18n/format";
import { getTranslator } from "@/lib/i18n/server";
import { localized } from "@/lib/i18n/localized";
import { formatCalendarDate } from "@/lib/i18n/format";
import { statusText } from "@/lib/statements/format";
import { incomeHistory } from "@/lib/statements/queries";
import { statementYears } from "@/lib/statements/year-statement";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTranslator();
  return { title: t("statements.title") };
}

const linkClass = "inline-flex min-h-11 items-center text-sm font-semibold text-forest-700 hover:underline";

export default async function IncomePage() {
  const user = await requireUser("/account/income");
  const [{ locale, t }, lines, years] = await Promise.all([getTranslator(), incomeHistory(user.id), statementYears(user.id)]);
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <Link href="/account" className="text-sm text-forest-700 hover:underline">
        ← {t("statements.back")}
      </Link>
      <PageHeading title={t("statements.title")} lead={t("statements.lead")} />
      <Card>
        <h2 className="font-bold">{t("statements.historyTitle")}</h2>
        <p className="mt-1 text-sm text-stone-600">{t("statements.howComputed")}</p>
        {lines.length === 0 ? <p className="mt-2 text-sm text-stone-600">{t("statements.empty")}</p> : null}
        <ul className="mt-3 divide-y divide-stone-200">
          {lines.map((line) => (
            <li key={line.originId} className="py-4" data-testid="income-line">
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <p className="font-semibold">
                  {localized(line, "name", locale)} · {t("statements.paymentNumber", { number: line.paymentNumber })}
                  {line.runKind === "final" ? ` · ${t("statements.final")}` : ""}
                </p>
                <p className="text-sm text-stone-600">
                  {t("statements.paymentDate")}: {formatCalendarDate(line.dueDate, locale)} · {t("statements.units", { count: formatNumber(line.units, locale) })}
                </p>
              </div>
              <dl className="mt-2 grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-4">
                {(
                  [
                    ["gross", line.grossYen],
                    ["nationalTax", line.nationalTaxYen],
                    ["localTax", line.localTaxYen],
                    ["net", line.netYen],
                    ...(line.principalYen > 0 ? [["principal", line.principalYen] as const] : []),
                  ] as const
                ).map(([key, yen]) => (
                  <div key={key}>
                    <dt className="text-xs text-stone-500">{t(`statements.${key}`)}</dt>
                    <dd className={`tabular-nums ${key === "net" || key === "principal" ? "font-semibold" : ""}`} data-testid={`income-${key}`}>
                      {formatYen(yen)}
                    </dd>
                  </div>
                ))}
              </dl>
              <div className="mt-2 flex flex-wrap items-center justify-between gap-x-4">
                <p className="text-sm" data-testid="income-status">
                  {statusText(line.status, t, locale, "statements.status")}
                  {line.status.kind === "waiting_account" ? (
                    <>
                      {" "}
                      <Link href="/account/payout" className="font-semibold text-forest-700 underline-offset-4 hover:underline">
                        {t("statements.status.registerAccount")} →
                      </Link>
                    </>
                  ) : null}
                  {line.carriedTo ? <span className="block text-xs text-stone-500">{t("statements.carriedTo", { date: formatCalendarDate(line.carriedTo, locale) })}</span> : null}
                </p>
                <a href={`/account/income/notices/${line.paymentId}/pdf`} download className={linkClass}>
                  {t("statements.notice")}
                </a>
              </div>
            </li>
          ))}
        </ul>
      </Card>
      <Card>
        <h2 className="font-bold">{t("statements.years.title")}</h2>
        <p className="mt-1 text-sm text-stone-600">{t("statements.years.lead")}</p>
        <ul className="mt-3 space-y-1">
          {years.map((year) => (
            <li key={year} className="flex flex-wrap items-center gap-x-4" data-testid="statement-year">
              <span className="w-20 font-semibold">{t("statements.years.year", { year })}</span>
              <a href={`/account/income/statements/${year}/pdf`} download className={linkClass}>
                {t("statements.years.pdf")}
              </a>
              <a href={`/account/income/statements/${year}/csv`} download className={linkClass}>
                {t("statements.years.csv")}
              </a>
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}

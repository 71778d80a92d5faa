import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ReportView } from "@/components/settlement/report-view";
import { StatusButton } from "@/components/staff/status-button";
import { Card, PageHeading } from "@/components/ui/card";
import { requireRole } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/i18n/format";
import { localized } from "@/lib/i18n/localized";
import { getTranslator } from "@/lib/i18n/server";
import { reportForStaff } from "@/lib/settlement/access";
import { latestReportJob, listReports } from "@/lib/settlement/reports";
import { requestReportAction } from "./actions";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTranslator();
  return { title: t("settlement.title") };
}

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SettlementPage({ params, searchParams }: Props) {
  const { id } = await params;
  const user = await requireRole("staff", `/staff/offerings/${id}/settlement`);
  const query = await searchParams;
  const found = await reportForStaff(user, id, typeof query.v === "string" ? query.v : undefined);
  if (!found) notFound();
  const { offering, report } = found;
  const [{ locale, t }, versions, job] = await Promise.all([getTranslator(), listReports(offering.id), latestReportJob(offering.id)]);
  // An explicitly asked-for version that does not exist is not found; no version at all is an empty page.
  if (!report && query.v !== undefined) notFound();
  const latest = versions[0]?.version;
  const base = `/staff/offerings/${offering.id}/settlement`;
  const files = report
    ? [
        { href: `${base}/csv?v=${report.version}`, label: t("settlement.csv") },
        { href: `${base}/pdf?v=${report.version}&lang=ja`, label: t("settlement.pdfJa") },
        { href: `${base}/pdf?v=${report.version}&lang=en`, label: t("settlement.pdfEn") },
      ]
    : [];
  return (
    <div className="space-y-4">
      <Link href={`/staff/offerings/${offering.id}`} className="text-sm text-forest-700 underline-offset-4 hover:underline">
        {t("settlement.back")}
      </Link>
      <PageHeading title={`${t("settlement.title")}: ${localized(offering, "name", locale)}`} lead={t("settlement.lead")} />
      {offering.status !== "closed" ? <p className="text-sm text-stone-700">{t("settlement.notClosed")}</p> : null}
      {job ? (
        <p
          role="status"
          className={`rounded-lg border px-4 py-3 text-sm ${job.state === "failed" ? "border-red-200 bg-red-50 text-red-800" : "border-amber-200 bg-amber-50 text-amber-900"}`}
          data-testid="settlement-job"
        >
          {job.state === "failed"
            ? t("settlement.failed", { error: job.error ?? "—" })
            : job.state === "retry"
              ? t("settlement.retrying", { count: job.retryCount, error: job.error ?? "—" })
              : t("settlement.pending")}
        </p>
      ) : null}
      {offering.status === "closed" ? (
        <StatusButton action={requestReportAction} label={t("settlement.makeNew")} fields={{ offeringId: offering.id }} variant="quiet" testId="settlement-request" />
      ) : null}
      {report ? (
        <>
          {latest !== undefined && report.version < latest ? (
            <p className="rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
              {t("settlement.superseded", { version: latest })}{" "}
              <Link href={base} className="underline">
                {t("settlement.latest")}
              </Link>
            </p>
          ) : null}
          <div className="flex flex-wrap items-center gap-3 text-sm">
            <span className="font-medium text-stone-600">{t("settlement.download")}:</span>
            {files.map((file) => (
              <a key={file.href} href={file.href} download className="inline-flex min-h-11 items-center rounded-lg border border-forest-600 px-4 font-semibold text-forest-700">
                {file.label}
              </a>
            ))}
          </div>
          <ReportView figures={report.figures} meta={report} t={t} locale={locale} />
        </>
      ) : (
        <Card>
          <p className="text-sm text-stone-600">{t("settlement.none")}</p>
        </Card>
      )}
      {versions.length > 0 ? (
        <Card>
          <h2 className="mb-3 font-bold">{t("settlement.versions")}</h2>
          <ul className="divide-y divide-stone-100 text-sm" data-testid="settlement-versions">
            {versions.map((row) => (
              <li key={row.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <span>
                  {t("settlement.versionValue", { version: row.version })}
                  {row.version === latest ? ` · ${t("settlement.latest")}` : ""} · {formatDateTime(row.createdAt, locale)} · {row.createdBy ?? t("settlement.system")}
                </span>
                {row.version === report?.version ? (
                  <span className="text-stone-500">{t("settlement.viewing")}</span>
                ) : (
                  <Link href={`${base}?v=${row.version}`} className="text-forest-700 underline-offset-4 hover:underline">
                    {t("settlement.view")}
                  </Link>
                )}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
    </div>
  );
}

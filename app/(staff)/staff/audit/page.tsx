import type { Metadata } from "next";
import Link from "next/link";
import { PageHeading } from "@/components/ui/card";
import { auditActionLabel, auditAreaLabel, groupAuditActions } from "@/lib/audit/labels";
import { requireRole } from "@/lib/auth/session";
import { getTranslator } from "@/lib/i18n/server";
import { formatDateTime } from "@/lib/i18n/format";
import { staffScopeOf } from "@/lib/issuers/scope";
import { auditActions, searchAuditLog } from "@/lib/register/audit-log";
import { auditQuery } from "@/lib/register/audit-params";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getTranslator();
  return { title: t("auditLog.title") };
}

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AuditPage({ searchParams }: Props) {
  const user = await requireRole("staff", "/staff/audit");
  const { form, filter } = auditQuery(await searchParams);
  const scope = await staffScopeOf(user);
  const [{ locale, t }, actions, result] = await Promise.all([getTranslator(), auditActions(), searchAuditLog(filter, scope)]);
  const control = "mt-1 block min-h-11 w-full rounded-lg border border-stone-300 bg-white px-3 text-base";
  const olderHref = result.nextBefore
    ? `/staff/audit?${new URLSearchParams({ ...Object.fromEntries(Object.entries(form).filter(([, value]) => value !== "")), before: String(result.nextBefore) })}`
    : null;
  return (
    <>
      <PageHeading title={t("auditLog.title")} lead={t("auditLog.lead")} />
      {scope.all ? null : <p className="mb-4 text-sm text-stone-600">{t("issuers.scope.auditNote")}</p>}
      <form method="get" className="mb-6 grid gap-4 rounded-2xl border border-stone-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-4">
        <div>
          <label htmlFor="actor" className="block text-sm font-medium">
            {t("auditLog.actor")}
          </label>
          <input id="actor" name="actor" defaultValue={form.actor} className={control} />
        </div>
        <div>
          <label htmlFor="action" className="block text-sm font-medium">
            {t("auditLog.action")}
          </label>
          <select id="action" name="action" defaultValue={form.action} className={control}>
            <option value="">{t("auditLog.anyAction")}</option>
            {groupAuditActions(actions).map(({ area, actions: inArea }) => (
              <optgroup key={area} label={auditAreaLabel(t, area)}>
                <option value={`${area}.`}>{t("auditActions.everyInArea", { area: auditAreaLabel(t, area) })}</option>
                {inArea.map((action) => (
                  <option key={action} value={action}>
                    {auditActionLabel(t, action)}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="from" className="block text-sm font-medium">
            {t("auditLog.from")}
          </label>
          <input id="from" name="from" type="date" defaultValue={form.from} className={control} />
        </div>
        <div>
          <label htmlFor="to" className="block text-sm font-medium">
            {t("auditLog.to")}
          </label>
          <input id="to" name="to" type="date" defaultValue={form.to} className={control} />
        </div>
        <div className="flex flex-wrap items-center gap-3 sm:col-span-2 lg:col-span-4">
          <button type="submit" className="inline-flex min-h-11 items-center rounded-lg bg-forest-700 px-4 text-sm font-semibold text-white">
            {t("auditLog.filter")}
          </button>
          <Link href="/staff/audit" className="inline-flex min-h-11 items-center text-sm text-stone-700 hover:underline">
            {t("auditLog.reset")}
          </Link>
        </div>
      </form>
      {result.entries.length === 0 ? <p className="text-stone-600">{t("auditLog.empty")}</p> : null}
      {result.entries.length > 0 ? (
        <div className="overflow-x-auto rounded-2xl border border-stone-200 bg-white">
          <table className="w-full min-w-[48rem] text-left text-sm" data-testid="audit-table">
            <thead className="bg-stone-50 text-xs text-stone-500">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">
                  {t("auditLog.at")}
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  {t("auditLog.actorColumn")}
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  {t("auditLog.action")}
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  {t("auditLog.target")}
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  {t("auditLog.detail")}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-200 align-top">
              {result.entries.map(({ entry, actorEmail }) => (
                <tr key={entry.id}>
                  <td className="whitespace-nowrap px-3 py-2 text-xs">{formatDateTime(entry.at, locale)}</td>
                  <td className="break-all px-3 py-2 text-xs">{actorEmail ?? t("auditLog.system")}</td>
                  <td className="px-3 py-2 text-xs" data-testid="audit-action">
                    <span className="block" title={entry.action}>
                      {auditActionLabel(t, entry.action)}
                    </span>
                    <code className="block break-all text-[0.7rem] text-stone-500">{entry.action}</code>
                  </td>
                  <td className="break-all px-3 py-2 font-mono text-xs">{entry.targetType ? `${entry.targetType}:${entry.targetId ?? ""}` : ""}</td>
                  <td className="px-3 py-2">
                    {entry.detail ? <pre className="max-h-32 max-w-md overflow-auto whitespace-pre-wrap break-all text-xs text-stone-600">{JSON.stringify(entry.detail, null, 1)}</pre> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <div className="mt-4 flex flex-wrap gap-4">
        {filter.before ? (
          <Link
            href={`/staff/audit?${new URLSearchParams(Object.fromEntries(Object.entries(form).filter(([, value]) => value !== "")))}`}
            className="inline-flex min-h-11 items-center text-sm text-forest-700 hover:underline"
          >
            {t("auditLog.newest")}
          </Link>
        ) : null}
        {olderHref ? (
          <Link href={olderHref} className="inline-flex min-h-11 items-center text-sm text-forest-700 hover:underline">
            {t("auditLog.older")}
          </Link>
        ) : null}
      </div>
    </>
  );
}

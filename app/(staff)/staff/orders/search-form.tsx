import type { ReactNode } from "react";
import type { Locale, Translate } from "@/lib/i18n/catalog";
import { ORDER_STATUSES } from "@/lib/orders/status";
import type { StaffOrderParams } from "@/lib/orders/staff-search";

type Props = {
  t: Translate;
  locale: Locale;
  params: StaffOrderParams;
  offerings: { id: string; nameJa: string; nameEn: string }[];
  problems: Partial<Record<keyof StaffOrderParams, string>>;
};

const control = "mt-1 block min-h-11 w-full rounded-lg border border-stone-300 bg-white px-3 text-base";

/** The staff orders search: a GET form, so the filters stay in the URL (and in the page and export links). */
export function OrderSearchForm({ t, locale, params, offerings, problems }: Props) {
  const field = (name: keyof StaffOrderParams, label: string, input: ReactNode, hint?: string) => (
    <div>
      <label htmlFor={`search-${name}`} className="block text-sm font-medium">
        {label}
      </label>
      {input}
      {hint ? <p className="mt-1 text-xs text-stone-500">{hint}</p> : null}
      {problems[name] ? (
        <p id={`search-${name}-error`} className="mt-1 text-sm text-red-700">
          {problems[name]}
        </p>
      ) : null}
    </div>
  );
  const common = (name: keyof StaffOrderParams) => ({
    id: `search-${name}`,
    name,
    defaultValue: params[name] ?? "",
    className: control,
    "aria-invalid": problems[name] ? true : undefined,
    "aria-describedby": problems[name] ? `search-${name}-error` : undefined,
  });
  return (
    <form method="get" action="/staff/orders" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" data-testid="order-search">
      {field("email", t("staffOrderSearch.email"), <input type="search" autoComplete="off" {...common("email")} />, t("staffOrderSearch.emailHint"))}
      {field("number", t("staffOrderSearch.number"), <input type="search" autoComplete="off" {...common("number")} />, t("staffOrderSearch.numberHint"))}
      {field(
        "status",
        t("staffOrderSearch.status"),
        <select {...common("status")}>
          <option value="">{t("staffOrderSearch.anyStatus")}</option>
          {ORDER_STATUSES.map((status) => (
            <option key={status} value={status}>
              {t(`orders.status.${status}`)}
            </option>
          ))}
        </select>,
      )}
      {field(
        "offering",
        t("staffOrderSearch.offering"),
        <select {...common("offering")}>
          <option value="">{t("staffOrderSearch.anyOffering")}</option>
          {offerings.map((offering) => (
            <option key={offering.id} value={offering.id}>
              {locale === "ja" ? offering.nameJa : offering.nameEn}
            </option>
          ))}
        </select>,
      )}
      {field("from", t("staffOrderSearch.from"), <input type="date" {...common("from")} />)}
      {field("to", t("staffOrderSearch.to"), <input type="date" {...common("to")} />)}
      <div className="flex flex-wrap items-center gap-3 sm:col-span-2 lg:col-span-3">
        <button type="submit" className="inline-flex min-h-11 items-center justify-center rounded-lg bg-forest-700 px-4 text-sm font-semibold text-white">
          {t("staffOrderSearch.search")}
        </button>
        <a href="/staff/orders" className="text-sm text-forest-700 hover:underline">
          {t("staffOrderSearch.reset")}
        </a>
      </div>
    </form>
  );
}

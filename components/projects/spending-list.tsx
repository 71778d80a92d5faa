import type { ReactNode } from "react";
import type { Locale, Translate } from "@/lib/i18n/catalog";
import { localized } from "@/lib/i18n/localized";
import { formatDate, formatYen } from "@/lib/i18n/format";

type Entry = { id: string; spentOn: Date; amountYen: number; descriptionJa: string; descriptionEn: string; hasReceipt: boolean };

/** Spending entries as a list that reads on a phone; `extra` adds a staff column (receipt, delete). */
export function SpendingList<E extends Entry>({ entries, totalYen, locale, t, extra }: { entries: E[]; totalYen: number; locale: Locale; t: Translate; extra?: (entry: E) => ReactNode }) {
  if (entries.length === 0) return <p className="text-sm text-stone-600">{t("projectPage.spendingEmpty")}</p>;
  return (
    <>
      <ul className="divide-y divide-stone-200" data-testid="spending-list">
        {entries.map((entry) => (
          <li key={entry.id} className="flex flex-wrap items-start justify-between gap-x-4 gap-y-1 py-3">
            <div className="min-w-0 flex-1">
              <p className="text-xs text-stone-500">
                <time dateTime={entry.spentOn.toISOString()}>{formatDate(entry.spentOn, locale)}</time>
                {entry.hasReceipt && !extra ? <span className="ml-2">· {t("projectPage.receiptOnFile")}</span> : null}
              </p>
              <p className="text-sm text-stone-800">{localized(entry, "description", locale)}</p>
            </div>
            <p className="font-semibold tabular-nums">{formatYen(entry.amountYen)}</p>
            {extra ? <div className="w-full">{extra(entry)}</div> : null}
          </li>
        ))}
      </ul>
      <p className="mt-2 flex justify-between border-t-2 border-stone-300 pt-3 font-bold">
        <span>{t("projectPage.total")}</span>
        <span className="tabular-nums" data-testid="spending-total">
          {formatYen(totalYen)}
        </span>
      </p>
    </>
  );
}

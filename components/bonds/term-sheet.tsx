import type { Translate } from "@/lib/i18n/catalog";
import type { publicBondSheet } from "@/lib/bonds/terms";
import { termSheetRows } from "@/lib/bonds/term-sheet";

type Sheet = NonNullable<Awaited<ReturnType<typeof publicBondSheet>>>;

/** The bond's term sheet (発行要項) and its schedule of every payment, per unit. */
export function BondTermSheet({ sheet, name, issuer, t }: { sheet: Sheet; name: string; issuer: string; t: Translate }) {
  const cell = "border-b border-stone-200 px-2 py-1";
  return (
    <div className="space-y-4" data-testid="bond-term-sheet">
      <section aria-labelledby="term-sheet-heading">
        <h2 id="term-sheet-heading" className="mb-2 text-lg font-bold">
          {t("bonds.title")}
        </h2>
        <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[12rem_1fr]">
          {termSheetRows(t, { name, issuer, terms: sheet.terms }).map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="font-semibold text-stone-600">{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section aria-labelledby="schedule-heading" className="overflow-x-auto">
        <h2 id="schedule-heading" className="mb-2 text-lg font-bold">
          {t("bonds.schedule.heading")}
        </h2>
        <table className="w-full text-left text-sm" data-testid="bond-schedule">
          <thead>
            <tr>
              {(["number", "nominalDate", "paymentDate", "recordDate", "interest", "principal"] as const).map((key) => (
                <th key={key} scope="col" className={`${cell} font-semibold`}>
                  {t(`bonds.schedule.${key}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {sheet.schedule.map((row) => (
              <tr key={row.number}>
                <td className={cell}>{row.number}</td>
                <td className={cell}>{row.nominalDate}</td>
                <td className={cell}>{row.paymentDate}</td>
                <td className={cell}>{row.recordDate}</td>
                <td className={`${cell} tabular-nums`}>{row.interest}</td>
                <td className={`${cell} tabular-nums`}>{row.principal}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

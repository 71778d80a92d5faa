"use client";

import { useEffect, useRef, useState } from "react";
import { SelectField, TextField } from "@/components/ui/field";
import type { Messages } from "@/lib/i18n/catalog";

const FREQUENCIES = ["1", "2", "4", "12"] as const;
const NUMBERS = ["bondFaceValueYen", "bondRecordDateBusinessDays"] as const;
const DATES = ["bondInterestFrom", "bondFirstCouponDate", "bondMaturityDate"] as const;
const LABEL = {
  bondFaceValueYen: "faceValueYen",
  bondRecordDateBusinessDays: "recordDateBusinessDays",
  bondInterestFrom: "interestFrom",
  bondFirstCouponDate: "firstCouponDate",
  bondMaturityDate: "maturityDate",
} as const;

/**
 * The bond's terms inside the offering form, shown while the kind chosen is municipal bond (the
 * server ignores them for other kinds). Follows the form's `kind` select without owning it.
 */
export function BondFields({ m, kind, value, error }: { m: Messages["bonds"]["form"]; kind: string; value: (name: string) => string; error: (name: string) => string | undefined }) {
  const ref = useRef<HTMLFieldSetElement>(null);
  const [current, setCurrent] = useState(kind);
  useEffect(() => {
    const form = ref.current?.form;
    if (!form) return;
    const onChange = (event: Event) => {
      const target = event.target as HTMLSelectElement;
      if (target.name === "kind") setCurrent(target.value);
    };
    form.addEventListener("change", onChange);
    return () => form.removeEventListener("change", onChange);
  }, []);
  return (
    <fieldset ref={ref} hidden={current !== "municipal_bond"} className="space-y-3 rounded-lg border border-stone-200 p-3" data-testid="bond-fields">
      <legend className="px-1 text-sm font-bold">{m.heading}</legend>
      <p className="text-sm text-stone-600">{m.lead}</p>
      <div className="grid gap-4 sm:grid-cols-2">
        {NUMBERS.map((name) => (
          <TextField key={name} name={name} label={m[LABEL[name]]} inputMode="numeric" defaultValue={value(name)} error={error(name)} />
        ))}
        <TextField name="bondCouponRate" label={m.couponRate} defaultValue={value("bondCouponRate")} error={error("bondCouponRate")} />
        <SelectField
          name="bondCouponsPerYear"
          label={m.couponsPerYear}
          defaultValue={value("bondCouponsPerYear")}
          error={error("bondCouponsPerYear")}
          options={FREQUENCIES.map((n) => ({ value: n, label: m.frequency[n] }))}
        />
        {DATES.map((name) => (
          <TextField key={name} name={name} type="date" label={m[LABEL[name]]} defaultValue={value(name)} error={error(name)} />
        ))}
      </div>
    </fieldset>
  );
}

"use client";

import type { Messages } from "@/lib/i18n/catalog";

export type MethodChoiceProps = { payFrom: string; m: Messages["stablecoin"]["buy"] };

/** Card or JPYC, shown only when the buyer can pay in JPYC (the server checks again). */
export function MethodChoice(props: MethodChoiceProps & { value: "card" | "stablecoin"; onChange(value: "card" | "stablecoin"): void }) {
  const { m } = props;
  const option = (value: "card" | "stablecoin", label: string, hints: string[]) => (
    <label className="flex min-h-11 cursor-pointer items-start gap-3 rounded-lg border border-stone-200 p-3 text-sm has-[:checked]:border-forest-600 has-[:checked]:bg-forest-50">
      <input
        type="radio"
        name="paymentMethod"
        value={value}
        checked={props.value === value}
        onChange={() => props.onChange(value)}
        className="mt-0.5 size-5 shrink-0 accent-forest-700"
        data-testid={`method-${value}`}
      />
      <span className="min-w-0">
        <span className="block font-medium">{label}</span>
        {hints.map((hint) => (
          <span key={hint} className="mt-0.5 block wrap-anywhere text-xs text-stone-600">
            {hint}
          </span>
        ))}
      </span>
    </label>
  );
  return (
    <fieldset className="space-y-2">
      <legend className="mb-1 text-sm font-medium">{m.method}</legend>
      {option("card", m.card, [m.cardHint])}
      {option("stablecoin", m.stablecoin, [m.about, m.stablecoinHint.replace("{address}", props.payFrom)])}
    </fieldset>
  );
}

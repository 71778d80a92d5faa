"use client";

import type { ReactNode } from "react";
import type { PaymentMethod } from "@/db/schema";
import type { Messages } from "@/lib/i18n/catalog";

type MethodChoiceText = { stablecoin: Messages["stablecoin"]["buy"]; deferred: Messages["deferredPayments"]["buy"] };

/** What the buyer may choose besides card: the pay-later methods the offering takes now, and JPYC when the buyer can pay in it. */
export type MethodChoiceProps = {
  deferred: ("konbini" | "bank_transfer")[];
  /** The linked wallet JPYC is paid from; absent: no JPYC. */
  payFrom?: string;
  /** Days to pay, per pay-later method. */
  days: { konbini: number; bank_transfer: number };
  m: MethodChoiceText;
};

/** The methods offered, in the order shown: card first, then the pay-later ones, then JPYC. */
export function methodsOf(props: Pick<MethodChoiceProps, "deferred" | "payFrom">): PaymentMethod[] {
  return ["card", ...props.deferred, ...(props.payFrom ? (["stablecoin"] as const) : [])];
}

/** One radio group for how to pay, each option with a line on what happens next (the server checks the choice again). */
export function MethodChoice(props: MethodChoiceProps & { value: PaymentMethod; onChange(value: PaymentMethod): void }) {
  const { stablecoin: sm, deferred: dm } = props.m;
  const option = (value: PaymentMethod, label: string, hints: string[]) => (
    <label
      key={value}
      className="flex min-h-11 cursor-pointer items-start gap-3 rounded-lg border border-stone-200 p-3 text-sm has-[:checked]:border-forest-600 has-[:checked]:bg-forest-50 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-forest-300"
    >
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
  const options: Record<PaymentMethod, () => ReactNode> = {
    card: () => option("card", sm.card, [sm.cardHint]),
    konbini: () => option("konbini", dm.konbini, [dm.konbiniHint.replace("{days}", String(props.days.konbini))]),
    bank_transfer: () => option("bank_transfer", dm.bankTransfer, [dm.bankTransferHint.replace("{days}", String(props.days.bank_transfer))]),
    stablecoin: () => option("stablecoin", sm.stablecoin, [sm.about, sm.stablecoinHint.replace("{address}", props.payFrom ?? "")]),
  };
  return (
    <fieldset className="space-y-2" data-testid="method-choice">
      <legend className="mb-1 text-sm font-medium">{sm.method}</legend>
      {methodsOf(props).map((method) => options[method]())}
    </fieldset>
  );
}

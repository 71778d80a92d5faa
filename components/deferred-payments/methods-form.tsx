"use client";

import { FormMessage } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useActionForm } from "@/components/ui/use-action-form";
import type { FormAction } from "@/lib/actions/core";
import type { Messages } from "@/lib/i18n/catalog";

/** Staff: whether the offering takes konbini and bank transfer besides card (an operating setting, no approval). */
export function PaymentMethodsForm({
  action,
  offeringId,
  konbini,
  bankTransfer,
  days,
  m,
}: {
  action: FormAction;
  offeringId: string;
  konbini: boolean;
  bankTransfer: boolean;
  days: { konbini: number; bankTransfer: number };
  m: Messages["deferredPayments"]["staff"];
}) {
  const { state, pending, formProps } = useActionForm(action);
  const box = (name: "konbini" | "bankTransfer", checked: boolean, label: string) => (
    <label className="flex min-h-11 items-center gap-3 text-sm">
      <input type="checkbox" name={name} defaultChecked={checked} className="size-5 accent-forest-700" data-testid={`accept-${name}`} />
      <span>{label}</span>
    </label>
  );
  return (
    <form {...formProps} className="space-y-3" noValidate data-testid="payment-methods-form">
      <h2 className="font-bold">{m.heading}</h2>
      <p className="text-sm text-stone-600">{m.lead}</p>
      <input type="hidden" name="offeringId" value={offeringId} />
      <fieldset className="space-y-1">
        <legend className="text-sm text-stone-600">{m.cardAlways}</legend>
        {box("konbini", konbini, m.konbini.replace("{days}", String(days.konbini)))}
        {box("bankTransfer", bankTransfer, m.bankTransfer.replace("{days}", String(days.bankTransfer)))}
      </fieldset>
      <SubmitButton label={m.save} pending={pending} />
      <FormMessage status={state.status} message={state.message} />
    </form>
  );
}

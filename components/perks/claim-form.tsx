"use client";

import type { ConfirmText } from "@/components/ui/confirm-submit";
import { ConfirmSubmit } from "@/components/ui/confirm-submit";
import { FormMessage, TextField } from "@/components/ui/field";
import { useActionForm } from "@/components/ui/use-action-form";
import type { FormAction } from "@/lib/actions/core";

type ClaimFormText = {
  delivery: string;
  deliveryLead: string;
  recipientName: string;
  recipientKana: string;
  postalCode: string;
  address: string;
  phone: string;
  submit: string;
  confirm: ConfirmText;
  /** A redeeming perk: what giving up the tokens means, shown above the button. */
  burnWarning?: string;
};

/**
 * The holder's claim: the delivery address (prefilled from the profile, changeable for this claim
 * only) when the perk is delivered, then a confirmed submit. The server re-checks everything.
 */
export function ClaimForm({ action, perkId, delivery, m }: { action: FormAction; perkId: string; delivery: Record<string, string> | null; m: ClaimFormText }) {
  const { state, pending, formProps } = useActionForm(action);
  const value = (name: string) => state.values?.[name] ?? delivery?.[name] ?? "";
  const error = (name: string) => state.fieldErrors?.[name];
  return (
    <form {...formProps} className="space-y-4" noValidate data-testid="perk-claim-form">
      <input type="hidden" name="perkId" value={perkId} />
      {delivery ? (
        <fieldset className="space-y-4">
          <legend className="font-semibold">{m.delivery}</legend>
          <p className="text-sm text-stone-600">{m.deliveryLead}</p>
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField name="recipientName" label={m.recipientName} defaultValue={value("recipientName")} error={error("recipientName")} autoComplete="name" />
            <TextField name="recipientKana" label={m.recipientKana} defaultValue={value("recipientKana")} error={error("recipientKana")} />
            <TextField name="postalCode" label={m.postalCode} defaultValue={value("postalCode")} error={error("postalCode")} autoComplete="postal-code" inputMode="numeric" placeholder="123-4567" />
            <TextField name="phone" type="tel" label={m.phone} defaultValue={value("phone")} error={error("phone")} autoComplete="tel" inputMode="tel" />
          </div>
          <TextField name="address" label={m.address} defaultValue={value("address")} error={error("address")} autoComplete="street-address" />
        </fieldset>
      ) : null}
      {m.burnWarning ? (
        <p className="rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-sm font-medium text-amber-900" data-testid="perk-burn-warning">
          {m.burnWarning}
        </p>
      ) : null}
      <div data-testid="perk-claim-button">
        <ConfirmSubmit label={m.submit} pending={pending} confirm={m.confirm} />
      </div>
      <div data-testid="perk-claim-outcome">
        <FormMessage status={state.status} message={state.message} />
      </div>
    </form>
  );
}

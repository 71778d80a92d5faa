"use client";

import { useId } from "react";
import { ConfirmSubmit, type ConfirmText } from "@/components/ui/confirm-submit";
import { FormMessage } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useActionForm } from "@/components/ui/use-action-form";
import type { FormAction } from "@/lib/actions/core";

const control =
  "mt-1 block min-h-11 w-full rounded-lg border border-stone-300 bg-white px-3 text-base focus:border-forest-600 focus:outline-none focus:ring-2 focus:ring-forest-100 aria-[invalid=true]:border-red-600";

/** One text field and a button, for a step on one claim (ship with a tracking number, cancel with a reason). */
function ClaimStepForm({
  action,
  fields,
  name,
  label,
  button,
  confirm,
  variant,
  testId,
  fieldTestId,
}: {
  action: FormAction;
  fields: Record<string, string>;
  name: "trackingNumber" | "reason";
  label: string;
  button: string;
  confirm?: ConfirmText;
  variant: "primary" | "quiet";
  testId: string;
  fieldTestId: string;
}) {
  const { state, pending, formProps } = useActionForm(action);
  const id = useId();
  const error = state.fieldErrors?.[name] ?? state.fieldErrors?.claimId;
  return (
    <form {...formProps} className="space-y-2" data-testid={testId} noValidate>
      {Object.entries(fields).map(([key, value]) => (
        <input key={key} type="hidden" name={key} value={value} />
      ))}
      <div>
        <label htmlFor={`${id}-${name}`} className="block text-xs font-medium text-stone-700">
          {label}
        </label>
        <input
          id={`${id}-${name}`}
          name={name}
          defaultValue={state.values?.[name]}
          autoComplete="off"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-${name}-error` : undefined}
          className={control}
          data-testid={fieldTestId}
        />
        {error ? (
          <p id={`${id}-${name}-error`} role="alert" className="mt-1 text-sm text-red-700">
            {error}
          </p>
        ) : null}
      </div>
      {confirm ? <ConfirmSubmit label={button} variant={variant} pending={pending} confirm={confirm} /> : <SubmitButton label={button} variant={variant} pending={pending} />}
      {state.status === "invalid" ? null : <FormMessage status={state.status} message={state.message} />}
    </form>
  );
}

export function ShipClaimForm({ action, fields, label, button }: { action: FormAction; fields: Record<string, string>; label: string; button: string }) {
  return <ClaimStepForm action={action} fields={fields} name="trackingNumber" label={label} button={button} variant="primary" testId="perk-ship-form" fieldTestId="perk-tracking-number" />;
}

export function CancelClaimForm({ action, fields, label, button, confirm }: { action: FormAction; fields: Record<string, string>; label: string; button: string; confirm: ConfirmText }) {
  return <ClaimStepForm action={action} fields={fields} name="reason" label={label} button={button} confirm={confirm} variant="quiet" testId="perk-cancel-form" fieldTestId="perk-cancel-reason" />;
}

"use client";

import { type ReactNode, useId } from "react";
import { useResetOnOk } from "@/components/staff/use-reset-on-ok";
import { FormMessage } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useActionForm } from "@/components/ui/use-action-form";
import type { FormAction } from "@/lib/actions/core";

const control =
  "mt-1 block w-full rounded-lg border border-stone-300 bg-white px-3 py-2 text-base focus:border-forest-600 focus:outline-none focus:ring-2 focus:ring-forest-100 aria-[invalid=true]:border-red-600";

function Labelled({ id, label, error, children }: { id: string; label: string; error?: string; children: ReactNode }) {
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-stone-800">
        {label}
      </label>
      {children}
      {error ? (
        <p id={`${id}-error`} role="alert" className="mt-1 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/**
 * A chain operation that needs a reason (pause, freeze, give up, forced transfer): the reason is
 * required and lands in the audit log; some also name a holder by email or wallet address. Many
 * of these forms share a page, so their fields get ids of their own.
 */
export function ReasonForm({
  action,
  fields,
  submitLabel,
  reasonLabel,
  holderLabel,
  variant = "primary",
  testId,
}: {
  action: FormAction;
  fields: Record<string, string>;
  submitLabel: string;
  reasonLabel: string;
  holderLabel?: string;
  variant?: "primary" | "quiet";
  testId: string;
}) {
  const { state, pending, formProps } = useActionForm(action);
  const ref = useResetOnOk(state);
  const id = useId();
  const errors = state.fieldErrors ?? {};
  return (
    <form ref={ref} {...formProps} className="space-y-3" data-testid={testId}>
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {holderLabel ? (
        <Labelled id={`${id}-holder`} label={holderLabel} error={errors.holder}>
          <input
            id={`${id}-holder`}
            name="holder"
            defaultValue={state.values?.holder}
            autoComplete="off"
            aria-invalid={errors.holder ? true : undefined}
            aria-describedby={errors.holder ? `${id}-holder-error` : undefined}
            className={`${control} min-h-11`}
          />
        </Labelled>
      ) : null}
      <Labelled id={`${id}-reason`} label={reasonLabel} error={errors.reason}>
        <textarea
          id={`${id}-reason`}
          name="reason"
          rows={2}
          defaultValue={state.values?.reason}
          aria-invalid={errors.reason ? true : undefined}
          aria-describedby={errors.reason ? `${id}-reason-error` : undefined}
          className={control}
        />
      </Labelled>
      <SubmitButton label={submitLabel} variant={variant} pending={pending} />
      <FormMessage status={state.status} message={state.message} />
    </form>
  );
}

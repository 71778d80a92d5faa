"use client";

import { useId } from "react";
import { ConfirmSubmit, type ConfirmText } from "@/components/ui/confirm-submit";
import { FormMessage } from "@/components/ui/field";
import { useActionForm } from "@/components/ui/use-action-form";
import type { FormAction } from "@/lib/actions/core";

const control =
  "mt-1 block min-h-11 w-full rounded-lg border border-stone-300 bg-white px-3 text-base focus:border-forest-600 focus:outline-none focus:ring-2 focus:ring-forest-100 aria-[invalid=true]:border-red-600";

/** Staff decline an own wallet's approval with a reason the investor reads. */
export function RejectApprovalForm({ action, fields, label, button, confirm }: { action: FormAction; fields: Record<string, string>; label: string; button: string; confirm: ConfirmText }) {
  const { state, pending, formProps } = useActionForm(action);
  const id = useId();
  const error = state.fieldErrors?.reason ?? state.fieldErrors?.approvalId;
  return (
    <form {...formProps} className="space-y-2" data-testid="reject-approval-form" noValidate>
      {Object.entries(fields).map(([key, value]) => (
        <input key={key} type="hidden" name={key} value={value} />
      ))}
      <div>
        <label htmlFor={`${id}-reason`} className="block text-xs font-medium text-stone-700">
          {label}
        </label>
        <input
          id={`${id}-reason`}
          name="reason"
          defaultValue={state.values?.reason}
          autoComplete="off"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-reason-error` : undefined}
          className={control}
          data-testid="reject-approval-reason"
        />
        {error ? (
          <p id={`${id}-reason-error`} role="alert" className="mt-1 text-sm text-red-700">
            {error}
          </p>
        ) : null}
      </div>
      <ConfirmSubmit label={button} variant="quiet" pending={pending} confirm={confirm} />
      {state.status === "invalid" ? null : <FormMessage status={state.status} message={state.message} />}
    </form>
  );
}

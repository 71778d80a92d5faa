"use client";

import { useId } from "react";
import { FormMessage } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useActionForm } from "@/components/ui/use-action-form";
import type { FormAction } from "@/lib/actions/core";

const control =
  "mt-1 block min-h-11 w-full rounded-lg border border-stone-300 bg-white px-3 text-base focus:border-forest-600 focus:outline-none focus:ring-2 focus:ring-forest-100 aria-[invalid=true]:border-red-600";

export type RequestApprovalLabels = { offering: string; choose: string; submit: string };

/** Ask approval of one own wallet for one more token (open, or held). */
export function RequestApprovalForm({
  action,
  linkedWalletId,
  offerings,
  labels,
}: {
  action: FormAction;
  linkedWalletId: string;
  offerings: { id: string; name: string }[];
  labels: RequestApprovalLabels;
}) {
  const { state, pending, formProps } = useActionForm(action);
  const id = useId();
  const error = state.fieldErrors?.offeringId;
  return (
    <form {...formProps} className="space-y-2" data-testid="request-approval-form" noValidate>
      <input type="hidden" name="linkedWalletId" value={linkedWalletId} />
      <div>
        <label htmlFor={`${id}-offering`} className="block text-xs font-medium text-stone-700">
          {labels.offering}
        </label>
        <select
          id={`${id}-offering`}
          name="offeringId"
          defaultValue={state.values?.offeringId ?? ""}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-offering-error` : undefined}
          className={control}
          data-testid="request-approval-offering"
        >
          <option value="">{labels.choose}</option>
          {offerings.map((offering) => (
            <option key={offering.id} value={offering.id}>
              {offering.name}
            </option>
          ))}
        </select>
        {error ? (
          <p id={`${id}-offering-error`} role="alert" className="mt-1 text-sm text-red-700">
            {error}
          </p>
        ) : null}
      </div>
      <SubmitButton label={labels.submit} variant="quiet" pending={pending} />
      {state.status === "invalid" ? null : <FormMessage status={state.status} message={state.message} />}
    </form>
  );
}

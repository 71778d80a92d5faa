"use client";

import { useId } from "react";
import { ConfirmSubmit, type ConfirmText } from "@/components/ui/confirm-submit";
import { Field, FormMessage, SelectField, TextField } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useActionForm } from "@/components/ui/use-action-form";
import type { FormAction } from "@/lib/actions/core";

const control =
  "mt-1 block w-full rounded-lg border border-stone-300 bg-white px-3 py-2 text-base focus:border-forest-600 focus:outline-none focus:ring-2 focus:ring-forest-100 aria-[invalid=true]:border-red-600";

/** An irreversible step that needs a reason (cancel a run, a failed transfer): asks to confirm before it submits. */
export function ReasonConfirmForm({
  action,
  fields,
  label,
  reasonLabel,
  confirm,
  variant = "quiet",
  testId,
}: {
  action: FormAction;
  fields: Record<string, string>;
  label: string;
  reasonLabel: string;
  confirm: ConfirmText;
  variant?: "primary" | "quiet";
  testId: string;
}) {
  const { state, pending, formProps } = useActionForm(action);
  const id = useId();
  const error = state.fieldErrors?.reason;
  return (
    <form {...formProps} className="flex flex-wrap items-end gap-2" data-testid={testId}>
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <div className="min-w-48 flex-1">
        <label htmlFor={`${id}-reason`} className="block text-xs font-medium text-stone-700">
          {reasonLabel}
        </label>
        <input
          id={`${id}-reason`}
          name="reason"
          defaultValue={state.values?.reason}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-reason-error` : undefined}
          className={`${control} min-h-11`}
        />
        {error ? (
          <p id={`${id}-reason-error`} role="alert" className="mt-1 text-sm text-red-700">
            {error}
          </p>
        ) : null}
      </div>
      <ConfirmSubmit label={label} variant={variant} pending={pending} confirm={confirm} />
      <FormMessage status={state.status} message={state.message} />
    </form>
  );
}

/** A payment of amounts owed: the transfer date staff choose (the action checks it is a business day), then confirm. */
export function CarryOverForm({
  action,
  offeringId,
  earliestDate,
  m,
}: {
  action: FormAction;
  offeringId: string;
  earliestDate: string;
  m: { paymentDate: string; paymentDateHint: string; prepare: string; confirm: ConfirmText };
}) {
  const { state, pending, formProps } = useActionForm(action);
  const error = state.fieldErrors?.paymentDate;
  return (
    <form {...formProps} className="flex flex-wrap items-end gap-3" data-testid="carry-over-form">
      <input type="hidden" name="offeringId" value={offeringId} />
      <div className="w-52">
        <Field name="paymentDate" label={m.paymentDate} error={error} hint={m.paymentDateHint}>
          <input
            id="paymentDate"
            name="paymentDate"
            type="date"
            min={earliestDate}
            defaultValue={state.values?.paymentDate ?? earliestDate}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "paymentDate-error" : undefined}
            className={`${control} min-h-11`}
          />
        </Field>
      </div>
      <ConfirmSubmit label={m.prepare} pending={pending} confirm={m.confirm} />
      <div className="w-full" data-testid="carry-over-prepare">
        <FormMessage status={state.status} message={state.status === "invalid" ? undefined : state.message} />
      </div>
    </form>
  );
}

type SettingsText = {
  requesterCode: string;
  requesterNameKana: string;
  requesterNameHint: string;
  bankCode: string;
  branchCode: string;
  accountType: string;
  accountTypes: { ordinary: string; current: string };
  accountNumber: string;
  save: string;
};

/** The issuer's paying account and requester code; the action checks the codes against the zengin-code list. */
export function IssuerSettingsForm({ action, offeringId, initial, m }: { action: FormAction; offeringId: string; initial: Record<string, string>; m: SettingsText }) {
  const { state, pending, formProps } = useActionForm(action);
  const errors = state.fieldErrors ?? {};
  const values = { ...initial, ...state.values };
  return (
    <form {...formProps} className="grid gap-4 sm:grid-cols-2" data-testid="issuer-settings-form">
      <input type="hidden" name="offeringId" value={offeringId} />
      <TextField name="requesterCode" label={m.requesterCode} error={errors.requesterCode} defaultValue={values.requesterCode} inputMode="numeric" autoComplete="off" />
      <div>
        <TextField name="requesterNameKana" label={m.requesterNameKana} error={errors.requesterNameKana} defaultValue={values.requesterNameKana} autoComplete="off" />
        <p className="mt-1 text-xs text-stone-500">{m.requesterNameHint}</p>
      </div>
      <TextField name="bankCode" label={m.bankCode} error={errors.bankCode} defaultValue={values.bankCode} inputMode="numeric" autoComplete="off" />
      <TextField name="branchCode" label={m.branchCode} error={errors.branchCode} defaultValue={values.branchCode} inputMode="numeric" autoComplete="off" />
      <SelectField
        name="accountType"
        label={m.accountType}
        error={errors.accountType}
        defaultValue={values.accountType ?? "ordinary"}
        options={[
          { value: "ordinary", label: m.accountTypes.ordinary },
          { value: "current", label: m.accountTypes.current },
        ]}
      />
      <TextField name="accountNumber" label={m.accountNumber} error={errors.accountNumber} defaultValue={values.accountNumber} inputMode="numeric" autoComplete="off" />
      <div className="space-y-2 sm:col-span-2">
        <SubmitButton label={m.save} pending={pending} />
        <FormMessage status={state.status} message={state.message} />
      </div>
    </form>
  );
}

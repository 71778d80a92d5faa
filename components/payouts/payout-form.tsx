"use client";

import { FormMessage, RadioGroup, TextField } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useActionForm } from "@/components/ui/use-action-form";
import type { FormAction } from "@/lib/actions/core";

type Labels = {
  accountType: string;
  accountNumber: string;
  accountNumberHint: string;
  holderNameKana: string;
  holderNameHint: string;
  save: string;
};

/** The account details, once bank and branch are chosen (they travel as hidden fields). */
export function PayoutAccountForm({
  action,
  bankCode,
  branchCode,
  holderName,
  accountTypes,
  labels,
}: {
  action: FormAction;
  bankCode: string;
  branchCode: string;
  holderName: string;
  accountTypes: { value: string; label: string }[];
  labels: Labels;
}) {
  const { state, pending, formProps } = useActionForm(action);
  const values = state.status === "ok" ? undefined : state.values;
  const codeError = state.fieldErrors?.bankCode ?? state.fieldErrors?.branchCode;
  return (
    <form {...formProps} className="space-y-4" noValidate data-testid="payout-form">
      <FormMessage status={state.status} message={codeError ?? state.message} />
      <input type="hidden" name="bankCode" value={bankCode} />
      <input type="hidden" name="branchCode" value={branchCode} />
      <RadioGroup name="accountType" legend={labels.accountType} error={state.fieldErrors?.accountType} defaultValue={values?.accountType ?? "ordinary"} options={accountTypes} />
      <div>
        <TextField name="accountNumber" label={labels.accountNumber} inputMode="numeric" autoComplete="off" defaultValue={values?.accountNumber} error={state.fieldErrors?.accountNumber} />
        <p className="mt-1 text-xs text-stone-500">{labels.accountNumberHint}</p>
      </div>
      <div>
        <TextField name="holderNameKana" label={labels.holderNameKana} defaultValue={values?.holderNameKana ?? holderName} error={state.fieldErrors?.holderNameKana} />
        <p className="mt-1 text-xs text-stone-500">{labels.holderNameHint}</p>
      </div>
      <SubmitButton pending={pending} label={labels.save} />
    </form>
  );
}

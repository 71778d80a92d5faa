"use client";

import { FormMessage, TextField } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useActionForm } from "@/components/ui/use-action-form";
import type { FormAction } from "@/lib/actions/core";

type LimitFormText = { heading: string; lead: string; label: string; save: string };

/** Staff: the offering's daily withdrawal limit per investor (0 turns withdrawals off). */
export function WithdrawalLimitForm({ action, offeringId, limit, m }: { action: FormAction; offeringId: string; limit: number; m: LimitFormText }) {
  const { state, pending, formProps } = useActionForm(action);
  return (
    <form {...formProps} className="space-y-3" noValidate data-testid="withdrawal-limit-form">
      <h2 className="font-bold">{m.heading}</h2>
      <p className="text-sm text-stone-600">{m.lead}</p>
      <input type="hidden" name="offeringId" value={offeringId} />
      <div className="max-w-xs">
        <TextField
          name="withdrawalDailyLimitUnits"
          label={m.label}
          inputMode="numeric"
          defaultValue={state.values?.withdrawalDailyLimitUnits ?? String(limit)}
          error={state.fieldErrors?.withdrawalDailyLimitUnits}
        />
      </div>
      <SubmitButton label={m.save} pending={pending} />
      <FormMessage status={state.status} message={state.message} />
    </form>
  );
}

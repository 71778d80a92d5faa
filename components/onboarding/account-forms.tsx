"use client";

import { useActionForm } from "@/components/ui/use-action-form";
import { FormMessage, TextField } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import type { ActionState } from "@/lib/actions/core";

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;

export function EmailChangeForm({ action, labels }: { action: Action; labels: { newEmail: string; send: string } }) {
  const { state, pending, formProps } = useActionForm(action);
  return (
    <form {...formProps} className="space-y-3" noValidate>
      <FormMessage status={state.status === "invalid" ? "idle" : state.status} message={state.message} />
      <TextField name="newEmail" type="email" label={labels.newEmail} defaultValue={state.values?.newEmail} error={state.fieldErrors?.newEmail} autoComplete="email" />
      <SubmitButton pending={pending} label={labels.send} variant="primary" />
    </form>
  );
}

export function TokenConfirmForm({ action, token, label }: { action: Action; token: string; label: string }) {
  const { state, pending, formProps } = useActionForm(action);
  return (
    <form {...formProps} className="space-y-3">
      <FormMessage status={state.status === "invalid" ? "error" : state.status} message={state.message} />
      <input type="hidden" name="token" value={token} />
      <SubmitButton pending={pending} label={label} className="w-full" />
    </form>
  );
}

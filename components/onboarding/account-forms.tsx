"use client";

import Link from "next/link";
import { useActionForm } from "@/components/ui/use-action-form";
import { FormMessage, TextField } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import type { FormAction } from "@/lib/actions/core";

export function EmailChangeForm({ action, labels }: { action: FormAction; labels: { newEmail: string; send: string; signInAgain: string } }) {
  const { state, pending, formProps } = useActionForm(action);
  // The action answers with this path when the sign-in is too old to change the address.
  const signInAgain = (state.data as { signInAgain?: string } | undefined)?.signInAgain;
  return (
    <form {...formProps} className="space-y-3" noValidate>
      <FormMessage status={state.status === "invalid" ? "idle" : state.status} message={state.message} />
      {signInAgain ? (
        <Link href={signInAgain} className="inline-flex min-h-11 items-center font-semibold text-forest-700 hover:underline">
          {labels.signInAgain} →
        </Link>
      ) : null}
      <TextField name="newEmail" type="email" label={labels.newEmail} defaultValue={state.values?.newEmail} error={state.fieldErrors?.newEmail} autoComplete="email" />
      <SubmitButton pending={pending} label={labels.send} variant="primary" />
    </form>
  );
}

export function TokenConfirmForm({ action, token, label }: { action: FormAction; token: string; label: string }) {
  const { state, pending, formProps } = useActionForm(action);
  return (
    <form {...formProps} className="space-y-3">
      <FormMessage status={state.status === "invalid" ? "error" : state.status} message={state.message} />
      <input type="hidden" name="token" value={token} />
      <SubmitButton pending={pending} label={label} className="w-full" />
    </form>
  );
}

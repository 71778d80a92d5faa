"use client";

import { useActionForm } from "@/components/ui/use-action-form";
import { SubmitButton } from "@/components/ui/submit-button";
import type { FormAction } from "@/lib/actions/core";

type Labels = { email: string; placeholder: string; send: string; sending: string };

export function SignInForm({ action, callbackUrl, labels }: { action: FormAction; callbackUrl?: string; labels: Labels }) {
  const { state, pending, formProps } = useActionForm(action);
  const error = state.fieldErrors?.email;
  return (
    <form {...formProps} className="space-y-4" noValidate>
      {callbackUrl ? <input type="hidden" name="callbackUrl" value={callbackUrl} /> : null}
      <div>
        <label htmlFor="email" className="block text-sm font-medium text-stone-800">
          {labels.email}
        </label>
        <input
          id="email"
          name="email"
          type="email"
          inputMode="email"
          autoComplete="email"
          required
          placeholder={labels.placeholder}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "email-error" : undefined}
          className="mt-1 block min-h-11 w-full rounded-lg border border-stone-300 px-3 text-base focus:border-forest-600 focus:outline-none focus:ring-2 focus:ring-forest-100"
        />
        {error ? (
          <p id="email-error" role="alert" className="mt-1 text-sm text-red-700">
            {error}
          </p>
        ) : null}
      </div>
      {state.status === "error" && state.message ? (
        <p role="alert" className="text-sm text-red-700">
          {state.message}
        </p>
      ) : null}
      <SubmitButton pending={pending} label={labels.send} pendingLabel={labels.sending} className="w-full" />
    </form>
  );
}

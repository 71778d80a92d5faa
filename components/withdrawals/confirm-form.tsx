"use client";

import Link from "next/link";
import { FormMessage } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useActionForm } from "@/components/ui/use-action-form";
import type { FormAction } from "@/lib/actions/core";

type ConfirmText = { submit: string; pending: string; signInAgain: string };

/**
 * The confirm step's submit: the choice and its request key as hidden fields (the server checks
 * everything again). A sign-in that went stale meanwhile comes back as a link to sign in again.
 */
export function WithdrawConfirmForm({ action, fields, m }: { action: FormAction; fields: Record<string, string>; m: ConfirmText }) {
  const { state, pending, formProps } = useActionForm(action);
  const again = (state.data as { signInAgain?: string } | undefined)?.signInAgain;
  return (
    <form {...formProps} className="space-y-3" noValidate data-testid="withdraw-confirm-form">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <SubmitButton label={m.submit} pendingLabel={m.pending} pending={pending} />
      <div data-testid="withdraw-outcome">
        <FormMessage status={state.status} message={state.message} />
      </div>
      {again ? (
        <Link href={again} className="inline-flex min-h-11 items-center text-sm font-semibold text-forest-700 hover:underline" data-testid="withdraw-sign-in-again">
          {m.signInAgain} →
        </Link>
      ) : null}
    </form>
  );
}

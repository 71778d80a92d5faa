"use client";

import { FormMessage, TextField } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useResetOnOk } from "@/components/staff/use-reset-on-ok";
import { useActionForm } from "@/components/ui/use-action-form";
import type { FormAction } from "@/lib/actions/core";
import type { Messages } from "@/lib/i18n/catalog";

/** Adds an existing account as staff of one issuer (admins only). */
export function GrantStaffForm({ action, issuerId, m }: { action: FormAction; issuerId: string; m: Messages["issuers"]["admin"]["staff"] }) {
  const { state, pending, formProps } = useActionForm(action);
  const ref = useResetOnOk(state);
  return (
    <form ref={ref} {...formProps} className="space-y-3" noValidate>
      <input type="hidden" name="issuerId" value={issuerId} />
      <FormMessage status={state.status} message={state.status === "ok" ? state.message : undefined} />
      <TextField
        name="email"
        type="email"
        label={m.email}
        defaultValue={state.status === "ok" ? "" : (state.values?.email ?? "")}
        error={state.fieldErrors?.email}
        autoComplete="off"
        inputMode="email"
      />
      <p className="text-xs text-stone-500">{m.emailHint}</p>
      {state.status === "error" && state.message ? (
        <p role="alert" className="text-sm text-red-700">
          {state.message}
        </p>
      ) : null}
      <SubmitButton pending={pending} label={m.grant} />
    </form>
  );
}

"use client";

import { FormMessage, TextField } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useActionForm } from "@/components/ui/use-action-form";
import type { FormAction } from "@/lib/actions/core";
import type { Messages } from "@/lib/i18n/catalog";
import { FileField } from "./form-parts";
import { useResetOnOk } from "./use-reset-on-ok";

export function SpendingForm({ action, projectId, today, m }: { action: FormAction; projectId: string; today: string; m: Messages["projectsAdmin"] }) {
  const { state, pending, formProps } = useActionForm(action);
  const ref = useResetOnOk(state);
  const ok = state.status === "ok";
  const value = (name: string) => (ok ? undefined : state.values?.[name]);
  const error = (name: string) => state.fieldErrors?.[name];
  const s = m.spending;
  return (
    <form ref={ref} {...formProps} className="space-y-4" noValidate>
      <FormMessage status={state.status} message={state.message} />
      <input type="hidden" name="projectId" value={projectId} />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField name="spentOn" type="date" label={s.date} defaultValue={value("spentOn") ?? today} error={error("spentOn")} />
        <TextField name="amountYen" label={s.amount} defaultValue={value("amountYen")} error={error("amountYen")} inputMode="numeric" />
        <TextField name="descriptionJa" label={s.descriptionJa} defaultValue={value("descriptionJa")} error={error("descriptionJa")} />
        <TextField name="descriptionEn" label={s.descriptionEn} defaultValue={value("descriptionEn")} error={error("descriptionEn")} />
      </div>
      <FileField name="receipt" label={s.receipt} error={error("receipt")} hint={m.fields.imageHint} />
      <SubmitButton pending={pending} label={s.add} pendingLabel={m.saving} className="w-full sm:w-auto" />
    </form>
  );
}

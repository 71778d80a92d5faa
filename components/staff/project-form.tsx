"use client";

import { FormMessage, SelectField, TextField } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useActionForm } from "@/components/ui/use-action-form";
import type { FormAction } from "@/lib/actions/core";
import type { Messages } from "@/lib/i18n/catalog";
import { FileField, TextArea } from "./form-parts";
import { useResetOnOk } from "./use-reset-on-ok";

export function ProjectForm({
  action,
  initial,
  offerings,
  statuses,
  slugLocked,
  m,
}: {
  action: FormAction;
  initial: Record<string, string>;
  offerings: { value: string; label: string }[];
  statuses: { value: string; label: string }[];
  slugLocked: boolean;
  m: Messages["projectsAdmin"];
}) {
  const { state, pending, formProps } = useActionForm(action);
  const ref = useResetOnOk(state);
  const value = (name: string) => state.values?.[name] ?? initial[name] ?? "";
  const error = (name: string) => state.fieldErrors?.[name];
  const f = m.fields;
  return (
    <form ref={ref} {...formProps} className="space-y-4" noValidate>
      <FormMessage status={state.status} message={state.message} />
      {initial.projectId ? <input type="hidden" name="projectId" value={initial.projectId} /> : null}
      {slugLocked ? (
        <input type="hidden" name="slug" value={initial.slug} />
      ) : (
        <div>
          <TextField name="slug" label={f.slug} defaultValue={value("slug")} error={error("slug")} placeholder="forest-thinning" />
          <p className="mt-1 text-xs text-stone-500">{f.slugHint}</p>
        </div>
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField name="titleJa" label={f.titleJa} defaultValue={value("titleJa")} error={error("titleJa")} />
        <TextField name="titleEn" label={f.titleEn} defaultValue={value("titleEn")} error={error("titleEn")} />
        <TextArea name="summaryJa" label={f.summaryJa} defaultValue={value("summaryJa")} error={error("summaryJa")} rows={2} />
        <TextArea name="summaryEn" label={f.summaryEn} defaultValue={value("summaryEn")} error={error("summaryEn")} rows={2} />
      </div>
      <TextArea name="bodyJa" label={f.bodyJa} defaultValue={value("bodyJa")} error={error("bodyJa")} rows={8} hint={f.markdownHint} />
      <TextArea name="bodyEn" label={f.bodyEn} defaultValue={value("bodyEn")} error={error("bodyEn")} rows={8} />
      <div className="grid gap-4 sm:grid-cols-3">
        <TextField name="budgetYen" label={f.budgetYen} defaultValue={value("budgetYen")} error={error("budgetYen")} inputMode="numeric" />
        <SelectField name="status" label={f.status} defaultValue={value("status") || "planned"} error={error("status")} options={statuses} />
        <SelectField name="offeringId" label={f.offering} defaultValue={value("offeringId")} error={error("offeringId")} options={offerings} placeholder={f.chooseOffering} />
      </div>
      <FileField name="cover" label={f.cover} error={error("cover")} hint={f.imageHint} />
      <SubmitButton pending={pending} label={m.save} pendingLabel={m.saving} className="w-full sm:w-auto" />
    </form>
  );
}

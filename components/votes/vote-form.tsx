"use client";

import { useState } from "react";
import { Field, FormMessage, RadioGroup, TextField } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useActionForm } from "@/components/ui/use-action-form";
import type { FormAction } from "@/lib/actions/core";

const control =
  "mt-1 block min-h-11 w-full rounded-lg border border-stone-300 bg-white px-3 text-base focus:border-forest-600 focus:outline-none focus:ring-2 focus:ring-forest-100 aria-[invalid=true]:border-red-600";

export type VoteFormText = {
  heading: string;
  questionJa: string;
  questionEn: string;
  descriptionJa: string;
  descriptionEn: string;
  recordDate: string;
  recordDateHint: string;
  endsAt: string;
  endsAtHint: string;
  counting: string;
  options: string;
  optionsHint: string;
  /** With `{number}`. */
  option: string;
  labelJa: string;
  labelEn: string;
  project: string;
  noProject: string;
  addOption: string;
  submit: string;
};

function TextArea({ name, label, error, defaultValue }: { name: string; label: string; error?: string; defaultValue?: string }) {
  return (
    <Field name={name} label={label} error={error}>
      <textarea
        id={name}
        name={name}
        rows={3}
        defaultValue={defaultValue}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${name}-error` : undefined}
        className={`${control} py-2`}
      />
    </Field>
  );
}

/** Staff open a vote: the question, the record date and end, how votes count, and 2 to `maxOptions` options (each may name a project). */
export function VoteForm({
  action,
  offeringId,
  projects,
  countings,
  maxOptions,
  initial,
  m,
}: {
  action: FormAction;
  offeringId: string;
  projects: { id: string; label: string }[];
  countings: { value: string; label: string }[];
  maxOptions: number;
  initial: { recordDate: string; endsAt: string };
  m: VoteFormText;
}) {
  const { state, pending, formProps } = useActionForm(action);
  const errors = state.fieldErrors ?? {};
  const values: Record<string, string | undefined> = { ...initial, counting: "per_holder", ...state.values };
  const filledRows = Object.keys(values)
    .filter((key) => /^option\.\d+\.label(Ja|En)$/.test(key) && values[key])
    .map((key) => Number(key.split(".")[1]) + 1);
  const [rows, setRows] = useState(Math.min(maxOptions, Math.max(3, ...filledRows)));
  return (
    <form {...formProps} className="space-y-4" data-testid="vote-form">
      <h2 className="font-bold">{m.heading}</h2>
      <input type="hidden" name="offeringId" value={offeringId} />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField name="questionJa" label={m.questionJa} error={errors.questionJa} defaultValue={values.questionJa} />
        <TextField name="questionEn" label={m.questionEn} error={errors.questionEn} defaultValue={values.questionEn} />
        <TextArea name="descriptionJa" label={m.descriptionJa} error={errors.descriptionJa} defaultValue={values.descriptionJa} />
        <TextArea name="descriptionEn" label={m.descriptionEn} error={errors.descriptionEn} defaultValue={values.descriptionEn} />
        <Field name="recordDate" label={m.recordDate} error={errors.recordDate} hint={m.recordDateHint}>
          <input id="recordDate" name="recordDate" type="date" defaultValue={values.recordDate} aria-invalid={errors.recordDate ? true : undefined} className={control} />
        </Field>
        <Field name="endsAt" label={m.endsAt} error={errors.endsAt} hint={m.endsAtHint}>
          <input id="endsAt" name="endsAt" type="datetime-local" defaultValue={values.endsAt} aria-invalid={errors.endsAt ? true : undefined} className={control} />
        </Field>
      </div>
      <RadioGroup name="counting" legend={m.counting} error={errors.counting} defaultValue={values.counting} options={countings} />
      <fieldset className="space-y-3" aria-describedby={errors.options ? "options-error" : undefined}>
        <legend className="text-sm font-medium text-stone-800">{m.options}</legend>
        <p className="text-xs text-stone-500">{m.optionsHint}</p>
        {errors.options ? (
          <p id="options-error" role="alert" className="text-sm text-red-700">
            {errors.options}
          </p>
        ) : null}
        {Array.from({ length: rows }, (_, row) => `option.${row}`).map((prefix, row) => {
          const name = (field: string) => `${prefix}.${field}`;
          return (
            <div key={prefix} className="grid gap-2 rounded-lg border border-stone-200 p-3 sm:grid-cols-3" data-testid="vote-form-option">
              <p className="text-sm font-semibold sm:col-span-3">{m.option.replace("{number}", String(row + 1))}</p>
              <TextField name={name("labelJa")} label={m.labelJa} error={errors[name("labelJa")]} defaultValue={values[name("labelJa")]} />
              <TextField name={name("labelEn")} label={m.labelEn} error={errors[name("labelEn")]} defaultValue={values[name("labelEn")]} />
              <Field name={name("projectId")} label={m.project} error={errors[name("projectId")]}>
                <select id={name("projectId")} name={name("projectId")} defaultValue={values[name("projectId")] ?? ""} className={control}>
                  <option value="">{m.noProject}</option>
                  {projects.map((project) => (
                    <option key={project.id} value={project.id}>
                      {project.label}
                    </option>
                  ))}
                </select>
              </Field>
            </div>
          );
        })}
        {rows < maxOptions ? (
          <button
            type="button"
            onClick={() => setRows(rows + 1)}
            className="inline-flex min-h-11 items-center text-sm font-semibold text-forest-700 hover:underline"
            data-testid="vote-form-add-option"
          >
            + {m.addOption}
          </button>
        ) : null}
      </fieldset>
      <div className="space-y-2">
        <SubmitButton label={m.submit} pending={pending} />
        <FormMessage status={state.status} message={state.message} />
      </div>
    </form>
  );
}

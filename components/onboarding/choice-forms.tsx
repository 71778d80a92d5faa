"use client";

import { useActionForm } from "@/components/ui/use-action-form";
import { FormMessage, RadioGroup } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import type { FormAction } from "@/lib/actions/core";
import type { Messages } from "@/lib/i18n/catalog";

const QUESTIONS = ["experience", "incomeBand", "assetBand", "purpose"] as const;

export function SuitabilityForm({ action, initial, m }: { action: FormAction; initial: Record<string, string>; m: Messages["onboarding"] }) {
  const { state, pending, formProps } = useActionForm(action);
  const s = m.suitability;
  return (
    <form {...formProps} className="space-y-5" noValidate>
      {state.status === "error" && state.message ? (
        <div role="alert" className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900">
          <p className="font-semibold">{s.unsuitableTitle}</p>
          <p className="mt-1">{state.message}</p>
          <p className="mt-1">{s.answerAgain}</p>
        </div>
      ) : (
        <FormMessage status={state.status} message={state.message} />
      )}
      {QUESTIONS.map((question) => (
        <RadioGroup
          key={question}
          name={question}
          legend={s[question]}
          defaultValue={state.values?.[question] ?? initial[question]}
          error={state.fieldErrors?.[question]}
          options={Object.entries(s.options[question]).map(([value, label]) => ({ value, label }))}
        />
      ))}
      <SubmitButton pending={pending} label={m.save} pendingLabel={m.saving} className="w-full sm:w-auto" />
    </form>
  );
}

export function AcceptDocumentsForm({ action, documentIds, m }: { action: FormAction; documentIds: string[]; m: Messages["onboarding"] }) {
  const { state, pending, formProps } = useActionForm(action);
  const error = state.fieldErrors?.documentIds;
  return (
    <form {...formProps} className="space-y-4">
      <FormMessage status={state.status === "invalid" ? "idle" : state.status} message={state.message} />
      <label className="flex min-h-11 items-start gap-3 rounded-lg border border-stone-300 bg-white p-3 text-sm">
        {/* One box accepts exactly the versions shown; the server checks they are still current. */}
        <input type="checkbox" name="documentIds" value={documentIds.join(",")} className="mt-0.5 size-5 accent-forest-700" data-accept />
        <span>{m.disclosures.accept}</span>
      </label>
      {error ? (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
      <SubmitButton pending={pending} label={m.save} pendingLabel={m.saving} className="w-full sm:w-auto" />
    </form>
  );
}

export function IdentityUploadForm({ action, m }: { action: FormAction; m: Messages["onboarding"] }) {
  const { state, pending, formProps } = useActionForm(action);
  const error = state.fieldErrors?.document;
  return (
    <form {...formProps} className="space-y-4">
      <FormMessage status={state.status === "invalid" ? "idle" : state.status} message={state.message} />
      <div>
        <label htmlFor="document" className="block text-sm font-medium text-stone-800">
          {m.identity.file}
        </label>
        <input
          id="document"
          name="document"
          type="file"
          accept="image/jpeg,image/png,application/pdf"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "document-error" : undefined}
          className="mt-1 block w-full rounded-lg border border-stone-300 bg-white p-2 text-sm file:mr-3 file:rounded-md file:border-0 file:bg-forest-50 file:px-3 file:py-2 file:text-forest-800"
        />
        {error ? (
          <p id="document-error" role="alert" className="mt-1 text-sm text-red-700">
            {error}
          </p>
        ) : null}
      </div>
      <SubmitButton pending={pending} label={m.identity.upload} pendingLabel={m.identity.uploading} className="w-full sm:w-auto" />
    </form>
  );
}

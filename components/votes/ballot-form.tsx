"use client";

import { FormMessage } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useActionForm } from "@/components/ui/use-action-form";
import type { FormAction } from "@/lib/actions/core";

/** The holder's ballot: one radio per option (their current choice checked), sent again to change it. */
export function BallotForm({
  action,
  voteId,
  options,
  currentOptionId,
  m,
}: {
  action: FormAction;
  voteId: string;
  options: { id: string; label: string }[];
  currentOptionId: string | null;
  m: { legend: string; submit: string };
}) {
  const { state, pending, formProps } = useActionForm(action);
  const error = state.fieldErrors?.optionId;
  return (
    <form {...formProps} className="space-y-3" data-testid="ballot-form">
      <input type="hidden" name="voteId" value={voteId} />
      <fieldset aria-invalid={error ? true : undefined} aria-describedby={error ? "optionId-error" : undefined}>
        <legend className="text-sm font-medium text-stone-800">{m.legend}</legend>
        <div className="mt-2 grid gap-2">
          {options.map((option) => (
            <label
              key={option.id}
              className="flex min-h-11 cursor-pointer items-center gap-3 rounded-lg border border-stone-300 bg-white px-3 py-2 text-sm break-words has-[:checked]:border-forest-600 has-[:checked]:bg-forest-50"
              data-testid="ballot-option"
            >
              <input type="radio" name="optionId" value={option.id} defaultChecked={currentOptionId === option.id} className="size-5 shrink-0 accent-forest-700" />
              <span className="min-w-0">{option.label}</span>
            </label>
          ))}
        </div>
        {error ? (
          <p id="optionId-error" role="alert" className="mt-1 text-sm text-red-700">
            {error}
          </p>
        ) : null}
      </fieldset>
      <SubmitButton label={m.submit} pending={pending} />
      <div data-testid="ballot-message">
        <FormMessage status={state.status} message={state.status === "invalid" ? undefined : state.message} />
      </div>
    </form>
  );
}

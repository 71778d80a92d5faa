"use client";

import { useActionForm } from "@/components/ui/use-action-form";
import { FormMessage, RadioGroup } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import type { FormAction } from "@/lib/actions/core";
import type { Messages } from "@/lib/i18n/catalog";

type Labels = Pick<Messages["reviews"], "approve" | "reject" | "reason">;

/** A question answered with the approval (whether the document's address matches the profile). */
export type ApprovalChoice = { name: string; legend: string; options: { value: string; label: string }[]; defaultValue?: string; hidden?: Record<string, string> };

/** Approve (answering `choice` if given), or reject with a reason; `idField` names the hidden id (a document or a change request). */
export function ReviewDecisionForms({
  action,
  targetId,
  idField = "documentId",
  m,
  choice,
}: {
  action: FormAction;
  targetId: string;
  idField?: "documentId" | "requestId";
  m: Labels;
  choice?: ApprovalChoice;
}) {
  const { state, pending, formProps } = useActionForm(action);
  if (state.status === "ok") return <FormMessage status="ok" message={state.message} />;
  const reasonError = state.fieldErrors?.reason;
  return (
    <div className="space-y-4">
      <FormMessage status={state.status === "invalid" ? "idle" : state.status} message={state.message} />
      <form {...formProps}>
        <input type="hidden" name={idField} value={targetId} />
        <input type="hidden" name="decision" value="approve" />
        {Object.entries(choice?.hidden ?? {}).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        {choice ? (
          <div className="mb-3">
            <RadioGroup name={choice.name} legend={choice.legend} options={choice.options} defaultValue={state.values?.[choice.name] ?? choice.defaultValue} error={state.fieldErrors?.[choice.name]} />
          </div>
        ) : null}
        <SubmitButton pending={pending} label={m.approve} className="w-full sm:w-auto" />
      </form>
      <form {...formProps} className="space-y-2 border-t border-stone-200 pt-4">
        <input type="hidden" name={idField} value={targetId} />
        <input type="hidden" name="decision" value="reject" />
        <label htmlFor="reason" className="block text-sm font-medium">
          {m.reason}
        </label>
        <textarea
          id="reason"
          name="reason"
          rows={3}
          defaultValue={state.values?.reason}
          aria-invalid={reasonError ? true : undefined}
          aria-describedby={reasonError ? "reason-error" : undefined}
          className="block w-full rounded-lg border border-stone-300 p-2 text-base"
        />
        {reasonError ? (
          <p id="reason-error" role="alert" className="text-sm text-red-700">
            {reasonError}
          </p>
        ) : null}
        <button type="submit" className="inline-flex min-h-11 items-center rounded-lg border border-red-300 px-4 text-sm font-semibold text-red-800 hover:bg-red-50">
          {m.reject}
        </button>
      </form>
    </div>
  );
}

"use client";

import { useActionState } from "react";
import type { FormAction } from "@/lib/actions/core";
import { SubmitButton } from "@/components/ui/submit-button";

/** Dismissing a payment exception needs a note saying why nothing is paid back. */
export function DismissForm({ action, exceptionId, label, noteLabel }: { action: FormAction; exceptionId: string; label: string; noteLabel: string }) {
  const [state, formAction] = useActionState(action, { status: "idle" });
  const error = state.status === "invalid" ? (state.fieldErrors?.note ?? state.message) : state.status === "error" ? state.message : undefined;
  return (
    <form action={formAction} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="exceptionId" value={exceptionId} />
      <label className="sr-only" htmlFor={`note-${exceptionId}`}>
        {noteLabel}
      </label>
      <input id={`note-${exceptionId}`} name="note" placeholder={noteLabel} className="min-h-11 rounded-lg border border-stone-300 px-2 text-sm" aria-invalid={error ? true : undefined} />
      <SubmitButton label={label} variant="quiet" />
      {error ? (
        <span role="alert" className="text-xs text-red-700">
          {error}
        </span>
      ) : null}
    </form>
  );
}

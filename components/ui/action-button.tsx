"use client";

import { useActionState } from "react";
import type { FormAction } from "@/lib/actions/core";
import { ConfirmSubmit, type ConfirmText } from "./confirm-submit";
import { SubmitButton } from "./submit-button";

/**
 * A one-button form bound to a server action, showing the action's error if it has one. Given
 * `confirm` (for irreversible or costly actions), the click first asks inline.
 */
export function ActionButton({
  action,
  label,
  fields = {},
  variant = "quiet",
  ariaLabel,
  confirm,
}: {
  action: FormAction;
  label: string;
  fields?: Record<string, string>;
  variant?: "primary" | "quiet";
  ariaLabel?: string;
  confirm?: ConfirmText;
}) {
  const [state, formAction] = useActionState(action, { status: "idle" });
  return (
    <form action={formAction} aria-label={ariaLabel} className="inline-flex items-center gap-2">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {confirm ? <ConfirmSubmit label={label} variant={variant} confirm={confirm} /> : <SubmitButton label={label} variant={variant} />}
      {state.status === "error" && state.message ? (
        <span role="alert" className="text-xs text-red-700">
          {state.message}
        </span>
      ) : null}
    </form>
  );
}

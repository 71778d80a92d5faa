"use client";

import { useActionState } from "react";
import { ConfirmSubmit, type ConfirmText } from "@/components/ui/confirm-submit";
import { SubmitButton } from "@/components/ui/submit-button";
import type { FormAction } from "@/lib/actions/core";

/** A one-button form (publish, withdraw, delete) that shows the action's outcome next to it; `confirm` asks first. */
export function StatusButton({
  action,
  label,
  fields,
  variant = "primary",
  testId,
  confirm,
}: {
  action: FormAction;
  label: string;
  fields: Record<string, string>;
  variant?: "primary" | "quiet";
  testId?: string;
  confirm?: ConfirmText;
}) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  return (
    <form action={formAction} className="flex flex-wrap items-center gap-3">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {confirm ? <ConfirmSubmit label={label} variant={variant} pending={pending} confirm={confirm} /> : <SubmitButton label={label} variant={variant} pending={pending} />}
      {state.message ? (
        <span role={state.status === "ok" ? "status" : "alert"} className={`text-sm ${state.status === "ok" ? "text-forest-800" : "text-red-700"}`} data-testid={testId}>
          {state.message}
        </span>
      ) : null}
    </form>
  );
}

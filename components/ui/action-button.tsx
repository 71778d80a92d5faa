"use client";

import { useActionState } from "react";
import type { FormAction } from "@/lib/actions/core";
import { SubmitButton } from "./submit-button";

/** A one-button form bound to a server action, showing the action's error if it has one. */
export function ActionButton({
  action,
  label,
  fields = {},
  variant = "quiet",
  ariaLabel,
}: {
  action: FormAction;
  label: string;
  fields?: Record<string, string>;
  variant?: "primary" | "quiet";
  ariaLabel?: string;
}) {
  const [state, formAction] = useActionState(action, { status: "idle" });
  return (
    <form action={formAction} aria-label={ariaLabel} className="inline-flex items-center gap-2">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <SubmitButton label={label} variant={variant} />
      {state.status === "error" && state.message ? (
        <span role="alert" className="text-xs text-red-700">
          {state.message}
        </span>
      ) : null}
    </form>
  );
}

"use client";

import { useFormStatus } from "react-dom";
import { buttonClass, type ButtonVariant } from "./button-styles";

export function SubmitButton({
  label,
  pendingLabel,
  variant = "primary",
  className = "",
  pending: pendingOverride,
}: {
  label: string;
  pendingLabel?: string;
  variant?: ButtonVariant;
  className?: string;
  /** For forms submitted through useActionForm, where useFormStatus does not see the submission. */
  pending?: boolean;
}) {
  const status = useFormStatus();
  const pending = pendingOverride ?? status.pending;
  return (
    <button type="submit" disabled={pending} aria-disabled={pending} className={buttonClass(variant, className)}>
      {pending && pendingLabel ? pendingLabel : label}
    </button>
  );
}

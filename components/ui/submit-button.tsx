"use client";

import { useFormStatus } from "react-dom";

export function SubmitButton({
  label,
  pendingLabel,
  variant = "primary",
  className = "",
  pending: pendingOverride,
}: {
  label: string;
  pendingLabel?: string;
  variant?: "primary" | "quiet";
  className?: string;
  /** For forms submitted through useActionForm, where useFormStatus does not see the submission. */
  pending?: boolean;
}) {
  const status = useFormStatus();
  const pending = pendingOverride ?? status.pending;
  const look =
    variant === "primary"
      ? "bg-forest-700 text-white hover:bg-forest-800 disabled:bg-stone-400"
      : "text-stone-700 underline-offset-4 hover:underline";
  return (
    <button
      type="submit"
      disabled={pending}
      aria-disabled={pending}
      className={`inline-flex min-h-11 items-center justify-center rounded-lg px-4 text-sm font-semibold transition ${look} ${className}`}
    >
      {pending && pendingLabel ? pendingLabel : label}
    </button>
  );
}

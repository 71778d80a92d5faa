"use client";

import { useFormStatus } from "react-dom";

export function SubmitButton({
  label,
  pendingLabel,
  variant = "primary",
  className = "",
}: {
  label: string;
  pendingLabel?: string;
  variant?: "primary" | "quiet";
  className?: string;
}) {
  const { pending } = useFormStatus();
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

"use client";

import { useActionState, useEffect, useRef } from "react";
import { buttonClass } from "@/components/ui/button-styles";
import type { FormAction } from "@/lib/actions/core";

export type CoolingOffCancelText = { cancel: string; heading: string; points: string[]; yes: string; back: string };

/**
 * The cancel button and its confirmation step: what happens, then the one button that cancels.
 * A <details> opens the step, so it works without JavaScript too.
 */
export function CoolingOffCancel({ action, orderId, text }: { action: FormAction; orderId: string; text: CoolingOffCancelText }) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  const headingRef = useRef<HTMLHeadingElement>(null);
  const summaryRef = useRef<HTMLElement>(null);
  const doneRef = useRef<HTMLParagraphElement>(null);
  // The step that had focus is replaced by the outcome: focus follows, so a keyboard user is not sent back to the top.
  useEffect(() => {
    if (state.status === "ok") doneRef.current?.focus();
  }, [state.status]);
  if (state.status === "ok") {
    return (
      <p ref={doneRef} tabIndex={-1} role="status" className="mt-3 rounded-lg bg-forest-50 p-3 text-sm" data-testid="cooling-off-status">
        {state.message}
      </p>
    );
  }
  return (
    <details
      className="group mt-3"
      onToggle={(event) => {
        // The summary hides while open: focus moves to the step, and back to the button when the step closes.
        const details = event.currentTarget;
        if (details.open) headingRef.current?.focus();
        else if (details.contains(document.activeElement) || document.activeElement === document.body) summaryRef.current?.focus();
      }}
    >
      <summary ref={summaryRef} className={`${buttonClass("primary")} cursor-pointer list-none group-open:hidden`} data-testid="cooling-off-cancel">
        {text.cancel}
      </summary>
      <form action={formAction} className="space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950">
        <input type="hidden" name="orderId" value={orderId} />
        <h3 ref={headingRef} tabIndex={-1} className="font-bold focus:outline-none">
          {text.heading}
        </h3>
        <ul className="list-disc space-y-1 pl-5">
          {text.points.map((point) => (
            <li key={point}>{point}</li>
          ))}
        </ul>
        <div className="flex flex-wrap items-center gap-2">
          <button type="submit" disabled={pending} aria-disabled={pending} className={buttonClass("primary")} data-testid="cooling-off-confirm">
            {text.yes}
          </button>
          <CloseDetails label={text.back} disabled={pending} />
        </div>
        {state.status === "error" || state.status === "invalid" ? (
          <p role="alert" className="text-red-700" data-testid="cooling-off-error">
            {state.fieldErrors?.orderId ?? state.message}
          </p>
        ) : null}
      </form>
    </details>
  );
}

/** Closes the confirmation step (back to the cancel button) without cancelling. */
function CloseDetails({ label, disabled }: { label: string; disabled: boolean }) {
  return (
    <button
      type="button"
      disabled={disabled}
      className={buttonClass("quiet")}
      onClick={(event) => {
        const details = event.currentTarget.closest("details");
        if (details) details.open = false;
      }}
    >
      {label}
    </button>
  );
}

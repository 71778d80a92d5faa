"use client";

import { type KeyboardEvent, type MouseEvent, useEffect, useId, useRef, useState } from "react";
import { useFormStatus } from "react-dom";
import { buttonClass, type ButtonVariant } from "./button-styles";

/** The words of a confirm step: the question, and the cancel label; the confirm button repeats the action's label unless `yes` says otherwise. */
export type ConfirmText = { question: string; cancel: string; yes?: string };

/**
 * A form's submit button that, given `confirm`, first asks inline: the question (announced
 * through a live region), the confirm button (focused) and a cancel button (or Escape). Without
 * JavaScript the button submits at once, as every form here does.
 */
export function ConfirmSubmit({ label, confirm, variant = "primary", pending: pendingOverride }: { label: string; confirm?: ConfirmText; variant?: ButtonVariant; pending?: boolean }) {
  const status = useFormStatus();
  const pending = pendingOverride ?? status.pending;
  const [asking, setAsking] = useState(false);
  const questionId = useId();
  const askRef = useRef<HTMLButtonElement>(null);
  const yesRef = useRef<HTMLButtonElement>(null);
  const focusAsk = useRef(false);
  const wasPending = useRef(false);

  useEffect(() => {
    if (asking) yesRef.current?.focus();
    else if (focusAsk.current) askRef.current?.focus();
    focusAsk.current = false;
  }, [asking]);

  // Once the confirmed submission has finished, a button still on the page asks again next time.
  useEffect(() => {
    if (wasPending.current && !pending) setAsking(false);
    wasPending.current = pending;
  }, [pending]);

  const ask = (event: MouseEvent<HTMLButtonElement>) => {
    if (!confirm) return;
    event.preventDefault();
    setAsking(true);
  };
  const cancel = () => {
    focusAsk.current = true;
    setAsking(false);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key === "Escape" && !pending) cancel();
  };

  return (
    <div className="inline-flex flex-wrap items-center gap-2" data-confirm={asking ? "asking" : undefined}>
      {asking ? null : (
        <button ref={askRef} type="submit" onClick={ask} disabled={pending} aria-disabled={pending} className={buttonClass(variant)}>
          {label}
        </button>
      )}
      {confirm ? (
        <span id={questionId} aria-live="polite" className={asking ? "text-sm font-medium text-amber-900" : "sr-only"} data-testid={asking ? "confirm-question" : undefined}>
          {asking ? confirm.question : ""}
        </span>
      ) : null}
      {asking && confirm ? (
        <fieldset aria-labelledby={questionId} className="m-0 inline-flex min-w-0 flex-wrap items-center gap-2 border-0 p-0">
          <button ref={yesRef} type="submit" onKeyDown={onKeyDown} disabled={pending} aria-disabled={pending} className={buttonClass("primary")}>
            {confirm.yes ?? label}
          </button>
          <button type="button" onClick={cancel} onKeyDown={onKeyDown} disabled={pending} className={buttonClass("quiet")}>
            {confirm.cancel}
          </button>
        </fieldset>
      ) : null}
    </div>
  );
}

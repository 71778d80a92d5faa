"use client";

import { startTransition, useActionState, type FormEvent } from "react";
import type { FormAction } from "@/lib/actions/core";

/**
 * useActionState, but submitted from onSubmit so React does not reset the form afterwards: after
 * an error every field, selects included, keeps what the person entered. Without JavaScript the
 * form still posts to the action.
 */
export function useActionForm(action: FormAction) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget, (event.nativeEvent as SubmitEvent).submitter);
    startTransition(() => formAction(data));
  };
  return { state, pending, formProps: { action: formAction, onSubmit } };
}

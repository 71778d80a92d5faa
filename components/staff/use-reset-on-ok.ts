"use client";

import { useEffect, useRef } from "react";
import type { ActionState } from "@/lib/actions/core";

/** After a successful save the form goes back to its (fresh) defaults, so chosen files are not sent twice. */
export function useResetOnOk(state: ActionState) {
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state.status === "ok") ref.current?.reset();
  }, [state]);
  return ref;
}

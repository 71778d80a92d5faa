"use client";

import { useEffect } from "react";
import { refreshInBackground } from "@/lib/auth/background-refresh";

/**
 * Re-reads the page from the server every few seconds while something on it is still moving.
 * It refreshes through a server action rather than router.refresh() so the server can tell the
 * request from a person's: a background refresh does not keep an idle session alive.
 */
export function AutoRefresh({ everyMs = 2000 }: { everyMs?: number }) {
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const tick = async () => {
      try {
        await refreshInBackground();
      } catch {
        // A failed refresh (offline, server restarting) is retried on the next tick.
      }
      if (!stopped) timer = setTimeout(tick, everyMs);
    };
    timer = setTimeout(tick, everyMs);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [everyMs]);
  return null;
}

"use server";

import { refresh } from "next/cache";

/**
 * What automatic page refreshes call instead of router.refresh(): the page is re-rendered in this
 * action's response, and the server can tell the request from a person's by its action id, so it
 * does not count as activity for the idle session limit (lib/auth/activity.ts).
 */
export async function refreshInBackground(): Promise<void> {
  refresh();
}

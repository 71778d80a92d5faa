import "server-only";
import { refreshInBackground } from "./background-refresh";

/** The header Next.js puts on a server action request: the id of the action called. */
const ACTION_HEADER = "next-action";

/** The id Next.js gave the background refresh action at build time (React's server reference id). */
function backgroundRefreshActionId(): string | undefined {
  return (refreshInBackground as { $$id?: string }).$$id;
}

/**
 * True for a request made by an automatic refresh rather than by the person: it must not extend
 * the idle session. A client can send the header on purpose, but that only lets its own session
 * expire sooner.
 */
export function isBackgroundRefresh(requestHeaders: Headers): boolean {
  const id = backgroundRefreshActionId();
  return id !== undefined && requestHeaders.get(ACTION_HEADER) === id;
}

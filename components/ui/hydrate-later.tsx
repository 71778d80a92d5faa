import { Suspense, type ReactNode } from "react";

/**
 * Server-rendered content that React hydrates after the rest of the page, in short slices rather
 * than inside one long task: a Suspense boundary that arrives complete is hydrated at idle
 * priority. Only around content with nothing async inside, so the server never streams a fallback.
 */
export function HydrateLater({ children }: { children: ReactNode }) {
  return <Suspense>{children}</Suspense>;
}

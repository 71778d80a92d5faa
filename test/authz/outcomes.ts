import type { ReactNode } from "react";
import { renderToReadableStream } from "react-dom/server";
import type { Outcome } from "./matrix";

/** Next's control flow as a matrix outcome: a redirect to sign-in, 403, 404; any other redirect is a page answering. */
export function outcomeOfThrow(error: unknown): Outcome | null {
  const digest = (error as { digest?: unknown } | null)?.digest;
  if (typeof digest !== "string") return null;
  // requireUser's redirect carries the way back; a plain /sign-in (after signing out everywhere) is an answer.
  if (digest.startsWith("NEXT_REDIRECT")) return digest.split(";")[2]!.startsWith("/sign-in?callbackUrl=") ? "signIn" : "allow";
  if (digest === "NEXT_HTTP_ERROR_FALLBACK;404") return "notFound";
  if (digest === "NEXT_HTTP_ERROR_FALLBACK;403") return "forbidden";
  if (digest === "NEXT_HTTP_ERROR_FALLBACK;401") return "signIn";
  return null;
}

/** Renders a page (an async server component) to HTML; what it or a component inside throws comes back as an outcome. */
export async function visitPage(page: (props: unknown) => Promise<ReactNode> | ReactNode, props: unknown): Promise<Outcome> {
  try {
    let thrown: unknown;
    const stream = await renderToReadableStream(await page(props), {
      onError: (error) => {
        thrown ??= error;
      },
    });
    await new Response(stream).text();
    if (thrown) throw thrown;
    return "allow";
  } catch (error) {
    const outcome = outcomeOfThrow(error);
    if (outcome) return outcome;
    throw error;
  }
}

/** A route's answer as an outcome: 401, 403 and 404 are the denials, 500 a crash; anything else is the handler answering (a 503 included). */
export function outcomeOfStatus(status: number): Outcome | `status ${number}` {
  if (status === 401) return "signIn";
  if (status === 403) return "forbidden";
  if (status === 404) return "notFound";
  return status === 500 ? `status ${status}` : "allow";
}

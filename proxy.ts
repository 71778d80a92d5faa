import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { checkoutOrigin, contentSecurityPolicy, HSTS, newNonce } from "@/lib/http/security-headers";

/**
 * A Content-Security-Policy with a fresh nonce on every request. Next.js reads the nonce from the
 * request's CSP header and puts it on its own scripts (every page renders per request). The
 * proxy runs on Node.js, so it reads the validated settings like the rest of the server.
 */
export function proxy(request: NextRequest) {
  const settings = env();
  const live = settings.mode === "live";
  const policy = contentSecurityPolicy({
    nonce: newNonce(),
    dev: settings.nodeEnv === "development",
    live,
    checkoutOrigin: checkoutOrigin(settings.stripe.emulatorPort),
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", policy);
  if (live) response.headers.set("strict-transport-security", HSTS);
  return response;
}

export const config = {
  // Skipped: static files; the webhook, because for a request the proxy sees Next.js first buffers
  // the whole body (up to 10 MB), which the webhook's own limit must refuse unread (next.config.ts
  // gives it a policy); images and identity documents, which set a stricter sandboxing policy of
  // their own that a header set here would replace; the open data API, whose JSON needs no nonce
  // and which sets its own policy (lib/api/http.ts).
  matcher: ["/((?!_next/static|_next/image|favicon\\.ico|api/stripe/webhook|api/images/|api/identity-documents/|api/v1/).*)"],
};

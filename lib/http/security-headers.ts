/**
 * The portal's security headers. The fixed ones go on every response through next.config.ts;
 * the Content-Security-Policy carries a fresh nonce per request and is set by proxy.ts.
 * Plain data only: next.config.ts imports this file too.
 */

export const STATIC_SECURITY_HEADERS = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  // For browsers that predate CSP's frame-ancestors: no page of the portal may be framed.
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()" },
];

/** For JSON endpoints the proxy skips (the Stripe webhook): nothing may load or frame them. */
export const NO_CONTENT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Live mode only: a demo on http://localhost must not pin the browser to https. */
export const HSTS = "max-age=63072000; includeSubDomains";

/** Where the buy form sends the browser: the local emulator (demo, see scripts/lib/stack.ts) or Stripe Checkout. */
export function checkoutOrigin(emulatorPort: number | null): string {
  return emulatorPort ? `http://localhost:${emulatorPort}` : "https://checkout.stripe.com";
}

export function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

export function contentSecurityPolicy(options: { nonce: string; dev: boolean; live: boolean; checkoutOrigin: string }): string {
  return [
    "default-src 'self'",
    // Next.js puts the nonce on its own scripts, and 'strict-dynamic' trusts the chunks they load;
    // 'self' is the fallback for browsers without 'strict-dynamic'. React's dev tooling needs eval.
    `script-src 'self' 'nonce-${options.nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    // 'unsafe-inline' because React style attributes (progress bars, chart labels) cannot carry a
    // nonce, and a nonce in this list would switch 'unsafe-inline' off.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    // form-action also covers the redirects after a post: a buy form sent before the page's
    // scripts ran is answered with a redirect to Checkout.
    `form-action 'self' ${options.checkoutOrigin}`,
    "frame-ancestors 'none'",
    ...(options.live ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

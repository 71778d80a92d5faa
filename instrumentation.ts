/** Validates configuration when the server starts, so a missing setting stops it at once. */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { exitUnlessConfigured } = await import("./lib/env");
    exitUnlessConfigured();
    // The socket peer for per-IP rate limits (lib/auth/client-ip.ts): Next.js does not expose it.
    const { stampPeerAddresses } = await import("./lib/auth/client-ip");
    stampPeerAddresses();
  }
}

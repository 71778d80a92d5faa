/** Validates configuration when the server starts, so a missing setting stops it at once. */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { exitUnlessConfigured } = await import("./lib/env");
    exitUnlessConfigured();
  }
}

/**
 * DNS rebinding guard: a web page on any name that resolves to 127.0.0.1 can reach the emulator,
 * but its requests carry that name in Host. Only the emulator's own names on its port are served.
 */
import { StripeApiError } from "./params";

export function ownHosts(port: number, publicUrl: string): Set<string> {
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  hosts.add(new URL(publicUrl).host.toLowerCase());
  return hosts;
}

export function checkHost(host: string | undefined, own: Set<string>): void {
  if (host && own.has(host.toLowerCase())) return;
  throw new StripeApiError(403, "invalid_request_error", `Invalid Host header ${JSON.stringify(host ?? "")}: the emulator serves only ${[...own].join(", ")}.`);
}

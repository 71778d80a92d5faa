import { randomBytes } from "node:crypto";
import http from "node:http";
import { isIP } from "node:net";

/*
 * Which address a request comes from, for rate limits.
 *
 * What Next.js gives us: route handlers and server actions see only headers, never the socket.
 * Next's own server (`next start`, base-server.js) sets `x-forwarded-for` to the socket's peer
 * only when the request has none (`??=`): it does not append, so a client that talks to the
 * portal directly can put any address there itself. So:
 * - TRUSTED_PROXY_HOPS=0 (no proxy): the socket peer, which stampPeerAddresses() (run at start
 *   from instrumentation.ts) copies onto every request under a header name chosen at random per
 *   process, so no client can send it. X-Forwarded-For is ignored.
 * - TRUSTED_PROXY_HOPS=N: the Nth X-Forwarded-For entry from the right, the one the outermost of
 *   the N trusted proxies appended (each proxy appends the address it got the request from, and the
 *   innermost one's own address is the socket peer, not in the list). Entries further left are
 *   whatever the client wrote. With fewer than N entries the request did not come through the
 *   proxies, so the socket peer is used.
 * Without a known address the key is "unknown": one shared bucket, never one the client picks.
 */

const HEADER_NAME = Symbol.for("village-portal.peer-address-header");
type WithHeaderName = typeof globalThis & { [HEADER_NAME]?: string };

/**
 * Makes the socket peer visible to the app: every request an HTTP server of this process receives
 * gets it under a secret header name (overwriting nothing a client could have sent). Idempotent.
 */
export function stampPeerAddresses(): string {
  const global = globalThis as WithHeaderName;
  if (global[HEADER_NAME]) return global[HEADER_NAME];
  const name = `x-peer-address-${randomBytes(12).toString("hex")}`;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const request = args[0] as http.IncomingMessage;
      request.headers[name] = request.socket?.remoteAddress ?? "";
    }
    return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
  } as typeof emit;
  global[HEADER_NAME] = name;
  return name;
}

/** An address as one entry of a list: IPv4-mapped IPv6 as IPv4, without a port; anything else as given, lower-cased. */
export function normaliseAddress(value: string): string {
  const address = value.trim().toLowerCase();
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(address);
  if (v4WithPort) return v4WithPort[1]!;
  const v6InBrackets = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  const bare = v6InBrackets ? v6InBrackets[1]! : address;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(bare);
  return mapped ? mapped[1]! : bare;
}

/** The socket peer stamped on this request, or null when the stamp is not installed (or missing). */
export function peerAddress(requestHeaders: Headers): string | null {
  const name = (globalThis as WithHeaderName)[HEADER_NAME];
  const value = name ? requestHeaders.get(name) : null;
  return value && isIP(normaliseAddress(value)) ? normaliseAddress(value) : null;
}

/** The client's address for rate limits, by the rule above. */
export function clientIp(requestHeaders: Headers, trustedProxyHops: number): string {
  const peer = peerAddress(requestHeaders) ?? "unknown";
  if (trustedProxyHops <= 0) return peer;
  const chain = (requestHeaders.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (chain.length < trustedProxyHops) return peer;
  return normaliseAddress(chain[chain.length - trustedProxyHops]!);
}

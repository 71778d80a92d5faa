import { mkdtempSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { clientIp, normaliseAddress, peerAddress, stampPeerAddresses } from "./client-ip";

/** Request headers as the app sees them, with the socket peer stamped the way the server hook does. */
function seen(entries: Record<string, string>, peer?: string): Headers {
  const headers = new Headers(entries);
  if (peer !== undefined) headers.set(stampPeerAddresses(), peer);
  return headers;
}

describe("client IP without the peer stamp", () => {
  it("is one shared bucket, never an address the client wrote", () => {
    // Runs first: nothing has installed the stamp in this process yet.
    const spoofed = new Headers({ "x-forwarded-for": "6.6.6.6", "x-real-ip": "7.7.7.7", "x-peer-address": "8.8.8.8" });
    expect(peerAddress(spoofed)).toBeNull();
    expect(clientIp(spoofed, 0)).toBe("unknown");
    expect(clientIp(new Headers({ "x-forwarded-for": "6.6.6.6" }), 2)).toBe("unknown");
  });
});

describe("client IP with TRUSTED_PROXY_HOPS=0 (no proxy)", () => {
  it("is the socket peer, whatever X-Forwarded-For says", () => {
    expect(clientIp(seen({}, "203.0.113.7"), 0)).toBe("203.0.113.7");
    for (const spoof of ["6.6.6.6", "6.6.6.6, 7.7.7.7", "unknown", "203.0.113.99"]) {
      expect(clientIp(seen({ "x-forwarded-for": spoof, "x-real-ip": "9.9.9.9" }, "203.0.113.7"), 0)).toBe("203.0.113.7");
    }
  });

  it("reads IPv4-mapped IPv6 peers as IPv4 and keeps IPv6 peers", () => {
    expect(clientIp(seen({}, "::ffff:127.0.0.1"), 0)).toBe("127.0.0.1");
    expect(clientIp(seen({}, "2001:DB8::1"), 0)).toBe("2001:db8::1");
  });

  it("does not trust a guessed stamp header name or a malformed stamp", () => {
    const name = stampPeerAddresses();
    expect(name).toMatch(/^x-peer-address-[0-9a-f]{24}$/);
    expect(stampPeerAddresses()).toBe(name);
    expect(clientIp(new Headers({ "x-peer-address": "1.1.1.1", "x-forwarded-for": "1.1.1.1" }), 0)).toBe("unknown");
    expect(clientIp(seen({}, "not an address"), 0)).toBe("unknown");
  });
});

describe("client IP with trusted proxies", () => {
  it("with 1 hop is the entry the proxy appended, not the ones the client wrote", () => {
    expect(clientIp(seen({ "x-forwarded-for": "198.51.100.4" }, "10.0.0.2"), 1)).toBe("198.51.100.4");
    expect(clientIp(seen({ "x-forwarded-for": "6.6.6.6, 198.51.100.4" }, "10.0.0.2"), 1)).toBe("198.51.100.4");
    expect(clientIp(seen({ "x-forwarded-for": "1.1.1.1,2.2.2.2 ,  198.51.100.4" }, "10.0.0.2"), 1)).toBe("198.51.100.4");
  });

  it("with 2 hops is the entry the outer proxy appended (the inner one appended the outer's address)", () => {
    const headers = seen({ "x-forwarded-for": "6.6.6.6, 198.51.100.4, 10.0.0.1" }, "10.0.0.2");
    expect(clientIp(headers, 2)).toBe("198.51.100.4");
    expect(clientIp(headers, 1)).toBe("10.0.0.1");
    expect(clientIp(seen({ "x-forwarded-for": "198.51.100.4:51234, 10.0.0.1" }, "10.0.0.2"), 2)).toBe("198.51.100.4");
    expect(clientIp(seen({ "x-forwarded-for": "[2001:db8::7]:443, 10.0.0.1" }, "10.0.0.2"), 2)).toBe("2001:db8::7");
  });

  it("with fewer entries than hops (the proxies were bypassed) is the socket peer", () => {
    expect(clientIp(seen({ "x-forwarded-for": "6.6.6.6" }, "192.0.2.50"), 2)).toBe("192.0.2.50");
    expect(clientIp(seen({}, "192.0.2.50"), 1)).toBe("192.0.2.50");
    expect(clientIp(seen({ "x-forwarded-for": " , " }, "192.0.2.50"), 1)).toBe("192.0.2.50");
  });

  it("normalises entries", () => {
    expect(normaliseAddress(" ::FFFF:10.1.2.3 ")).toBe("10.1.2.3");
    expect(normaliseAddress("10.1.2.3:8080")).toBe("10.1.2.3");
    expect(normaliseAddress("[::1]")).toBe("::1");
  });
});

describe("the peer stamp on a real HTTP server", () => {
  let server: http.Server;
  let port: number;
  const received: Headers[] = [];

  beforeAll(async () => {
    stampPeerAddresses();
    server = http.createServer((request, response) => {
      received.push(new Headers(Object.entries(request.headers).map(([key, value]) => [key, String(value)] as [string, string])));
      response.end("ok");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("carries the socket peer, so spoofed headers change nothing", async () => {
    for (const spoof of ["6.6.6.6", "7.7.7.7, 8.8.8.8"]) {
      await fetch(`http://127.0.0.1:${port}/`, { headers: { "x-forwarded-for": spoof, "x-peer-address": spoof } });
    }
    expect(received).toHaveLength(2);
    expect(received.map((headers) => clientIp(headers, 0))).toEqual(["127.0.0.1", "127.0.0.1"]);
    // With a proxy configured, a request that reaches the portal directly is still its socket peer at most.
    expect(clientIp(received[1]!, 3)).toBe("127.0.0.1");
  });
});

describe("TRUSTED_PROXY_HOPS", () => {
  const base = {
    PORTAL_MODE: "demo",
    DATA_DIR: mkdtempSync(path.join(os.tmpdir(), "client-ip-env-")),
    DATABASE_URL: "postgres://u:p@localhost:5432/db",
    AUTH_SECRET: "x".repeat(32),
    STRIPE_WEBHOOK_SECRET: "whsec_x",
    CUSTODY_MASTER_KEYS: JSON.stringify({ 1: Buffer.alloc(32).toString("base64") }),
  };

  it("defaults to 0 (the socket peer) and takes a small whole number", () => {
    expect(parseEnv(base).trustedProxyHops).toBe(0);
    expect(parseEnv({ ...base, TRUSTED_PROXY_HOPS: "2" }).trustedProxyHops).toBe(2);
    for (const bad of ["-1", "1.5", "many", "11"]) expect(() => parseEnv({ ...base, TRUSTED_PROXY_HOPS: bad })).toThrow(/TRUSTED_PROXY_HOPS/);
  });
});

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import Stripe from "stripe";
import { afterEach, describe, expect, it } from "vitest";
import type { StripeEmulator } from "./index";
import { SECRET, sdk, sessionParams, startEmulator, startReceiver, waitFor } from "./test-helpers";

const running: { stop(): Promise<void> }[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const thing of running.splice(0).reverse()) await thing.stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A request with a chosen Host header (fetch does not let one set it). */
function withHost(emulator: StripeEmulator, host: string, method: string, pathname: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: "127.0.0.1", port: emulator.port, method, path: pathname, headers: { Host: host }, agent: false }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on("error", reject);
    request.end();
  });
}

/** A loopback port with nothing listening on it: a webhook endpoint that is down. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("Host header (DNS rebinding)", () => {
  it("serves only its own names on its own port", async () => {
    const emulator = await startEmulator();
    running.push(emulator);
    await sdk(emulator).checkout.sessions.create(sessionParams()); // the SDK's Host is 127.0.0.1:port
    const port = emulator.port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `LocalHost:${port}`]) {
      expect((await withHost(emulator, host, "GET", "/_emulator/health")).status, host).toBe(200);
    }
    for (const host of [`rebind.attacker.example:${port}`, "rebind.attacker.example", `localhost:${port + 1}`, "127.0.0.1"]) {
      const refused = await withHost(emulator, host, "GET", "/_emulator/events");
      expect(refused.status, host).toBe(403);
      expect(JSON.parse(refused.body).error.message).toMatch(/Invalid Host header/);
    }
    expect((await withHost(emulator, `rebind.attacker.example:${port}`, "POST", "/_emulator/reset")).status).toBe(403);
    expect((await withHost(emulator, `rebind.attacker.example:${port}`, "GET", "/v1/events")).status).toBe(403);
    expect(emulator.events()).toHaveLength(0);
    // HTTP/1.0 without any Host header.
    const socket = net.connect(port, "127.0.0.1");
    socket.end("GET /_emulator/health HTTP/1.0\r\n\r\n");
    let raw = "";
    for await (const chunk of socket) raw += String(chunk);
    expect(raw).toMatch(/^HTTP\/1\.[01] 403/);
  });

  it("also serves the host of its public URL", async () => {
    const emulator = await startEmulator({ publicUrl: "http://payments.dev.test:8443" });
    running.push(emulator);
    expect((await withHost(emulator, "payments.dev.test:8443", "GET", "/_emulator/health")).status).toBe(200);
    expect((await withHost(emulator, "payments.dev.test", "GET", "/_emulator/health")).status).toBe(403);
  });
});

describe("undelivered webhooks across a restart", () => {
  it("stay in the state file after the retries run out, and the next start delivers them signed", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "stripe-outbox-"));
    dirs.push(dir);
    const stateFile = path.join(dir, "stripe-emulator.json");
    const down = `http://127.0.0.1:${await closedPort()}/api/stripe/webhook`;
    const first = await startEmulator({ stateFile, webhookUrl: down, retry: { attempts: 2, baseDelayMs: 10 } });
    const session = await sdk(first).checkout.sessions.create(sessionParams());
    first.completeSession(session.id, { outcome: "paid" });
    await first.settled();
    expect(first.deliveries().every((attempt) => !attempt.ok)).toBe(true);
    const undelivered = first.events().map((event) => event.id);
    await first.stop();
    expect(JSON.parse(readFileSync(stateFile, "utf8")).outbox).toEqual(undelivered);

    const receiver = await startReceiver();
    running.push({ stop: () => receiver.close() });
    const second = await startEmulator({ stateFile, webhookUrl: receiver.url });
    running.push(second);
    await waitFor(() => receiver.received.length >= undelivered.length);
    await second.settled();
    const stripe = sdk(second);
    const received = receiver.received.map((r) => stripe.webhooks.constructEvent(r.body, r.headers["stripe-signature"] as string, SECRET));
    expect(received.map((event) => event.id).sort()).toEqual([...undelivered].sort());
    const completed = received.find((event) => event.type === "checkout.session.completed")!;
    expect((completed.data.object as Stripe.Checkout.Session).id).toBe(session.id);
    expect(() => stripe.webhooks.constructEvent(receiver.received[0]!.body, receiver.received[0]!.headers["stripe-signature"] as string, "whsec_other")).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
    await waitFor(() => JSON.parse(readFileSync(stateFile, "utf8")).outbox.length === 0);
  });

  it("are dropped once older than Stripe's three days of retries", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "stripe-outbox-"));
    dirs.push(dir);
    const stateFile = path.join(dir, "stripe-emulator.json");
    const first = await startEmulator({ stateFile, webhookUrl: `http://127.0.0.1:${await closedPort()}/`, retry: { attempts: 1, baseDelayMs: 10 } });
    first.completeSession((await sdk(first).checkout.sessions.create(sessionParams())).id, { outcome: "paid" });
    await first.settled();
    await first.stop();

    const receiver = await startReceiver();
    running.push({ stop: () => receiver.close() });
    const fourDaysLater = Date.now() + 4 * 24 * 3600 * 1000;
    const second = await startEmulator({ stateFile, webhookUrl: receiver.url, now: () => fourDaysLater });
    running.push(second);
    await second.settled();
    expect(receiver.received).toHaveLength(0);
    expect(JSON.parse(readFileSync(stateFile, "utf8")).outbox).toEqual([]);
  });
});

/** Helpers shared by the emulator's tests. */
import http, { type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { startStripeEmulator, type StripeEmulator, type StripeEmulatorOptions } from "./index";

export const SECRET = "whsec_test_emulator_secret";

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface Receiver {
  url: string;
  received: Received[];
  events(): Stripe.Event[];
  close(): Promise<void>;
}

/** A webhook endpoint on loopback; `respond` picks the status for the n-th request (0-based). */
export async function startReceiver(respond: (n: number, body: string) => number | Promise<number> = () => 200): Promise<Receiver> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      const n = received.length;
      received.push({ headers: req.headers, body, at: Date.now() });
      void Promise.resolve(respond(n, body)).then((status) => {
        res.writeHead(status, { "Content-Type": "text/plain" });
        res.end(status < 300 ? "ok" : "nope");
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/stripe/webhook`,
    received,
    events: () => received.map((r) => JSON.parse(r.body) as Stripe.Event),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function startEmulator(options: Partial<StripeEmulatorOptions> = {}): Promise<StripeEmulator> {
  return startStripeEmulator({ webhookSecret: SECRET, retry: { attempts: 3, baseDelayMs: 20 }, ...options });
}

export function sdk(emulator: StripeEmulator, key = "sk_test_emulator"): Stripe {
  return new Stripe(key, { host: "127.0.0.1", port: emulator.port, protocol: "http", maxNetworkRetries: 0, telemetry: false });
}

export function sessionParams(overrides: Partial<Stripe.Checkout.SessionCreateParams> = {}): Stripe.Checkout.SessionCreateParams {
  return {
    mode: "payment",
    line_items: [{ price_data: { currency: "jpy", unit_amount: 1500, product_data: { name: "村トークン / Village token" } }, quantity: 3 }],
    success_url: "http://127.0.0.1:3000/orders/done?session_id={CHECKOUT_SESSION_ID}",
    cancel_url: "http://127.0.0.1:3000/orders/cancelled",
    client_reference_id: "order-42",
    customer_email: "investor@example.jp",
    metadata: { orderId: "order-42" },
    payment_intent_data: { metadata: { orderId: "order-42" } },
    ...overrides,
  };
}

/** Posts the hosted page's form like a browser would (without following the redirect). */
export function payOnPage(emulator: StripeEmulator, sessionId: string, card: string, fields: Record<string, string> = {}): Promise<Response> {
  return fetch(`${emulator.url}/checkout/${sessionId}`, {
    method: "POST",
    body: new URLSearchParams({ card_number: card, expiry: "12 / 40", cvc: "123", name: "Yamada Taro", ...fields }),
    redirect: "manual",
  });
}

export async function waitFor(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Expects a promise to reject with a Stripe SDK error and returns it. */
export async function stripeError(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) return error;
    throw error;
  }
  throw new Error("expected the Stripe call to fail");
}

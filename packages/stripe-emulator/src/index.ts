/**
 * A local Stripe emulator: the subset of Stripe's API the portal uses (Checkout Sessions, refunds,
 * events, PaymentIntents, charges), a hosted test checkout page, and signed webhooks.
 * Point the real SDK at it with
 * `new Stripe(key, { host: "127.0.0.1", port, protocol: "http", maxNetworkRetries: 0, telemetry: false })`.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type Stripe from "stripe";
import { handleApi } from "./api";
import { handleCheckoutPage } from "./checkout-page";
import { handleControl } from "./controls";
import { handleDeferredPage, refreshHostedUrls } from "./deferred-pages";
import type { StripeEmulator } from "./emulator";
import { checkHost, ownHosts } from "./host";
import { Engine, NO_REQUEST } from "./engine";
import { readBody, sendError, unrecognized } from "./http";
import { clone } from "./objects";
import { StateStore } from "./state";
import { WebhookDeliverer } from "./webhooks";

export type { DeliveryAttempt, DeliveryMode } from "./webhooks";
export type { CompleteOutcome } from "./engine";
export { signPayload } from "./webhooks";
export { API_VERSION } from "./objects";
export type { StripeEmulator } from "./emulator";

export interface StripeEmulatorOptions {
  /** 0 (default) picks a free port; the server always binds 127.0.0.1. */
  port?: number;
  /** Where events are POSTed (the portal's /api/stripe/webhook); without it events are only listed. */
  webhookUrl?: string;
  /** whsec_... used to sign deliveries. */
  webhookSecret: string;
  /** If set, requests must carry `Authorization: Bearer <apiKey>`; otherwise any sk_test_ key is accepted. */
  apiKey?: string;
  /** Base URL of the hosted checkout page in session.url (default http://localhost:<port>). */
  publicUrl?: string;
  /** If set, state is persisted to this JSON file and reloaded on start. */
  stateFile?: string;
  /** Webhook retries with exponential backoff on non-2xx or network error (default 8 attempts, 1000 ms); an event still undelivered after them is sent again on the next start with the same stateFile. */
  retry?: { attempts: number; baseDelayMs: number };
  /** Event types delivered to webhookUrl, like a webhook endpoint's enabled_events (default ["*"]). */
  enabledEvents?: string[];
  /** Millisecond clock for sessions, events and expiry (default Date.now). */
  now?: () => number;
  log?: (line: string) => void;
}

export async function startStripeEmulator(options: StripeEmulatorOptions): Promise<StripeEmulator> {
  const clock = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  const store = new StateStore(options.stateFile);
  let publicUrl = options.publicUrl?.replace(/\/$/, "") ?? "";
  const checkoutUrl = (id: string) => `${publicUrl}/checkout/${id}`;
  let engine!: Engine;
  const deliverer = new WebhookDeliverer({
    url: options.webhookUrl,
    secret: options.webhookSecret,
    retry: options.retry ?? { attempts: 8, baseDelayMs: 1000 },
    log,
    onDelivered: (id) => engine.markDelivered(id),
    // Kept in the state file's outbox: the next start sends it again (the portal may be down for long).
    onGaveUp: (id) => log(`webhook ${id}: no more retries in this run; it is sent again on the next start`),
  });
  const hostedUrl = (path: string) => `${publicUrl}${path}`;
  engine = new Engine({ store, deliverer, clock, checkoutUrl, hostedUrl, enabledEvents: options.enabledEvents ?? ["*"] });

  let hosts = new Set<string>();
  const server = http.createServer((req, res) => {
    void (async () => {
      const method = req.method ?? "GET";
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      try {
        checkHost(req.headers.host, hosts);
        const body = method === "POST" ? await readBody(req) : "";
        engine.sweepExpired();
        const path = url.pathname;
        if (path.startsWith("/v1/")) handleApi({ engine, apiKey: options.apiKey, clock }, req, res, url, body);
        else if (/^\/checkout\/[^/]+$/.test(path) && (method === "GET" || method === "POST")) {
          handleCheckoutPage(engine, res, method, decodeURIComponent(path.slice("/checkout/".length)), body);
        } else if (/^\/(vouchers|bank-transfers)\/[^/]+$/.test(path) && (method === "GET" || method === "POST")) {
          handleDeferredPage(engine, res, method, path, body);
        } else if (path.startsWith("/_emulator/")) await handleControl(emulator, res, method, path, body, req.headers["content-type"]);
        else throw unrecognized(method, path);
        if (path.startsWith("/v1/")) log(`${method} ${path} → ${res.statusCode}`);
      } catch (error) {
        if (!res.headersSent) sendError(res, error);
        else res.destroy();
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  if (!publicUrl) publicUrl = `http://localhost:${port}`;
  hosts = ownHosts(port, publicUrl);
  for (const session of Object.values(store.data.sessions)) {
    if (session.status === "open") session.url = checkoutUrl(session.id as string);
  }
  refreshHostedUrls(engine);
  const timer = setInterval(() => {
    try {
      engine.sweepExpired();
    } catch (error) {
      log(`expiry check failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }, 1000);
  timer.unref();
  // Events left undelivered by a previous run are delivered again, as Stripe keeps retrying for up to three days.
  const oldestRetried = clock() / 1000 - 3 * 24 * 3600;
  for (const id of [...store.data.outbox]) {
    const event = store.data.events.find((e) => e.id === id);
    if (event && (event.created as number) >= oldestRetried) deliverer.enqueue(event);
    else engine.dropFromOutbox(id);
  }
  engine.sweepExpired();

  const emulator: StripeEmulator = {
    url: `http://127.0.0.1:${port}`,
    port,
    async stop() {
      clearInterval(timer);
      deliverer.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      store.save();
    },
    setDeliveryMode: (mode) => deliverer.setMode(mode),
    flush: () => deliverer.flush(),
    redeliver: (eventId) => deliverer.redeliver(engine.event(eventId)),
    completeSession: (id, o) => clone(engine.completeSession(id, o.outcome)) as unknown as Stripe.Checkout.Session,
    resolveAsyncPayment: (id, result) => clone(engine.resolveAsyncPayment(id, result)) as unknown as Stripe.Checkout.Session,
    createDispute: (piId) => clone(engine.createDispute(piId)) as unknown as Stripe.Dispute,
    closeDispute: (disputeId, outcome) => clone(engine.closeDispute(disputeId, outcome)) as unknown as Stripe.Dispute,
    expireNow: (id) => clone(engine.expireSession(id, NO_REQUEST)) as unknown as Stripe.Checkout.Session,
    konbiniPay: (piId, store) => clone(engine.konbiniPay(piId, store)) as unknown as Stripe.PaymentIntent,
    konbiniExpire: (piId) => clone(engine.konbiniExpire(piId)) as unknown as Stripe.PaymentIntent,
    fundCashBalance: (customerId, amount, reference) =>
      clone(engine.fundCashBalance(customerId, { amount: String(amount), currency: "jpy", ...(reference ? { reference } : {}) }, NO_REQUEST)) as unknown as Stripe.CustomerCashBalanceTransaction,
    tick: () => engine.sweepExpired(),
    deliveries: () => deliverer.attempts.map((a) => ({ ...a })),
    events: () => clone(store.data.events) as unknown as Stripe.Event[],
    settled: () => deliverer.settled(),
    reset() {
      store.reset();
      deliverer.reset();
    },
  };
  log(`listening on ${emulator.url} (checkout pages at ${publicUrl}/checkout/…, vouchers at ${publicUrl}/vouchers/…, bank transfers at ${publicUrl}/bank-transfers/…)`);
  return emulator;
}

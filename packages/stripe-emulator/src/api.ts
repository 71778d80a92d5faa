/** The `/v1` routes: authentication, idempotency, routing, Stripe's response and error conventions. */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RequestContext } from "./context";
import type { Engine } from "./engine";
import { sendError, sendJson, unrecognized } from "./http";
import { API_VERSION, randomId, type Obj } from "./objects";
import { canonical, ParamReader, parseParams, rejectUnknown, StripeApiError, type Params } from "./params";
import { expand, listEvents, listLineItems } from "./queries";
import { allowedParams } from "./reference";

const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** The SDK keys every POST, so keep the state file small: only the newest keys are remembered. */
const IDEMPOTENCY_MAX_KEYS = 1000;

interface Route {
  method: "GET" | "POST";
  pattern: RegExp;
  run: (engine: Engine, params: Params, ctx: RequestContext, id: string) => Obj;
}

function expandOf(params: Params): string[] {
  return new ParamReader(params).stringArray("expand");
}

/** Checks params against the reference, then returns the object with `expand[]` applied. */
function retrieve(engine: Engine, params: Params, specPath: string, obj: Obj): Obj {
  rejectUnknown(params, allowedParams("GET", specPath));
  return expand(engine.store, obj, expandOf(params));
}

const ROUTES: Route[] = [
  {
    method: "POST",
    pattern: /^\/v1\/checkout\/sessions$/,
    run: (e, p) => expand(e.store, e.createSession(p), expandOf(p)),
  },
  {
    method: "GET",
    pattern: /^\/v1\/checkout\/sessions\/([^/]+)$/,
    run: (e, p, _c, id) => retrieve(e, p, "/v1/checkout/sessions/{session}", e.session(id)),
  },
  {
    method: "POST",
    pattern: /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/,
    run: (e, p, c, id) => {
      rejectUnknown(p, allowedParams("POST", "/v1/checkout/sessions/{session}/expire"));
      return expand(e.store, e.expireSession(id, c), expandOf(p));
    },
  },
  {
    method: "GET",
    pattern: /^\/v1\/checkout\/sessions\/([^/]+)\/line_items$/,
    run: (e, p, _c, id) => listLineItems(e.store, id, p),
  },
  {
    method: "POST",
    pattern: /^\/v1\/refunds$/,
    run: (e, p, c) => expand(e.store, e.createRefund(p, c), expandOf(p)),
  },
  {
    method: "GET",
    pattern: /^\/v1\/refunds\/([^/]+)$/,
    run: (e, p, _c, id) => retrieve(e, p, "/v1/refunds/{refund}", e.require("refund", id, "refund")),
  },
  { method: "GET", pattern: /^\/v1\/events$/, run: (e, p) => listEvents(e.store, p) },
  {
    method: "GET",
    pattern: /^\/v1\/events\/([^/]+)$/,
    run: (e, p, _c, id) => retrieve(e, p, "/v1/events/{id}", e.event(id)),
  },
  {
    method: "GET",
    pattern: /^\/v1\/payment_intents\/([^/]+)$/,
    run: (e, p, _c, id) => retrieve(e, p, "/v1/payment_intents/{intent}", e.require("payment_intent", id, "intent")),
  },
  {
    method: "POST",
    pattern: /^\/v1\/payment_intents$/,
    run: (e, p, c) => expand(e.store, e.createPaymentIntent(p, c), expandOf(p)),
  },
  {
    method: "POST",
    pattern: /^\/v1\/payment_intents\/([^/]+)\/cancel$/,
    run: (e, p, c, id) => {
      rejectUnknown(p, allowedParams("POST", "/v1/payment_intents/{intent}/cancel"));
      const reason = new ParamReader(p).oneOf("cancellation_reason", ["abandoned", "duplicate", "fraudulent", "requested_by_customer"] as const) ?? null;
      return expand(e.store, e.cancelPaymentIntent(id, reason, c), expandOf(p));
    },
  },
  {
    method: "POST",
    pattern: /^\/v1\/customers$/,
    run: (e, p, c) => expand(e.store, e.createCustomer(p, c), expandOf(p)),
  },
  {
    method: "GET",
    pattern: /^\/v1\/customers\/([^/]+)$/,
    run: (e, p, _c, id) => retrieve(e, p, "/v1/customers/{customer}", e.customer(id)),
  },
  {
    method: "GET",
    pattern: /^\/v1\/customers\/([^/]+)\/cash_balance$/,
    run: (e, p, _c, id) => retrieve(e, p, "/v1/customers/{customer}/cash_balance", e.cashBalance(id)),
  },
  {
    method: "POST",
    pattern: /^\/v1\/test_helpers\/customers\/([^/]+)\/fund_cash_balance$/,
    run: (e, p, c, id) => expand(e.store, e.fundCashBalance(id, p, c), expandOf(p)),
  },
  {
    method: "GET",
    pattern: /^\/v1\/charges\/([^/]+)$/,
    run: (e, p, _c, id) => retrieve(e, p, "/v1/charges/{charge}", e.require("charge", id, "charge")),
  },
  {
    method: "GET",
    pattern: /^\/v1\/balance_transactions\/([^/]+)$/,
    run: (e, p, _c, id) => {
      rejectUnknown(p, ["expand"]);
      return expand(e.store, e.require("balance_transaction", id, "id"), expandOf(p));
    },
  },
  {
    method: "GET",
    pattern: /^\/v1\/disputes\/([^/]+)$/,
    run: (e, p, _c, id) => {
      rejectUnknown(p, ["expand"]);
      return expand(e.store, e.require("dispute", id, "dispute"), expandOf(p));
    },
  },
];

export interface ApiOptions {
  engine: Engine;
  apiKey?: string;
  clock: () => number;
}

function authenticate(req: IncomingMessage, expected: string | undefined): void {
  const header = req.headers.authorization ?? "";
  let key: string | undefined;
  if (header.startsWith("Bearer ")) key = header.slice(7).trim();
  else if (header.startsWith("Basic ")) key = Buffer.from(header.slice(6), "base64").toString("utf8").split(":")[0];
  if (!key) {
    throw new StripeApiError(
      401,
      "invalid_request_error",
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
    );
  }
  const ok = expected ? key === expected : /^(sk|rk)_test_\w+$/.test(key);
  if (!ok) {
    const shown = key.length > 12 ? `${key.slice(0, 8)}${"*".repeat(key.length - 12)}${key.slice(-4)}` : key;
    throw new StripeApiError(401, "invalid_request_error", `Invalid API Key provided: ${shown}`);
  }
}

export function handleApi(o: ApiOptions, req: IncomingMessage, res: ServerResponse, url: URL, body: string): void {
  const method = req.method ?? "GET";
  const requestId = randomId("req", 14);
  const idempotencyKey = method === "POST" ? (headerValue(req, "idempotency-key") ?? null) : null;
  const headers: Record<string, string> = {
    "Request-Id": requestId,
    "Stripe-Version": headerValue(req, "stripe-version") ?? API_VERSION,
  };
  if (idempotencyKey) headers["Idempotency-Key"] = idempotencyKey;
  try {
    authenticate(req, o.apiKey);
    const route = ROUTES.find((r) => r.method === method && r.pattern.test(url.pathname));
    if (!route) throw unrecognized(method, url.pathname);
    const id = decodeURIComponent(route.pattern.exec(url.pathname)?.[1] ?? "");
    const params = parseParams(method === "POST" ? body : url.search.slice(1));
    const store = o.engine.store;
    const routeKey = `${method} ${url.pathname}`;
    if (idempotencyKey) {
      const seen = store.data.idempotency[idempotencyKey];
      if (seen) {
        if (seen.route !== routeKey || seen.params !== canonical(params)) {
          throw new StripeApiError(
            400,
            "idempotency_error",
            seen.route !== routeKey
              ? `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${seen.route}' vs '${routeKey}'). Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`
              : `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
          );
        }
        sendJson(res, seen.status, seen.body, { ...headers, "Idempotent-Replayed": "true" });
        return;
      }
    }
    const result = route.run(o.engine, params, { requestId, idempotencyKey }, id);
    const text = JSON.stringify(result, null, 2);
    if (idempotencyKey) {
      const now = o.clock();
      const entries = Object.entries(store.data.idempotency);
      entries.forEach(([key, entry], i) => {
        if (now - entry.createdMs > IDEMPOTENCY_TTL_MS || i < entries.length - IDEMPOTENCY_MAX_KEYS + 1) delete store.data.idempotency[key];
      });
      store.data.idempotency[idempotencyKey] = { route: routeKey, params: canonical(params), status: 200, body: text, createdMs: now };
      store.save();
    }
    sendJson(res, 200, text, headers);
  } catch (error) {
    sendError(res, error, headers);
  }
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `/_emulator/...`: the test controls over HTTP, so another process (Playwright, the dev stack) can use them. */
import type { ServerResponse } from "node:http";
import { sendError, sendJson, unrecognized } from "./http";
import { KONBINI_STORES, type KonbiniStore } from "./deferred-objects";
import type { StripeEmulator } from "./emulator";
import { invalid } from "./params";
import type { DeliveryMode } from "./webhooks";

function parseBody(body: string, contentType: string | undefined): Record<string, unknown> {
  if (!body.trim()) return {};
  if (contentType?.includes("application/json")) {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw invalid("Body must be a JSON object.");
    return parsed as Record<string, unknown>;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(body)) out[k] = v;
  return out;
}

function deliveryMode(body: Record<string, unknown>): Partial<DeliveryMode> {
  const mode: Partial<DeliveryMode> = {};
  const num = (v: unknown) => (typeof v === "number" ? v : Number(v));
  const bool = (v: unknown) => v === true || v === "true";
  if (body.duplicate !== undefined) mode.duplicate = num(body.duplicate);
  if (body.delayMs !== undefined) mode.delayMs = num(body.delayMs);
  if (body.reorder !== undefined) mode.reorder = bool(body.reorder);
  if (body.paused !== undefined) mode.paused = bool(body.paused);
  return mode;
}

export async function handleControl(emulator: StripeEmulator, res: ServerResponse, method: string, path: string, body: string, contentType: string | undefined): Promise<void> {
  try {
    const b = parseBody(body, contentType);
    const [, , resource, id, action] = path.split("/").map(decodeURIComponent);
    const route = `${method} ${resource ?? ""}${id !== undefined ? "/:id" : ""}${action ? `/${action}` : ""}`;
    let result: unknown;
    switch (route) {
      case "GET health":
        result = { ok: true };
        break;
      case "GET deliveries":
        result = { data: emulator.deliveries() };
        break;
      case "GET events":
        result = { data: emulator.events() };
        break;
      case "POST delivery-mode":
        result = { mode: emulator.setDeliveryMode(deliveryMode(b)) };
        break;
      case "POST flush":
        await emulator.flush();
        result = { ok: true };
        break;
      case "POST settled":
        await emulator.settled();
        result = { ok: true };
        break;
      case "POST reset":
        emulator.reset();
        result = { ok: true };
        break;
      case "POST events/:id/redeliver":
        result = { attempt: (await emulator.redeliver(id as string)) ?? null };
        break;
      case "POST sessions/:id/complete": {
        const outcome = b.outcome ?? "paid";
        if (outcome !== "paid" && outcome !== "async_pending") throw invalid("outcome must be paid or async_pending", "outcome");
        result = emulator.completeSession(id as string, { outcome });
        break;
      }
      case "POST sessions/:id/resolve-async": {
        const r = b.result;
        if (r !== "succeeded" && r !== "failed") throw invalid("result must be succeeded or failed", "result");
        result = emulator.resolveAsyncPayment(id as string, r);
        break;
      }
      case "POST sessions/:id/expire":
        result = emulator.expireNow(id as string);
        break;
      case "POST payment_intents/:id/dispute":
        result = emulator.createDispute(id as string);
        break;
      case "POST payment_intents/:id/konbini-pay": {
        const store = b.store ?? "familymart";
        if (!KONBINI_STORES.includes(store as KonbiniStore)) throw invalid(`store must be one of ${KONBINI_STORES.join(", ")}`, "store");
        result = emulator.konbiniPay(id as string, store as KonbiniStore);
        break;
      }
      case "POST payment_intents/:id/konbini-expire":
        result = emulator.konbiniExpire(id as string);
        break;
      case "POST customers/:id/fund": {
        const amount = typeof b.amount === "number" ? b.amount : Number(b.amount);
        if (!Number.isSafeInteger(amount) || amount <= 0) throw invalid("amount must be a positive integer (yen)", "amount");
        result = emulator.fundCashBalance(id as string, amount, typeof b.reference === "string" && b.reference ? b.reference : undefined);
        break;
      }
      case "POST disputes/:id/close": {
        const outcome = b.outcome;
        if (outcome !== "won" && outcome !== "lost") throw invalid("outcome must be won or lost", "outcome");
        result = emulator.closeDispute(id as string, outcome);
        break;
      }
      default:
        throw unrecognized(method, path);
    }
    sendJson(res, 200, result);
  } catch (error) {
    sendError(res, error instanceof SyntaxError ? invalid(`Invalid JSON: ${error.message}`) : error);
  }
}

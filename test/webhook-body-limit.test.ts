import { eq } from "drizzle-orm";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { stripeEvents } from "@/db/schema";
import { configurePayments, WEBHOOK_SECRET } from "./orders/harness";

await configurePayments();
const { POST } = await import("@/app/api/stripe/webhook/route");

const LIMIT = 256 * 1024;
const CHUNK = 16 * 1024;
const HUGE = 10 * 1024 * 1024;
const stripe = new Stripe("sk_test_x");

/** A streamed body that counts the bytes the reader pulled out of it (no read-ahead). */
function countingBody(bytes: Uint8Array | number) {
  const total = typeof bytes === "number" ? bytes : bytes.byteLength;
  const seen = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const size = Math.min(CHUNK, total - seen.pulled);
        if (size <= 0) return controller.close();
        controller.enqueue(typeof bytes === "number" ? new Uint8Array(size).fill(0x20) : bytes.slice(seen.pulled, seen.pulled + size));
        seen.pulled += size;
      },
      cancel() {
        seen.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, seen };
}

const post = (body: BodyInit, headers: Record<string, string>) => POST(new Request("http://x/api/stripe/webhook", { method: "POST", headers, body, duplex: "half" } as RequestInit));

function signedEvent(id: string, padTo?: number) {
  const event = {
    id,
    object: "event",
    type: "customer.created",
    api_version: "2026-10-28.endive",
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: null,
    data: { object: { id: "cus_1", object: "customer", metadata: { note: "" } } },
  };
  let payload = JSON.stringify(event);
  if (padTo) payload = payload.replace('"note":""', `"note":"${"x".repeat(padTo - Buffer.byteLength(payload))}"`);
  return { payload, signature: stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }) };
}

describe("the Stripe webhook's body limit", () => {
  it("refuses a body whose Content-Length is over the limit with 413, reading none of it", async () => {
    const { stream, seen } = countingBody(HUGE);
    const response = await post(stream, { "content-length": String(HUGE), "stripe-signature": "t=1,v1=x" });
    expect(response.status).toBe(413);
    expect(seen.pulled).toBe(0);
  });

  it("refuses a body without Content-Length with 413, reading no further than one chunk past the limit", async () => {
    const { stream, seen } = countingBody(HUGE);
    const response = await post(stream, { "stripe-signature": "t=1,v1=x" });
    expect(response.status).toBe(413);
    expect(seen.pulled).toBeGreaterThan(LIMIT);
    expect(seen.pulled).toBeLessThanOrEqual(LIMIT + CHUNK);
    expect(seen.cancelled).toBe(true);
  });

  it("refuses a body longer than its Content-Length claims the same way", async () => {
    const { stream, seen } = countingBody(HUGE);
    const response = await post(stream, { "content-length": "100", "stripe-signature": "t=1,v1=x" });
    expect(response.status).toBe(413);
    expect(seen.pulled).toBeLessThanOrEqual(LIMIT + CHUNK);
    expect(seen.cancelled).toBe(true);
  });

  it("still accepts a signed event, sent whole or streamed at exactly the limit", async () => {
    const small = signedEvent("evt_limit_small");
    const response = await post(small.payload, { "stripe-signature": small.signature });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, outcome: "ignored" });

    const full = signedEvent("evt_limit_full", LIMIT);
    expect(Buffer.byteLength(full.payload)).toBe(LIMIT);
    const { stream, seen } = countingBody(new TextEncoder().encode(full.payload));
    const streamed = await post(stream, { "stripe-signature": full.signature });
    expect(streamed.status).toBe(200);
    expect(seen.pulled).toBe(LIMIT);

    const recorded = await getDb().select({ id: stripeEvents.id }).from(stripeEvents).where(eq(stripeEvents.id, "evt_limit_full"));
    expect(recorded).toHaveLength(1);
  });
});

describe("a correctly signed event with text PostgreSQL cannot store", () => {
  it.each([
    ["a NUL in its id", "evt_nul\u0000x", ""],
    ["a lone surrogate in its id", "evt_half\uD800", ""],
    ["a NUL in a metadata value", "evt_nul_note", "a\u0000b"],
  ])("is refused with a 400 saying so, and nothing is recorded (%s)", async (_, id, note) => {
    const event = signedEvent(id);
    const payload = event.payload.replace('"note":""', `"note":${JSON.stringify(note)}`);
    const response = await post(payload, { "stripe-signature": stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }) });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "malformed event" });
    expect(
      await getDb()
        .select({ id: stripeEvents.id })
        .from(stripeEvents)
        .where(eq(stripeEvents.id, id.replace(/[\u0000\uD800]/g, ""))),
    ).toEqual([]);
  });
});

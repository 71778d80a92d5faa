import { readTextWithin } from "@/lib/http/read-limited";
import { applyPaymentEvent, PaymentNotYetApplicable } from "@/lib/orders/webhook";
import { type PaymentEvent, WebhookPayloadError, WebhookSignatureError } from "@/lib/payments/provider";
import { paymentProvider } from "@/lib/payments/stripe";

export const dynamic = "force-dynamic";

// Stripe's events carry one object with capped metadata (50 keys of 500 characters): a few KB.
// 256 KB is far above that and bounds what an unsigned sender can make us hold before verifying.
const WEBHOOK_BODY_LIMIT = 256 * 1024;

/** Thin dispatcher: raw body → verify → apply once (event id recorded in the same transaction) → 2xx. */
export async function POST(request: Request) {
  const rawBody = await readTextWithin(request, WEBHOOK_BODY_LIMIT);
  if (rawBody === null) return Response.json({ error: "payload too large" }, { status: 413 });
  let event: PaymentEvent;
  try {
    event = paymentProvider().parseWebhook(rawBody, request.headers.get("stripe-signature"));
  } catch (error) {
    if (error instanceof WebhookSignatureError) return Response.json({ error: "invalid signature" }, { status: 400 });
    if (error instanceof WebhookPayloadError) return Response.json({ error: "malformed event" }, { status: 400 });
    throw error;
  }
  try {
    const outcome = await applyPaymentEvent(event);
    return Response.json({ received: true, outcome });
  } catch (error) {
    // Nothing was recorded: Stripe delivers the event again once the payment it depends on exists.
    if (error instanceof PaymentNotYetApplicable) return Response.json({ error: "payment not applied yet; retry" }, { status: 503 });
    throw error;
  }
}

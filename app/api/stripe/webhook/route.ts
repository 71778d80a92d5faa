import { applyPaymentEvent } from "@/lib/orders/webhook";
import { WebhookSignatureError } from "@/lib/payments/provider";
import { paymentProvider } from "@/lib/payments/stripe";

export const dynamic = "force-dynamic";

/** Thin dispatcher: raw body → verify → apply once (event id recorded in the same transaction) → 2xx. */
export async function POST(request: Request) {
  const rawBody = await request.text();
  let event;
  try {
    event = paymentProvider().parseWebhook(rawBody, request.headers.get("stripe-signature"));
  } catch (error) {
    if (error instanceof WebhookSignatureError) return Response.json({ error: "invalid signature" }, { status: 400 });
    throw error;
  }
  const outcome = await applyPaymentEvent(event);
  return Response.json({ received: true, outcome });
}
